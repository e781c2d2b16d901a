package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import java.util.Optional;

/**
 * The descriptor-based calls: statx, fchmod and futimens (attributes carried from an open source
 * to an open target), and openat, linkat and unlinkat (files placed by name relative to open
 * directories, see {@link LinuxDirectoryLinker}). Bound separately from {@link DirectLibC}: statx
 * came with glibc 2.28, and a symbol missing here must only turn off these fast paths, not the
 * whole provider. Bound on first use (holder idiom). Names are NUL-terminated byte arrays.
 */
final class FdCalls {
    private FdCalls() {
    }

    /** The calls, or empty (with the reason kept) when this libc lacks one of them. */
    static Optional<FdCalls> get() {
        return Holder.AVAILABLE ? Optional.of(Holder.INSTANCE) : Optional.empty();
    }

    static String unavailableReason() {
        return Holder.REASON;
    }

    private static final class Holder {
        static final FdCalls INSTANCE = new FdCalls();
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

        static native int statx(int dirfd, byte[] path, int flags, int mask, byte[] buf) throws LastErrorException;

        static native int fchmod(int fd, int mode) throws LastErrorException;

        static native int futimens(int fd, long[] times) throws LastErrorException;

        static native int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException;

        static native int linkat(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags)
                throws LastErrorException;

        static native int unlinkat(int dirfd, byte[] path, int flags) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    /** "" for AT_EMPTY_PATH, as bytes (a String costs JNA a conversion per call). */
    private static final byte[] EMPTY_NAME = {0};

    /** The raw struct statx of {@code name} in {@code dirfd} (names are NUL-terminated bytes). */
    private static byte[] statx(int dirfd, byte[] name, int flags, int mask) throws LastErrorException {
        byte[] buf = new byte[Statx.SIZE];
        C.statx(dirfd, name, flags, mask, buf);
        return buf;
    }

    /** statx of an open descriptor (AT_EMPTY_PATH). */
    Statx fstatx(int fd) throws LastErrorException {
        return Statx.decode(statx(fd, EMPTY_NAME, Statx.AT_EMPTY_PATH, Statx.MASK));
    }

    /**
     * statx of a name (NUL-terminated bytes: a String argument costs JNA a conversion and a
     * malloc, ~1 µs a call) in an open directory, not following a symlink, into the caller's
     * buffer of {@link Statx#SIZE} bytes (read with {@link Statx#regular(byte[])} and
     * {@link Statx#size(byte[])}): no buffer and no record per file.
     */
    void statxAt(int dirfd, byte[] name, byte[] buf) throws LastErrorException {
        C.statx(dirfd, name, Statx.AT_SYMLINK_NOFOLLOW, Statx.MASK, buf);
    }

    /**
     * The device a path is on (not following a symlink), as "major:minor": stx_dev_major and
     * stx_dev_minor, which statx fills whatever the mask asks.
     */
    String deviceOf(byte[] path) throws LastErrorException {
        return Statx.device(statx(OpenFlags.AT_FDCWD, path, Statx.AT_SYMLINK_NOFOLLOW, 0));
    }

    /** As {@link #deviceOf(byte[])}, of an open descriptor (an O_PATH one too): no path walk. */
    String deviceOf(int fd) throws LastErrorException {
        return Statx.device(statx(fd, EMPTY_NAME, Statx.AT_EMPTY_PATH, 0));
    }

    void fchmod(int fd, int mode) throws LastErrorException {
        C.fchmod(fd, mode);
    }

    void futimens(int fd, long[] times) throws LastErrorException {
        C.futimens(fd, times);
    }

    int openat(int dirfd, byte[] path, int flags, int mode) throws LastErrorException {
        return C.openat(dirfd, path, flags, mode);
    }

    void linkat(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath) throws LastErrorException {
        C.linkat(oldDirFd, oldPath, newDirFd, newPath, 0); // flags 0: a symlink is linked, not followed
    }

    /** Removes a name; false (errno ignored) when it could not. */
    boolean unlinkQuietly(int dirfd, byte[] path) {
        try {
            C.unlinkat(dirfd, path, 0);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            C.close(fd);
        } catch (LastErrorException ignored) {
            // Nothing to do about a failed close of a read-only or O_PATH descriptor.
        }
    }

    /** A name as the kernel wants it: UTF-8 (what Java's file system uses here), NUL-terminated. */
    static byte[] cString(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return java.util.Arrays.copyOf(b, b.length + 1);
    }
}
