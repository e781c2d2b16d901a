package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.util.Optional;

/**
 * statx, fchmod and futimens, bound separately from {@link DirectLibC}: statx came with glibc
 * 2.28, and a symbol missing here must only turn off the descriptor-based attribute copy, not the
 * whole provider. Bound on first use (holder idiom).
 */
final class AttrCalls {
    private AttrCalls() {
    }

    /** The calls, or empty (with the reason kept) when this libc lacks one of them. */
    static Optional<AttrCalls> get() {
        return Holder.AVAILABLE ? Optional.of(Holder.INSTANCE) : Optional.empty();
    }

    static String unavailableReason() {
        return Holder.REASON;
    }

    private static final class Holder {
        static final AttrCalls INSTANCE = new AttrCalls();
        static final boolean AVAILABLE;
        static final String REASON;

        static {
            boolean ok;
            String reason = "";
            try {
                C.init();
                ok = true;
            } catch (LinkageError | RuntimeException e) {
                ok = false;
                reason = String.valueOf(e);
            }
            AVAILABLE = ok;
            REASON = reason;
        }
    }

    private static final class C {
        static {
            Native.register("c");
        }

        static void init() {
            // Runs the static initializer.
        }

        static native int statx(int dirfd, String path, int flags, int mask, byte[] buf) throws LastErrorException;

        static native int fchmod(int fd, int mode) throws LastErrorException;

        static native int futimens(int fd, long[] times) throws LastErrorException;
    }

    /** statx of an open descriptor (AT_EMPTY_PATH). */
    Statx fstatx(int fd) throws LastErrorException {
        byte[] buf = new byte[Statx.SIZE];
        C.statx(fd, "", Statx.AT_EMPTY_PATH, Statx.MASK, buf);
        return Statx.decode(buf);
    }

    void fchmod(int fd, int mode) throws LastErrorException {
        C.fchmod(fd, mode);
    }

    void futimens(int fd, long[] times) throws LastErrorException {
        C.futimens(fd, times);
    }
}
