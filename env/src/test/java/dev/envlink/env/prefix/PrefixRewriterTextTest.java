package dev.envlink.env.prefix;

import static dev.envlink.env.prefix.TestFiles.sha256;
import static dev.envlink.env.prefix.TestFiles.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrefixRewriterTextTest {
    static final String PH = "/opt/anaconda1anaconda2anaconda3";
    static final String NEW = "/home/u/envs/demo";

    @TempDir
    Path dir;

    @Test
    void replacesEveryOccurrenceIncludingOneAcrossTheBufferBoundary() throws IOException {
        // buffer 16: the window holds 16 + placeholder bytes, so occurrences straddle refills
        StringBuilder sb = new StringBuilder();
        sb.append("prefix=").append(PH).append('\n');
        sb.append("x".repeat(9)).append(PH).append(PH).append("/lib\n");
        sb.append("y".repeat(37)).append(PH).append("/bin:").append(PH).append("/sbin");
        byte[] data = utf8(sb.toString());
        String expected = sb.toString().replace(PH, NEW);
        for (int buffer : new int[] {1, 2, 3, 7, 16, 31, 32, 33, 64, 1 << 17}) {
            Path src = dir.resolve("src-" + buffer);
            Path dst = dir.resolve("dst-" + buffer);
            Files.write(src, data);
            RewriteResult r = new PrefixRewriter("linux", buffer).rewrite(src, dst, PH, NEW, Mode.TEXT);
            assertEquals(expected, Files.readString(dst), "buffer " + buffer);
            assertEquals(5, r.replacements(), "buffer " + buffer);
            assertEquals(Files.size(dst), r.bytesWritten());
            assertEquals(sha256(dst), r.sha256());
            assertFalse(r.shebangRewritten());
        }
    }

    @Test
    void placeholderAtVeryStartAndEnd() throws IOException {
        Path src = dir.resolve("a");
        Files.writeString(src, PH + " middle " + PH);
        RewriteResult r = new PrefixRewriter("linux", 8).rewrite(src, dir.resolve("b"), PH, NEW, Mode.TEXT);
        assertEquals(NEW + " middle " + NEW, Files.readString(dir.resolve("b")));
        assertEquals(2, r.replacements());
    }

    @Test
    void fileWithoutPlaceholderIsCopied() throws IOException {
        Path src = dir.resolve("a");
        Files.writeString(src, "nothing to see");
        RewriteResult r = new PrefixRewriter("linux").rewrite(src, dir.resolve("b"), PH, NEW, Mode.TEXT);
        assertEquals("nothing to see", Files.readString(dir.resolve("b")));
        assertEquals(0, r.replacements());
        assertEquals(sha256(src), r.sha256());
    }

    @Test
    void emptyFile() throws IOException {
        Path src = dir.resolve("a");
        Files.write(src, new byte[0]);
        RewriteResult r = new PrefixRewriter("linux").rewrite(src, dir.resolve("b"), PH, NEW, Mode.TEXT);
        assertEquals(0, r.bytesWritten());
        assertEquals(0, Files.size(dir.resolve("b")));
        assertEquals(TestFiles.sha256(new byte[0]), r.sha256());
    }

    @Test
    void overlappingCandidatesAreReplacedLeftmostFirstLikePython() throws IOException {
        Path src = dir.resolve("a");
        Files.writeString(src, "aaaaa|aaa");
        new PrefixRewriter("linux", 1).rewrite(src, dir.resolve("b"), "aa", "X", Mode.TEXT);
        assertEquals("XXa|Xa", Files.readString(dir.resolve("b")));
    }

    @Test
    void multiByteUtf8PlaceholderAndPrefix() throws IOException {
        Path src = dir.resolve("a");
        Files.writeString(src, "p=/opt/plätzhalter/lib\n");
        RewriteResult r = new PrefixRewriter("linux", 4).rewrite(src, dir.resolve("b"), "/opt/plätzhalter", "/home/jörg/環境",
                Mode.TEXT);
        assertEquals("p=/home/jörg/環境/lib\n", Files.readString(dir.resolve("b")));
        assertEquals(1, r.replacements());
    }

    @Test
    void randomDataMatchesPythonReplaceSemantics() throws IOException {
        Random rnd = new Random(42);
        byte[] alphabet = utf8("ab/\n\0x");
        for (int round = 0; round < 300; round++) {
            byte[] data = new byte[rnd.nextInt(200)];
            for (int i = 0; i < data.length; i++) {
                data[i] = alphabet[rnd.nextInt(alphabet.length)];
            }
            String ph = new String[] {"ab", "a/b", "aba", "ab/ab/", "b"}[rnd.nextInt(5)];
            String np = new String[] {"Q", "", "QQQQQQQ", "ab", "/ZZ"}[rnd.nextInt(5)];
            if (np.isEmpty()) {
                np = "R";
            }
            int buffer = 1 + rnd.nextInt(20);
            Path src = dir.resolve("r" + round);
            Path dst = dir.resolve("r" + round + ".out");
            Files.write(src, data);
            RewriteResult r = new PrefixRewriter(round % 2 == 0 ? "linux" : "windows", buffer).rewrite(src, dst, ph, np, Mode.TEXT);
            byte[] expected = ReferenceImpl.text(data, utf8(ph), utf8(np));
            assertArrayEquals(expected, Files.readAllBytes(dst), "round " + round);
            assertEquals(sha256(dst), r.sha256());
            assertEquals(expected.length, r.bytesWritten());
        }
    }

    @Test
    void sourceIsNotModifiedAndPermissionBitsAreCopied() throws IOException {
        Path src = dir.resolve("script");
        Files.writeString(src, "#!" + PH + "/bin/python3\nprint('" + PH + "')\n");
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxr-x---"));
        String before = sha256(src);
        long mtime = Files.getLastModifiedTime(src).toMillis();
        Path dst = dir.resolve("out");
        new PrefixRewriter("linux").rewrite(src, dst, PH, NEW, Mode.TEXT);
        assertEquals(before, sha256(src));
        assertEquals(mtime, Files.getLastModifiedTime(src).toMillis());
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst)));
        assertTrue(Files.isExecutable(dst));
    }

    @Test
    void readOnlySourceGivesReadOnlyTarget() throws IOException {
        Path src = dir.resolve("ro");
        Files.writeString(src, PH);
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("r--r--r--"));
        Path dst = dir.resolve("out");
        new PrefixRewriter("linux").rewrite(src, dst, PH, NEW, Mode.TEXT);
        assertEquals("r--r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(dst)));
        assertEquals(NEW, Files.readString(dst));
    }

    @Test
    void existingTargetIsNeitherOverwrittenNorDeleted() throws IOException {
        Path src = dir.resolve("a");
        Files.writeString(src, PH);
        Path dst = dir.resolve("b");
        Files.writeString(dst, "keep me");
        assertThrows(FileAlreadyExistsException.class,
                () -> new PrefixRewriter("linux").rewrite(src, dst, PH, NEW, Mode.TEXT));
        assertEquals("keep me", Files.readString(dst));
    }

    @Test
    void symlinkSourceIsRefusedWithoutTarget() throws IOException {
        Path real = dir.resolve("real");
        Files.writeString(real, PH);
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        Path dst = dir.resolve("out");
        IOException e = assertThrows(IOException.class,
                () -> new PrefixRewriter("linux").rewrite(link, dst, PH, NEW, Mode.TEXT));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertFalse(Files.exists(dst));
    }

    @Test
    void missingSourceLeavesNoTarget() {
        Path dst = dir.resolve("out");
        assertThrows(NoSuchFileException.class,
                () -> new PrefixRewriter("linux").rewrite(dir.resolve("nope"), dst, PH, NEW, Mode.TEXT));
        assertFalse(Files.exists(dst));
    }

    @Test
    void invalidArguments() {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        PrefixRewriter rw = new PrefixRewriter("linux");
        assertThrows(IllegalArgumentException.class, () -> rw.rewrite(a, b, "", NEW, Mode.TEXT));
        assertThrows(IllegalArgumentException.class, () -> rw.rewrite(a, b, PH, "", Mode.TEXT));
        assertThrows(IllegalArgumentException.class, () -> rw.rewrite(a, b, PH, "/a\0b", Mode.BINARY));
        assertThrows(NullPointerException.class, () -> rw.rewrite(a, b, PH, null, Mode.TEXT));
        assertThrows(IllegalArgumentException.class, () -> new PrefixRewriter("solaris"));
    }

    @Test
    void targetOsNamesAndSubdirs() {
        assertEquals("linux", new PrefixRewriter("Linux").targetOs());
        assertEquals("macos", new PrefixRewriter("macos").targetOs());
        assertEquals("windows", new PrefixRewriter("WINDOWS").targetOs());
        assertEquals("windows", PrefixRewriter.forSubdir("win-64").targetOs());
        assertEquals("macos", PrefixRewriter.forSubdir("osx-arm64").targetOs());
        assertEquals("linux", PrefixRewriter.forSubdir("linux-aarch64").targetOs());
        assertEquals("linux", PrefixRewriter.forSubdir("emscripten-wasm32").targetOs());
        String host = System.getProperty("os.name").toLowerCase();
        String expected = host.startsWith("windows") ? "windows" : host.startsWith("mac") ? "macos" : "linux";
        assertEquals(expected, PrefixRewriter.forSubdir("noarch").targetOs());
    }
}
