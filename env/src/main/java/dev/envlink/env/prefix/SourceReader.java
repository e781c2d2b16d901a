package dev.envlink.env.prefix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sequential reads of {@code [start, end)} of a file channel (end = -1: to the end of the file),
 * optionally preceded by bytes already read from it (they must be the bytes just before
 * {@code start}, so that {@link #offset()} stays the source offset of the next byte).
 */
final class SourceReader {
    private final FileChannel channel;
    private final long end;
    private long pos;
    private byte[] pending;
    private int pendingOff;
    private int pendingLen;

    SourceReader(FileChannel channel, long start, long end) {
        this(channel, start, end, null, 0, 0);
    }

    SourceReader(FileChannel channel, long start, long end, byte[] pending, int off, int len) {
        this.channel = channel;
        this.pos = start;
        this.end = end;
        this.pending = pending;
        this.pendingOff = off;
        this.pendingLen = len;
    }

    /** Source offset of the next byte {@link #read} returns. */
    long offset() {
        return pos - pendingLen;
    }

    /** Reads up to {@code len} bytes; -1 at the end. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pendingLen > 0) {
            int n = Math.min(len, pendingLen);
            System.arraycopy(pending, pendingOff, b, off, n);
            pendingOff += n;
            pendingLen -= n;
            if (pendingLen == 0) {
                pending = null;
            }
            return n;
        }
        int want = len;
        if (end >= 0) {
            if (pos >= end) {
                return -1;
            }
            want = (int) Math.min(len, end - pos);
        }
        int n = channel.read(ByteBuffer.wrap(b, off, want), pos);
        if (n < 0) {
            if (end >= 0) {
                throw new IOException("source file shrank while being read (expected " + end
                        + " bytes, found " + pos + ")");
            }
            return -1;
        }
        pos += n;
        return n;
    }

    /** Fills {@code b[off, off+len)} as far as the data goes; returns the count (less only at the end). */
    int readFully(byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = read(b, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
