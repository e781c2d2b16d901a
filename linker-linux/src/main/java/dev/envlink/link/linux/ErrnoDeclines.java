package dev.envlink.link.linux;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.LinkMethod;
import java.util.Optional;

/**
 * Which errno values mean "this method is not possible here" (a decline: the engine tries the
 * next method) rather than a real failure (full disk, I/O error, read-only target) that must stop
 * the engine. Sources: ioctl_ficlone(2), link(2), the kernel's vfs_clone_file_range().
 */
final class ErrnoDeclines {
    private ErrnoDeclines() {
    }

    static Optional<DeclineReason> forMethod(LinkMethod method, int errno) {
        return switch (method) {
            case REFLINK -> forClone(errno);
            case HARDLINK -> forHardlink(errno);
            default -> Optional.empty();
        };
    }

    static Optional<DeclineReason> forClone(int errno) {
        return Optional.ofNullable(switch (errno) {
            // Different superblocks: clones never cross filesystems.
            case Errno.EXDEV -> DeclineReason.CROSS_DEVICE;
            // No remap_file_range (ext4, tmpfs) or reflink disabled (XFS -m reflink=0).
            case Errno.EOPNOTSUPP, Errno.ENOTTY, Errno.ENOSYS -> DeclineReason.UNSUPPORTED_BY_FILESYSTEM;
            case Errno.EPERM, Errno.EACCES -> DeclineReason.PERMISSION;
            case Errno.EISDIR -> DeclineReason.NOT_A_REGULAR_FILE;
            // Per-file conditions on a filesystem that does clone: Btrfs refuses to clone between
            // files with different checksum/nodatacow flags (EINVAL), and swap files (ETXTBSY).
            case Errno.EINVAL, Errno.ETXTBSY -> DeclineReason.OTHER;
            default -> null;
        });
    }

    static Optional<DeclineReason> forHardlink(int errno) {
        return Optional.ofNullable(switch (errno) {
            case Errno.EXDEV -> DeclineReason.CROSS_DEVICE;
            case Errno.EMLINK -> DeclineReason.TOO_MANY_LINKS;
            // EPERM: the filesystem has no hard links (vfat) or fs.protected_hardlinks refused.
            case Errno.EPERM -> DeclineReason.PERMISSION;
            case Errno.EOPNOTSUPP -> DeclineReason.UNSUPPORTED_BY_FILESYSTEM;
            default -> null;
        });
    }
}
