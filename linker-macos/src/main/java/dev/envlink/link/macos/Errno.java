package dev.envlink.link.macos;

import dev.envlink.link.NativeErrors;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Map;

/**
 * macOS errno values (xnu bsd/sys/errno.h; the same on x86_64 and arm64) and their conversion
 * into Java exceptions that name the file and the cause. Several differ from Linux: ENOTSUP is
 * 45 (Linux EOPNOTSUPP 95), EDQUOT 69 (Linux 122), ENOSYS 78 (Linux 38), ELOOP 62 (Linux 40).
 * User space sees EOPNOTSUPP as ENOTSUP (errno.h defines it so unless __DARWIN_UNIX03 asks for
 * the socket-only value 102), so both are listed.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int EBADF = 9;
    static final int EDEADLK = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EBUSY = 16;
    static final int EEXIST = 17;
    static final int EXDEV = 18;
    static final int ENOTDIR = 20;
    static final int EISDIR = 21;
    static final int EINVAL = 22;
    static final int ENOTTY = 25;
    static final int ETXTBSY = 26;
    static final int EFBIG = 27;
    static final int ENOSPC = 28;
    static final int EROFS = 30;
    static final int EMLINK = 31;
    static final int ENOTSUP = 45;
    static final int ELOOP = 62;
    static final int ENAMETOOLONG = 63;
    static final int EDQUOT = 69;
    static final int ENOSYS = 78;
    /** The discrete socket-only value, seen only by __DARWIN_UNIX03 code; listed for completeness. */
    static final int EOPNOTSUPP_UNIX03 = 102;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(EIO, "EIO"),
            Map.entry(EBADF, "EBADF"), Map.entry(EDEADLK, "EDEADLK"), Map.entry(ENOMEM, "ENOMEM"),
            Map.entry(EACCES, "EACCES"), Map.entry(EBUSY, "EBUSY"), Map.entry(EEXIST, "EEXIST"),
            Map.entry(EXDEV, "EXDEV"), Map.entry(ENOTDIR, "ENOTDIR"), Map.entry(EISDIR, "EISDIR"),
            Map.entry(EINVAL, "EINVAL"), Map.entry(ENOTTY, "ENOTTY"), Map.entry(ETXTBSY, "ETXTBSY"),
            Map.entry(EFBIG, "EFBIG"), Map.entry(ENOSPC, "ENOSPC"), Map.entry(EROFS, "EROFS"),
            Map.entry(EMLINK, "EMLINK"), Map.entry(ENOTSUP, "ENOTSUP"), Map.entry(ELOOP, "ELOOP"),
            Map.entry(ENAMETOOLONG, "ENAMETOOLONG"), Map.entry(EDQUOT, "EDQUOT"), Map.entry(ENOSYS, "ENOSYS"),
            Map.entry(EOPNOTSUPP_UNIX03, "EOPNOTSUPP"));

    /** strerror texts as macOS prints them (they also match what NIO reports there). */
    private static final Map<Integer, String> MESSAGES = Map.ofEntries(
            Map.entry(EPERM, "Operation not permitted"), Map.entry(ENOENT, "No such file or directory"),
            Map.entry(EIO, "Input/output error"), Map.entry(EDEADLK, "Resource deadlock avoided"),
            Map.entry(EACCES, "Permission denied"), Map.entry(EEXIST, "File exists"),
            Map.entry(EXDEV, "Cross-device link"), Map.entry(ENOTDIR, "Not a directory"),
            Map.entry(EISDIR, "Is a directory"), Map.entry(EINVAL, "Invalid argument"),
            Map.entry(ENOSPC, "No space left on device"), Map.entry(EROFS, "Read-only file system"),
            Map.entry(EMLINK, "Too many links"), Map.entry(ENOTSUP, "Operation not supported"),
            Map.entry(ELOOP, "Too many levels of symbolic links"), Map.entry(ENAMETOOLONG, "File name too long"),
            Map.entry(EDQUOT, "Disc quota exceeded"), Map.entry(ENOSYS, "Function not implemented"));

    private Errno() {
    }

    static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }

    /** "Operation not supported (ENOTSUP)". */
    static String describe(int errno) {
        String msg = MESSAGES.get(errno);
        return msg == null ? name(errno) : msg + " (" + name(errno) + ")";
    }

    /** A real error as the most specific NIO exception, naming the operation, file and cause. */
    static FileSystemException exception(String operation, Path file, Path other, int errno) {
        NativeErrors.Kind kind = switch (errno) {
            case ENOENT -> NativeErrors.Kind.NOT_FOUND;
            case EEXIST -> NativeErrors.Kind.EXISTS;
            case EACCES -> NativeErrors.Kind.DENIED;
            default -> NativeErrors.Kind.OTHER;
        };
        return NativeErrors.exception(kind, operation, file, other, describe(errno));
    }

}
