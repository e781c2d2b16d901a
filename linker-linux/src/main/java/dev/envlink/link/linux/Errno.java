package dev.envlink.link.linux;

import dev.envlink.link.NativeErrors;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Linux errno values (asm-generic/errno-base.h and errno.h; identical on x86_64 and aarch64) and
 * their conversion into Java exceptions that name the file and the cause.
 */
final class Errno {
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EIO = 5;
    static final int ENXIO = 6;
    static final int EBADF = 9;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
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
    static final int ENAMETOOLONG = 36;
    static final int ENOSYS = 38;
    static final int ELOOP = 40;
    static final int EOPNOTSUPP = 95;
    static final int EDQUOT = 122;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(EIO, "EIO"),
            Map.entry(ENXIO, "ENXIO"), Map.entry(EBADF, "EBADF"), Map.entry(ENOMEM, "ENOMEM"),
            Map.entry(EACCES, "EACCES"), Map.entry(EEXIST, "EEXIST"), Map.entry(EXDEV, "EXDEV"),
            Map.entry(ENOTDIR, "ENOTDIR"), Map.entry(EISDIR, "EISDIR"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENOTTY, "ENOTTY"), Map.entry(ETXTBSY, "ETXTBSY"), Map.entry(EFBIG, "EFBIG"),
            Map.entry(ENOSPC, "ENOSPC"), Map.entry(EROFS, "EROFS"), Map.entry(EMLINK, "EMLINK"),
            Map.entry(ENAMETOOLONG, "ENAMETOOLONG"), Map.entry(ENOSYS, "ENOSYS"), Map.entry(ELOOP, "ELOOP"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(EDQUOT, "EDQUOT"));

    private static final Map<Integer, String> MESSAGES = Map.ofEntries(
            Map.entry(EPERM, "Operation not permitted"), Map.entry(ENOENT, "No such file or directory"),
            Map.entry(EIO, "Input/output error"), Map.entry(EACCES, "Permission denied"),
            Map.entry(EEXIST, "File exists"), Map.entry(EXDEV, "Invalid cross-device link"),
            Map.entry(EISDIR, "Is a directory"), Map.entry(EINVAL, "Invalid argument"),
            Map.entry(ENOTTY, "Inappropriate ioctl for device"), Map.entry(ETXTBSY, "Text file busy"),
            Map.entry(EFBIG, "File too large"), Map.entry(ENOSPC, "No space left on device"),
            Map.entry(EROFS, "Read-only file system"), Map.entry(EMLINK, "Too many links"),
            Map.entry(ENOSYS, "Function not implemented"), Map.entry(ELOOP, "Too many levels of symbolic links"),
            Map.entry(EOPNOTSUPP, "Operation not supported"), Map.entry(EDQUOT, "Disk quota exceeded"));

    private Errno() {
    }

    static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }

    /** "Operation not supported (EOPNOTSUPP)". */
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
