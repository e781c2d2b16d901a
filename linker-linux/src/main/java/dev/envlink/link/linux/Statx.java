package dev.envlink.link.linux;

import java.nio.ByteOrder;

/**
 * The fields of {@code struct statx} (linux/stat.h) that a placed file must reproduce. Unlike
 * {@code struct stat}, its layout is the same on every architecture: offsets are fixed by the
 * kernel ABI, integers are in the machine's byte order.
 */
record Statx(int mode, long size, long mtimeSeconds, int mtimeNanos) {
    /** sizeof(struct statx). */
    static final int SIZE = 256;
    static final int AT_EMPTY_PATH = 0x1000;
    static final int AT_SYMLINK_NOFOLLOW = 0x100;
    static final int STATX_TYPE = 0x1;
    static final int STATX_MODE = 0x2;
    static final int STATX_MTIME = 0x40;
    static final int STATX_SIZE = 0x200;
    static final int MASK = STATX_TYPE | STATX_MODE | STATX_MTIME | STATX_SIZE;

    static final int OFFSET_MASK = 0;
    static final int OFFSET_MODE = 28;
    static final int OFFSET_SIZE = 40;
    static final int OFFSET_MTIME = 112; // struct statx_timestamp: __s64 tv_sec, __u32 tv_nsec
    static final int OFFSET_DEV_MAJOR = 136; // after stx_rdev_major and stx_rdev_minor (__u32 each)
    static final int OFFSET_DEV_MINOR = 140;

    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;

    static Statx decode(byte[] buf) {
        return new Statx((int) unsigned(buf, OFFSET_MODE, 2), size(buf), unsigned(buf, OFFSET_MTIME, 8),
                (int) unsigned(buf, OFFSET_MTIME + 8, 4));
    }

    /**
     * Whether a filled buffer is of a regular file, read in place: the hardlink fast path asks this
     * and {@link #size(byte[])} of one reused buffer per directory run, no objects per file.
     */
    static boolean regular(byte[] buf) {
        return isRegular((int) unsigned(buf, OFFSET_MODE, 2));
    }

    /** stx_size of a filled buffer, read in place. */
    static long size(byte[] buf) {
        return unsigned(buf, OFFSET_SIZE, 8);
    }

    /** The device of the file as "major:minor" (the key {@link dev.envlink.link.DeviceIds} gives). */
    static String device(byte[] buf) {
        return unsigned(buf, OFFSET_DEV_MAJOR, 4) + ":" + unsigned(buf, OFFSET_DEV_MINOR, 4);
    }

    /** The fields the kernel filled in (stx_mask). */
    static int filled(byte[] buf) {
        return (int) unsigned(buf, OFFSET_MASK, 4);
    }

    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

    /**
     * The n-byte field at {@code off} in the machine's byte order, zero-extended (all 64 bits for
     * n = 8, so a signed 64-bit field reads as itself): every reader of the struct goes through here.
     */
    private static long unsigned(byte[] buf, int off, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            int at = LITTLE_ENDIAN ? off + n - 1 - i : off + i;
            v = (v << 8) | (buf[at] & 0xFF);
        }
        return v;
    }

    private static boolean isRegular(int mode) {
        return (mode & S_IFMT) == S_IFREG;
    }

    boolean regular() {
        return isRegular(mode);
    }

    /** The permission bits a placed copy gets: rwx for all three classes, never setuid/setgid/sticky. */
    int permissions() {
        return mode & 0777;
    }

    /** futimens(2) times: access time left alone (UTIME_OMIT), modification time from the source. */
    long[] futimensTimes() {
        return new long[] {0, UTIME_OMIT, mtimeSeconds, mtimeNanos};
    }

    /** ((1l << 30) - 2l) in linux/stat.h. */
    static final long UTIME_OMIT = (1L << 30) - 2L;
}
