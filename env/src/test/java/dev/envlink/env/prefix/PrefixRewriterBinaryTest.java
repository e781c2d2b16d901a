package dev.envlink.env.prefix;

import static dev.envlink.env.prefix.TestFiles.latin1;
import static dev.envlink.env.prefix.TestFiles.sha256;
import static dev.envlink.env.prefix.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixRewriterBinaryTest {
    static final String PH = "/opt/placeholder_placeholder_placeholder";
    static final String NEW = "/env/x";

    @TempDir
    Path dir;

    private RewriteResult rewrite(byte[] data, int buffer, String ph, String np, Path dst) throws IOException {
        Path src = dir.resolve(dst.getFileName() + ".src");
        Files.write(src, data);
        String before = sha256(src);
        RewriteResult r = new PrefixRewriter("linux", buffer).rewrite(src, dst, ph, np, Mode.BINARY);
        assertEquals(before, sha256(src), "source changed");
        assertEquals(sha256(dst), r.sha256());
        assertEquals(Files.size(dst), r.bytesWritten());
        return r;
    }

    @Test
    void cStringWithSuffixesIsReplacedAndPadded() throws IOException {
        String s = "\u007fELF..\0" + PH + "/lib:" + PH + "/lib64\0tail\0";
        byte[] data = latin1(s);
        for (int buffer : new int[] {1, 5, 16, 40, 41, 64, 1 << 17}) {
            Path dst = dir.resolve("out" + buffer);
            RewriteResult r = rewrite(data, buffer, PH, NEW, dst);
            byte[] out = Files.readAllBytes(dst);
            assertEquals(data.length, out.length, "length kept");
            int pad = 2 * (PH.length() - NEW.length());
            String expected = "\u007fELF..\0" + NEW + "/lib:" + NEW + "/lib64" + "\0".repeat(pad) + "\0tail\0";
            assertEquals(expected, latin1(out), "buffer " + buffer);
            assertEquals(2, r.replacements());
            assertFalse(r.shebangRewritten());
        }
    }

    @Test
    void severalStringsAndBytesBeforeThePlaceholderInTheSameString() throws IOException {
        String s = "-L" + PH + "/lib\0\0\0garbage\0RPATH=" + PH + "\0" + PH + "\0end";
        byte[] data = latin1(s);
        Path dst = dir.resolve("out");
        RewriteResult r = rewrite(data, 7, PH, NEW, dst);
        int d = PH.length() - NEW.length();
        String expected = "-L" + NEW + "/lib" + "\0".repeat(d) + "\0\0\0garbage\0RPATH=" + NEW + "\0".repeat(d) + "\0"
                + NEW + "\0".repeat(d) + "\0end";
        assertEquals(expected, latin1(Files.readAllBytes(dst)));
        assertEquals(3, r.replacements());
    }

    @Test
    void stringSpanningSeveralBuffersIsReplaced() throws IOException {
        // a 5000-byte C string with 3 occurrences, read through a 64-byte buffer
        String mid = "m".repeat(2000);
        String s = "head\0" + PH + mid + PH + mid + PH + "/end\0after";
        Path dst = dir.resolve("out");
        RewriteResult r = rewrite(latin1(s), 64, PH, NEW, dst);
        String expected = "head\0" + NEW + mid + NEW + mid + NEW + "/end" + "\0".repeat(3 * (PH.length() - NEW.length()))
                + "\0after";
        assertEquals(expected, latin1(Files.readAllBytes(dst)));
        assertEquals(3, r.replacements());
    }

    @Test
    void cStringOfSeveralMegabytesNeedsNoWindowOfThatSize() throws IOException {
        // the replaced bytes are streamed and only the occurrence count is kept until the NUL
        String big = "q".repeat(3 << 20);
        String s = "x\0" + PH + big + PH + "\0y";
        Path dst = dir.resolve("out");
        RewriteResult r = rewrite(latin1(s), 1 << 12, PH, NEW, dst);
        String expected = "x\0" + NEW + big + NEW + "\0".repeat(2 * (PH.length() - NEW.length())) + "\0y";
        assertEquals(expected, latin1(Files.readAllBytes(dst)));
        assertEquals(2, r.replacements());
    }

    @Test
    void occurrenceWithoutTerminatingNulIsLeftAloneLikeConda() throws IOException {
        // conda's regex needs a NUL after the placeholder; the last one has none before EOF
        String s = "a" + PH + "/x\0b" + PH + "/no/nul/" + "z".repeat(300) + PH + "/again";
        for (int buffer : new int[] {3, 50, 1 << 17}) {
            Path dst = dir.resolve("out" + buffer);
            RewriteResult r = rewrite(latin1(s), buffer, PH, NEW, dst);
            String expected = "a" + NEW + "/x" + "\0".repeat(PH.length() - NEW.length()) + "\0b" + PH + "/no/nul/"
                    + "z".repeat(300) + PH + "/again";
            assertEquals(expected, latin1(Files.readAllBytes(dst)), "buffer " + buffer);
            assertEquals(1, r.replacements());
        }
    }

    @Test
    void newPrefixLongerThanPlaceholderFailsAndLeavesNoTarget() throws IOException {
        String longPrefix = "/a/very/long/environment/prefix/that/does/not/fit";
        byte[] data = latin1("x\0" + PH + "/lib\0y");
        Path src = dir.resolve("lib.so");
        Files.write(src, data);
        Path dst = dir.resolve("env-lib.so");
        PrefixTooLongException e = assertThrows(PrefixTooLongException.class,
                () -> new PrefixRewriter("linux", 8).rewrite(src, dst, PH, longPrefix, Mode.BINARY));
        assertFalse(Files.exists(dst), "no partial target");
        assertEquals(dst, e.file());
        assertEquals(PH.length(), e.placeholderLength());
        assertEquals(longPrefix.length(), e.prefixLength());
        String msg = e.getMessage();
        assertTrue(msg.contains(dst.toString()), msg);
        assertTrue(msg.contains(String.valueOf(PH.length())), msg);
        assertTrue(msg.contains(String.valueOf(longPrefix.length())), msg);
        assertTrue(msg.contains("shorter"), msg);
        assertArrayEquals(data, Files.readAllBytes(src));
    }

    @Test
    void longerPrefixIsFineWhenNoCStringNeedsIt() throws IOException {
        // conda raises only for an actual match; a placeholder without a NUL after it is no match
        String longPrefix = "/a/very/long/environment/prefix/that/does/not/fit";
        byte[] data = latin1("no placeholder at all\0" + PH + " but unterminated");
        Path dst = dir.resolve("out");
        RewriteResult r = rewrite(data, 16, PH, longPrefix, dst);
        assertArrayEquals(data, Files.readAllBytes(dst));
        assertEquals(0, r.replacements());
    }

    @Test
    void samePrefixLengthNeedsNoPadding() throws IOException {
        String same = "/x".repeat(PH.length() / 2);
        assertEquals(PH.length(), same.length());
        Path dst = dir.resolve("out");
        rewrite(latin1(PH + "/bin\0"), 1 << 17, PH, same, dst);
        assertEquals(same + "/bin\0", latin1(Files.readAllBytes(dst)));
    }

    @Test
    void execBitIsPreserved() throws IOException {
        Path src = dir.resolve("tool");
        Files.write(src, latin1("\u007fELF\0" + PH + "/share\0"));
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dst = dir.resolve("tool.out");
        new PrefixRewriter("linux").rewrite(src, dst, PH, NEW, Mode.BINARY);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst)));
    }

    @Test
    void randomDataMatchesCondaBinaryReplace() throws IOException {
        Random rnd = new Random(7);
        byte[] alphabet = latin1("ab/\0\0xy");
        String[] placeholders = {"ab", "a/b", "aba", "ab/ab/", "bb"};
        String[] prefixes = {"Q", "QQ", "ab", "/", "QQQQQQ"};
        int compared = 0;
        for (int round = 0; round < 400; round++) {
            byte[] data = new byte[rnd.nextInt(200)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            String ph = placeholders[rnd.nextInt(placeholders.length)];
            String np = prefixes[rnd.nextInt(prefixes.length)];
            int buffer = 1 + rnd.nextInt(24);
            byte[] expected = ReferenceImpl.binary(data, utf8(ph), utf8(np));
            Path src = dir.resolve("r" + round);
            Path dst = dir.resolve("r" + round + ".out");
            Files.write(src, data);
            PrefixRewriter rw = new PrefixRewriter("linux", buffer);
            if (expected == null) {
                assertThrows(PrefixTooLongException.class, () -> rw.rewrite(src, dst, ph, np, Mode.BINARY),
                        "round " + round);
                assertFalse(Files.exists(dst));
            } else {
                RewriteResult r = rw.rewrite(src, dst, ph, np, Mode.BINARY);
                assertArrayEquals(expected, Files.readAllBytes(dst), "round " + round);
                assertEquals(data.length, r.bytesWritten());
                assertEquals(sha256(dst), r.sha256());
                compared++;
            }
        }
        assertTrue(compared > 200, "enough successful rounds: " + compared);
    }

    @Test
    void referenceImplementationSanity() {
        assertNotNull(ReferenceImpl.binary(latin1("ab\0"), latin1("ab"), latin1("Q")));
        assertEquals("Q\0\0", latin1(ReferenceImpl.binary(latin1("ab\0"), latin1("ab"), latin1("Q"))));
    }
}
