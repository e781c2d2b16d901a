package dev.envlink.env.prefix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Binary mode on Windows targets. conda ({@code binary_replace} with a Windows subdir) touches
 * only distlib/pyzzer entry-point executables: a launcher, then a {@code #!} line, then a zip
 * archive. It takes the last {@code PK\5\6} (end of central directory) in the file, computes
 * where the archive starts ({@code eocd - cd_size - cd_offset}), takes the last {@code #!}
 * before that, and replaces the placeholder in the bytes from there to the archive (the shebang;
 * its length may change, the zip's offsets are relative to the archive). Any other file is
 * written unchanged, as conda and rattler do: Windows binaries are not relocated.
 */
final class PyzzerEntryPoint {
    private static final byte[] EOCD = {'P', 'K', 5, 6};
    private static final byte[] HASH_BANG = {'#', '!'};

    private PyzzerEntryPoint() {
    }

    /** Returns the number of replacements. */
    static int run(FileChannel source, TargetSink out, BytePattern placeholder, byte[] newPrefix, int bufferSize)
            throws IOException {
        byte[] scratch = new byte[Math.max(bufferSize, 64)];
        long size = source.size();
        long eocd = lastIndexOf(source, 0, size, EOCD, scratch);
        if (eocd < 0 || eocd + 20 > size) {
            out.copyFrom(source, 0, -1, scratch);
            return 0;
        }
        ByteBuffer fields = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        while (fields.hasRemaining()) {
            if (source.read(fields, eocd + 12 + fields.position()) < 0) {
                throw new IOException("source file shrank while being read");
            }
        }
        long cdSize = Integer.toUnsignedLong(fields.getInt(0));
        long cdOffset = Integer.toUnsignedLong(fields.getInt(4));
        long archive = eocd - cdSize - cdOffset;
        long shebang = archive > 0 && archive < size ? lastIndexOf(source, 0, archive, HASH_BANG, scratch) : -1;
        if (shebang <= 0) { // no shebang, or no launcher before it
            out.copyFrom(source, 0, -1, scratch);
            return 0;
        }
        out.copyFrom(source, 0, shebang, scratch);
        int count = TextReplacer.run(new SourceReader(source, shebang, archive), out, placeholder, newPrefix,
                bufferSize);
        out.copyFrom(source, archive, -1, scratch);
        return count;
    }

    /** Start of the last occurrence of {@code needle} lying wholly inside {@code [from, to)}, or -1. */
    static long lastIndexOf(FileChannel ch, long from, long to, byte[] needle, byte[] scratch) throws IOException {
        int m = needle.length;
        int chunk = scratch.length;
        long end = to; // bytes [start, end) are in the current window
        while (end - from >= m) {
            long start = Math.max(from, end - chunk);
            int n = (int) (end - start);
            ByteBuffer bb = ByteBuffer.wrap(scratch, 0, n);
            while (bb.hasRemaining()) {
                if (ch.read(bb, start + bb.position()) < 0) {
                    throw new IOException("source file shrank while being read");
                }
            }
            for (int i = n - m; i >= 0; i--) {
                if (matchesAt(scratch, i, needle)) {
                    return start + i;
                }
            }
            if (start == from) {
                return -1;
            }
            end = start + m - 1; // overlap so that an occurrence across windows is seen
        }
        return -1;
    }

    private static boolean matchesAt(byte[] a, int i, byte[] needle) {
        for (int k = 0; k < needle.length; k++) {
            if (a[i + k] != needle[k]) {
                return false;
            }
        }
        return true;
    }
}
