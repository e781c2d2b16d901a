package dev.envlink.link.macos;

import com.sun.jna.Pointer;

/**
 * The few libSystem calls the provider needs, bound by {@link DirectLibSystem}. They return -1
 * (copyfile: less than 0) on failure and the provider then reads errno with {@link #lastError()}.
 *
 * <p>Why not JNA's LastErrorException as on Linux: JNA throws it whenever errno is non-zero after
 * the call (native/dispatch.c clears errno before and checks it after), and copyfile(3) can leave
 * errno set on success (copyfile.c stats the not-yet-existing destination first, getting ENOENT).
 * So the return value decides, and errno is read only on failure.
 */
interface LibSystem {
    /** clonefile(2): {@code int clonefile(const char *src, const char *dst, int flags)}. */
    int clonefile(String src, String dst, int flags);

    /** copyfile(3): {@code int copyfile(const char *from, const char *to, copyfile_state_t state, copyfile_flags_t flags)}. */
    int copyfile(String from, String to, Pointer state, int flags);

    /** statfs(2), 64-bit-inode variant (see {@link Statfs}). */
    int statfs(String path, Statfs buf);

    /** errno of this thread's last call through this binding. */
    int lastError();
}
