package dev.envlink.env.prefix;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 MB through the default heap: the rewriter streams, so this must work whatever -Xmx is
 * (nothing proportional to the file is held). No timing assertions; the time is printed.
 */
class LargeFileTest {
    static final long SIZE = 200L << 20;

    @TempDir
    Path dir;

    record Expected(String sha256, long size, int occurrences) {
    }

    /**
     * Writes SIZE bytes of records "filler + placeholder + /lib + terminator" (fillers of varying
     * length, so occurrences fall at all kinds of offsets relative to the rewriter's buffers) and
     * computes the sha256 of the expected output alongside.
     */
    private static Expected generate(Path file, byte[] ph, byte[] np, boolean binary) throws IOException {
        byte[] filler = new byte[1 << 20];
        for (int i = 0; i < filler.length; i++) {
            filler[i] = (byte) ('a' + (i * 31 + i / 97) % 26);
        }
        byte[] lib = "/lib".getBytes(StandardCharsets.US_ASCII);
        byte[] srcEnd = {binary ? (byte) 0 : (byte) '\n'};
        byte[] outEnd = binary ? new byte[1 + ph.length - np.length] : srcEnd;
        MessageDigest sha = TestFiles.sha();
        long written = 0;
        long outSize = 0;
        int occurrences = 0;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (int i = 0; ; i++) {
                int fill = 50_000 + (int) ((i * 7919L) % 900_000);
                long record = fill + ph.length + lib.length + 1;
                if (written + record > SIZE) {
                    int rest = (int) (SIZE - written);
                    out.write(filler, 0, rest);
                    sha.update(filler, 0, rest);
                    written += rest;
                    outSize += rest;
                    break;
                }
                out.write(filler, 0, fill);
                out.write(ph);
                out.write(lib);
                out.write(srcEnd);
                sha.update(filler, 0, fill);
                sha.update(np);
                sha.update(lib);
                sha.update(outEnd);
                written += record;
                outSize += fill + np.length + lib.length + outEnd.length;
                occurrences++;
            }
        }
        return new Expected(HexFormat.of().formatHex(sha.digest()), outSize, occurrences);
    }

    private void check(boolean binary) throws IOException {
        String placeholder = TestFiles.condaBuildPlaceholder();
        String prefix = "/home/user/miniforge3/envs/large";
        Path src = dir.resolve("big.src");
        Expected expected = generate(src, TestFiles.utf8(placeholder), TestFiles.utf8(prefix), binary);
        assertEquals(SIZE, Files.size(src));
        Path dst = dir.resolve("big.out");
        long t0 = System.nanoTime();
        RewriteResult r = new PrefixRewriter("linux").rewrite(src, dst, placeholder, prefix,
                binary ? Mode.BINARY : Mode.TEXT);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("%s 200 MB rewrite: %d ms (max heap %d MB)%n", binary ? "binary" : "text", ms,
                Runtime.getRuntime().maxMemory() >> 20);
        assertEquals(expected.occurrences(), r.replacements());
        assertEquals(expected.size(), r.bytesWritten());
        assertEquals(expected.size(), Files.size(dst));
        if (binary) {
            assertEquals(SIZE, expected.size());
        }
        assertEquals(expected.sha256(), r.sha256());
        assertEquals(TestFiles.sha256(dst), r.sha256());
        Files.delete(dst);
        Files.delete(src);
    }

    @Test
    void text200Mb() throws IOException {
        check(false);
    }

    @Test
    void binary200Mb() throws IOException {
        check(true);
    }
}
