package dev.envlink.env.prefix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Buffered writer to the new target file that counts and hashes (sha256) what it writes. It can
 * be cut back to an earlier length ({@link #truncateTo}); the digest is then recomputed from the
 * file, which only happens for the rare binary-mode roll-back.
 */
final class TargetSink {
    private final FileChannel channel;
    private final byte[] buf;
    private int count;
    private long written;
    private MessageDigest sha = newSha256();

    TargetSink(FileChannel channel, int bufferSize) {
        this.channel = channel;
        this.buf = new byte[Math.max(bufferSize, 64)];
    }

    long position() {
        return written;
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len <= 0) {
            return;
        }
        sha.update(b, off, len);
        written += len;
        if (len >= buf.length) {
            flush();
            writeFully(ByteBuffer.wrap(b, off, len));
            return;
        }
        if (len > buf.length - count) {
            flush();
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    void writeZeros(long n) throws IOException {
        byte[] zeros = new byte[(int) Math.min(n, 4096)];
        while (n > 0) {
            int k = (int) Math.min(n, zeros.length);
            write(zeros, 0, k);
            n -= k;
        }
    }

    /** Copies {@code [from, to)} of {@code source} unchanged (to = -1: to its end). */
    void copyFrom(FileChannel source, long from, long to, byte[] scratch) throws IOException {
        long pos = from;
        while (to < 0 || pos < to) {
            int want = to < 0 ? scratch.length : (int) Math.min(scratch.length, to - pos);
            int n = source.read(ByteBuffer.wrap(scratch, 0, want), pos);
            if (n < 0) {
                if (to >= 0) {
                    throw new IOException("source file shrank while being read (expected " + to
                            + " bytes, found " + pos + ")");
                }
                return;
            }
            write(scratch, 0, n);
            pos += n;
        }
    }

    void flush() throws IOException {
        if (count > 0) {
            writeFully(ByteBuffer.wrap(buf, 0, count));
            count = 0;
        }
    }

    /** Cuts the file back to {@code length} bytes (an earlier {@link #position()}). */
    void truncateTo(long length, byte[] scratch) throws IOException {
        flush();
        channel.truncate(length);
        channel.position(length);
        written = length;
        sha = newSha256();
        long pos = 0;
        while (pos < length) {
            int n = channel.read(ByteBuffer.wrap(scratch, 0, (int) Math.min(scratch.length, length - pos)), pos);
            if (n < 0) {
                throw new IOException("target file shrank while being rewritten");
            }
            sha.update(scratch, 0, n);
            pos += n;
        }
    }

    /** Flushes and returns the lowercase hex sha256 of everything written. */
    String finish() throws IOException {
        flush();
        return HexFormat.of().formatHex(sha.digest());
    }

    private void writeFully(ByteBuffer bb) throws IOException {
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
