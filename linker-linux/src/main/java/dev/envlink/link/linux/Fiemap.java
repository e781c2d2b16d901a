package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a file's extent map with the FS_IOC_FIEMAP ioctl (Documentation/filesystems/fiemap.rst).
 * The SHARED flag is how one can see, without trusting anybody's report, that a reflink really
 * shares blocks.
 */
public final class Fiemap {
    /** struct fiemap: u64 fm_start, u64 fm_length, u32 fm_flags, u32 fm_mapped_extents, u32 fm_extent_count, u32 fm_reserved. */
    static final int HEADER_SIZE = 32;
    /** struct fiemap_extent: u64 logical, u64 physical, u64 length, u64 reserved[2], u32 flags, u32 reserved[3]. */
    static final int EXTENT_SIZE = 56;
    static final int OFF_FLAGS = 16;
    static final int OFF_MAPPED = 20;
    static final int OFF_COUNT = 24;
    static final int EXT_OFF_LOGICAL = 0;
    static final int EXT_OFF_PHYSICAL = 8;
    static final int EXT_OFF_LENGTH = 16;
    static final int EXT_OFF_FLAGS = 40;

    /** Flush dirty data first, so freshly written files have real extents. */
    public static final int FLAG_SYNC = 0x1;
    public static final int EXTENT_LAST = 0x1;
    public static final int EXTENT_UNKNOWN = 0x2;
    public static final int EXTENT_DELALLOC = 0x4;
    public static final int EXTENT_ENCODED = 0x8;
    public static final int EXTENT_INLINE = 0x200;
    public static final int EXTENT_SHARED = 0x2000;

    private static final int BATCH = 128;

    /** One mapped extent. */
    public record Extent(long logical, long physical, long length, int flags) {
        public boolean shared() {
            return (flags & EXTENT_SHARED) != 0;
        }

        public boolean last() {
            return (flags & EXTENT_LAST) != 0;
        }
    }

    private Fiemap() {
    }

    /** All extents of a regular file, in logical order. */
    public static List<Extent> extents(Path file) throws IOException {
        LibC libc = Natives.libc();
        int fd;
        try {
            fd = libc.open(file.toString(), OpenFlags.SOURCE, 0);
        } catch (LastErrorException e) {
            throw Errno.exception("open", file, null, e.getErrorCode());
        }
        try {
            List<Extent> out = new ArrayList<>();
            Memory buf = new Memory(HEADER_SIZE + (long) BATCH * EXTENT_SIZE);
            long start = 0;
            while (true) {
                buf.clear();
                buf.setLong(0, start);
                buf.setLong(8, -1L); // FIEMAP_MAX_OFFSET: to the end of the file
                buf.setInt(OFF_FLAGS, FLAG_SYNC);
                buf.setInt(OFF_COUNT, BATCH);
                try {
                    libc.ioctl(fd, new NativeLong(Ioctls.FS_IOC_FIEMAP), buf);
                } catch (LastErrorException e) {
                    throw Errno.exception("FIEMAP", file, null, e.getErrorCode());
                }
                int mapped = buf.getInt(OFF_MAPPED);
                if (mapped == 0) {
                    return out;
                }
                Extent last = null;
                for (int i = 0; i < mapped; i++) {
                    long base = HEADER_SIZE + (long) i * EXTENT_SIZE;
                    last = new Extent(buf.getLong(base + EXT_OFF_LOGICAL), buf.getLong(base + EXT_OFF_PHYSICAL),
                            buf.getLong(base + EXT_OFF_LENGTH), buf.getInt(base + EXT_OFF_FLAGS));
                    out.add(last);
                }
                if (last.last()) {
                    return out;
                }
                start = last.logical() + last.length();
            }
        } finally {
            closeQuietly(libc, fd);
        }
    }

    /** Bytes of the file that sit in extents shared with another file (reflinks, snapshots, dedup). */
    public static long sharedBytes(Path file) throws IOException {
        long n = 0;
        for (Extent e : extents(file)) {
            if (e.shared()) {
                n += e.length();
            }
        }
        return n;
    }

    static void closeQuietly(LibC libc, int fd) {
        try {
            libc.close(fd);
        } catch (LastErrorException ignored) {
            // Nothing useful to do: the descriptor is gone either way.
        }
    }
}
