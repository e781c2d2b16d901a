package dev.envlink.env.prefix;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A byte string searched for with Boyer-Moore-Horspool: conda-build placeholders are long
 * (255 bytes is usual), so most windows are skipped without looking at their bytes.
 */
final class BytePattern {
    private final byte[] bytes;
    private final int[] shift = new int[256];

    BytePattern(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("empty pattern");
        }
        this.bytes = bytes.clone();
        int m = bytes.length;
        Arrays.fill(shift, m);
        for (int i = 0; i < m - 1; i++) {
            shift[bytes[i] & 0xff] = m - 1 - i;
        }
    }

    int length() {
        return bytes.length;
    }

    byte[] bytes() {
        return bytes.clone();
    }

    /** First index {@code i} in {@code [from, to - length]} where the pattern occurs in full, or -1. */
    int indexIn(byte[] a, int from, int to) {
        int m = bytes.length;
        int last = m - 1;
        byte lastByte = bytes[last];
        int i = from;
        int end = to - m;
        while (i <= end) {
            byte b = a[i + last];
            if (b == lastByte && Arrays.equals(a, i, i + last, bytes, 0, last)) {
                return i;
            }
            i += shift[b & 0xff];
        }
        return -1;
    }

    /** Whether {@code a} contains the pattern. */
    boolean occursIn(byte[] a) {
        return indexIn(a, 0, a.length) >= 0;
    }

    /**
     * Replaces every non-overlapping occurrence (leftmost first, as Python's {@code bytes.replace})
     * in an in-memory array. Used only for bounded data (a shebang line).
     */
    Replaced replaceAll(byte[] a, byte[] replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + 16);
        int count = 0;
        int pos = 0;
        int i;
        while ((i = indexIn(a, pos, a.length)) >= 0) {
            out.write(a, pos, i - pos);
            out.write(replacement, 0, replacement.length);
            pos = i + bytes.length;
            count++;
        }
        out.write(a, pos, a.length - pos);
        return new Replaced(count == 0 ? a : out.toByteArray(), count);
    }

    record Replaced(byte[] bytes, int count) {
    }

    /** Index of the first {@code b} in {@code a[from, to)}, or -1. */
    static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
