package dev.envlink.link.linux;

/**
 * open(2) flags. Most are the same on every Linux architecture, but O_NOFOLLOW differs between
 * x86/x86_64 (asm-generic: 0400000) and arm/aarch64/powerpc (0100000; on powerpc 0400000 is O_DIRECT),
 * so it is chosen by os.arch.
 */
final class OpenFlags {
    static final int O_RDONLY = 0;
    static final int O_WRONLY = 01;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_CLOEXEC = 02000000;
    /** The same (04000) on x86, arm, aarch64, powerpc, s390x and riscv. */
    static final int O_NONBLOCK = 04000;

    private OpenFlags() {
    }

    static int noFollow(String arch) {
        String a = arch == null ? "" : arch.toLowerCase(java.util.Locale.ROOT);
        return a.startsWith("aarch64") || a.startsWith("arm") || a.startsWith("ppc") ? 0100000 : 0400000;
    }

    static final int O_NOFOLLOW = noFollow(System.getProperty("os.arch"));

    /** O_DIRECTORY, like O_NOFOLLOW, differs on arm/aarch64/powerpc (040000) from asm-generic (0200000). */
    static int directory(String arch) {
        String a = arch == null ? "" : arch.toLowerCase(java.util.Locale.ROOT);
        return a.startsWith("aarch64") || a.startsWith("arm") || a.startsWith("ppc") ? 040000 : 0200000;
    }

    static final int O_DIRECTORY = directory(System.getProperty("os.arch"));
    /** The same (010000000) on x86, arm, aarch64, powerpc and riscv. */
    static final int O_PATH = 010000000;
    /** A directory to place files in by name: no read access needed, never through a symlink. */
    static final int DIRECTORY_HANDLE = O_PATH | O_DIRECTORY | O_CLOEXEC;
    /** openat's "relative to the working directory". */
    static final int AT_FDCWD = -100;

    /**
     * Source: read-only, never through a symlink, and never blocking on a FIFO (the type is
     * checked on the descriptor; for regular files O_NONBLOCK changes nothing).
     */
    static final int SOURCE = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
    /** Destination: must be new; O_EXCL also refuses a dangling symlink at the path. */
    static final int NEW_TARGET = O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC;
}
