package dev.envlink.link.windows;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.LinkMethod;
import java.util.Optional;

/**
 * Which Win32 errors mean "this method is not possible here" (a decline: the engine tries the next
 * method) rather than a real failure (full disk, quota, write-protected volume, I/O error) that
 * must stop the engine. Sources: the FSCTL_DUPLICATE_EXTENTS_TO_FILE reply codes of [MS-FSCC]
 * 2.3.8, the Block Cloning restrictions (learn.microsoft.com, fileio/block-cloning),
 * CreateHardLinkW and CreateSymbolicLinkW.
 */
final class Win32Declines {
    private Win32Declines() {
    }

    static Optional<DeclineReason> forMethod(LinkMethod method, int code) {
        return switch (method) {
            case REFLINK -> forClone(code);
            case HARDLINK -> forHardlink(code);
            case SYMLINK -> forSymlink(code);
            default -> Optional.empty();
        };
    }

    static Optional<DeclineReason> forClone(int code) {
        return Optional.ofNullable(switch (code) {
            case Win32Error.ERROR_NOT_SAME_DEVICE -> DeclineReason.CROSS_DEVICE;
            // STATUS_INVALID_DEVICE_REQUEST: "The file system does not support duplicating extents" (NTFS, FAT).
            case Win32Error.ERROR_INVALID_FUNCTION -> DeclineReason.UNSUPPORTED_BY_FILESYSTEM;
            case Win32Error.ERROR_ACCESS_DENIED, Win32Error.ERROR_PRIVILEGE_NOT_HELD -> DeclineReason.PERMISSION;
            // STATUS_NOT_SUPPORTED: overlapping ranges, a sparse source and non-sparse target, a range
            // beyond the source's allocation; STATUS_INVALID_PARAMETER: a handle on another volume or a
            // misaligned range; ReFS' reference count limit (8175 regions per cluster). All per file:
            // the volume does clone (FILE_SUPPORTS_BLOCK_REFCOUNTING was checked first).
            case Win32Error.ERROR_NOT_SUPPORTED, Win32Error.ERROR_INVALID_PARAMETER,
                    Win32Error.ERROR_OFFSET_ALIGNMENT_VIOLATION, Win32Error.ERROR_BLOCK_TOO_MANY_REFERENCES ->
                    DeclineReason.OTHER;
            default -> null;
        });
    }

    static Optional<DeclineReason> forHardlink(int code) {
        return Optional.ofNullable(switch (code) {
            case Win32Error.ERROR_NOT_SAME_DEVICE -> DeclineReason.CROSS_DEVICE;
            // NTFS allows 1024 links per file.
            case Win32Error.ERROR_TOO_MANY_LINKS -> DeclineReason.TOO_MANY_LINKS;
            // FAT and exFAT have no hard links.
            case Win32Error.ERROR_INVALID_FUNCTION, Win32Error.ERROR_NOT_SUPPORTED -> DeclineReason.UNSUPPORTED_BY_FILESYSTEM;
            // E.g. a read-only source: a new link needs write-attributes access to the file.
            case Win32Error.ERROR_ACCESS_DENIED -> DeclineReason.PERMISSION;
            default -> null;
        });
    }

    static Optional<DeclineReason> forSymlink(int code) {
        return Optional.ofNullable(switch (code) {
            // Neither Developer Mode (SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE) nor
            // SeCreateSymbolicLinkPrivilege: a clean decline, the engine copies instead.
            case Win32Error.ERROR_PRIVILEGE_NOT_HELD -> DeclineReason.PERMISSION;
            // FAT and exFAT have no reparse points.
            case Win32Error.ERROR_INVALID_FUNCTION, Win32Error.ERROR_NOT_SUPPORTED -> DeclineReason.UNSUPPORTED_BY_FILESYSTEM;
            // Windows 10 before 1703 rejects the unprivileged flag itself (after the retry without it).
            case Win32Error.ERROR_INVALID_PARAMETER -> DeclineReason.OTHER;
            default -> null;
        });
    }
}
