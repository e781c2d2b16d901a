package dev.envlink.link.macos;

import dev.envlink.link.DeclineReason;
import java.util.Optional;

/**
 * Which clonefile(2) errno values mean "this method is not possible here" (a decline: the engine
 * tries the next method) rather than a real failure (full disk, I/O error, read-only target) that
 * must stop the engine. Source: the ERRORS section of xnu's bsd/man/man2/clonefile.2.
 * Hardlinks go through NIO (the portable provider's classification); copies never decline.
 */
final class ErrnoDeclines {
    private ErrnoDeclines() {
    }

    static Optional<DeclineReason> forClone(int errno) {
        return Optional.ofNullable(switch (errno) {
            // "src and dst are not on the same filesystem".
            case Errno.EXDEV -> DeclineReason.CROSS_DEVICE;
            // "The underlying filesystem does not support this call": HFS+, exFAT, SMB, NFS volumes.
            case Errno.ENOTSUP, Errno.EOPNOTSUPP_UNIX03, Errno.ENOSYS, Errno.ENOTTY -> DeclineReason.UNSUPPORTED_BY_FILESYSTEM;
            // "Read permissions are denied on the source or write permissions on the destination
            // parent" / "does not have appropriate privileges": about this file, not the volume.
            case Errno.EPERM, Errno.EACCES -> DeclineReason.PERMISSION;
            case Errno.EISDIR -> DeclineReason.NOT_A_REGULAR_FILE;
            // EINVAL: flags not accepted (an older kernel); EDEADLK: a "dataless" (cloud
            // placeholder) file that this thread may not materialise. Per file: a copy may work.
            case Errno.EINVAL, Errno.EDEADLK -> DeclineReason.OTHER;
            default -> null;
        });
    }
}
