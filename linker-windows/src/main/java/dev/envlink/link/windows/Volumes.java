package dev.envlink.link.windows;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Volume facts: mount root, volume GUID path, file system name and flags, cluster size, Dev Drive state. */
final class Volumes {

    /**
     * What {@code envlink probe} shows about a volume.
     *
     * @param root        the mount point, "C:\" or "\\server\share\"
     * @param guidPath    "\\?\Volume{GUID}\", or null (network shares have none)
     * @param label       the volume label, may be ""
     * @param fsName      "NTFS", "ReFS", "FAT32", "exFAT"...
     * @param serial      the volume serial number
     * @param fsFlags     GetVolumeInformationW's file system flags
     * @param clusterSize bytes per cluster, or -1 if unknown
     * @param devDrive    "yes (trusted)", "yes (not trusted)", "no", or "unknown (why)"
     */
    record Facts(String root, String guidPath, String label, String fsName, int serial, int fsFlags,
                 long clusterSize, String devDrive) {

        /** The volume's identity: the GUID path when there is one (it survives drive letter changes). */
        String key() {
            return guidPath != null ? guidPath : root;
        }

        boolean blockCloning() {
            return (fsFlags & Kernel32.FILE_SUPPORTS_BLOCK_REFCOUNTING) != 0;
        }

        String detail() {
            List<String> parts = new ArrayList<>();
            parts.add("volume " + key() + (guidPath != null ? " at " + root : ""));
            if (!label.isEmpty()) {
                parts.add("label '" + label + "'");
            }
            parts.add(String.format(Locale.ROOT, "serial %04X-%04X", serial >>> 16, serial & 0xFFFF));
            parts.add(clusterSize > 0 ? "cluster " + clusterSize + " bytes" : "cluster size unknown");
            parts.add("block cloning " + (blockCloning() ? "yes (FILE_SUPPORTS_BLOCK_REFCOUNTING)" : "no"));
            parts.add("Dev Drive " + devDrive);
            if ((fsFlags & Kernel32.FILE_READ_ONLY_VOLUME) != 0) {
                parts.add("read-only");
            }
            return String.join(", ", parts);
        }
    }

    private Volumes() {
    }

    static Facts facts(Kernel32 k, Path path) throws IOException {
        String root = volumePathName(k, path);
        String guid = volumeGuidPath(k, root);
        IntByReference serial = new IntByReference();
        IntByReference maxComponent = new IntByReference();
        IntByReference flags = new IntByReference();
        Memory label = wideBuffer(Kernel32.MAX_PATH_CHARS);
        Memory fsName = wideBuffer(Kernel32.MAX_PATH_CHARS);
        if (k.GetVolumeInformationW(new WString(root), label, Kernel32.MAX_PATH_CHARS, serial, maxComponent, flags,
                fsName, Kernel32.MAX_PATH_CHARS) == 0) {
            throw Win32Error.exception("GetVolumeInformationW(" + root + ")", path, null, k.lastError());
        }
        return new Facts(root, guid, label.getWideString(0), fsName.getWideString(0), serial.getValue(),
                flags.getValue(), clusterSize(k, root), devDrive(k, guid != null ? guid : root));
    }

    /** The mount point holding {@code path}, with its trailing backslash: "C:\", "D:\mnt\vol\", "\\server\share\". */
    static String volumePathName(Kernel32 k, Path path) throws IOException {
        String abs = path.toAbsolutePath().normalize().toString();
        // Below MAX_PATH the plain form; longer paths need the \\?\ form.
        String query = abs.length() < 260 ? abs : LongPaths.of(abs);
        int chars = Math.max(Kernel32.MAX_PATH_CHARS, query.length() + 2);
        Memory out = wideBuffer(chars);
        if (k.GetVolumePathNameW(new WString(query), out, chars) == 0) {
            throw Win32Error.exception("GetVolumePathNameW", path, null, k.lastError());
        }
        String root = LongPaths.strip(out.getWideString(0));
        return root.endsWith("\\") ? root : root + "\\";
    }

    /** "\\?\Volume{GUID}\" for a mount point, or null when it has none (network shares). */
    static String volumeGuidPath(Kernel32 k, String root) {
        Memory out = wideBuffer(Kernel32.MAX_PATH_CHARS);
        if (k.GetVolumeNameForVolumeMountPointW(new WString(root), out, Kernel32.MAX_PATH_CHARS) == 0) {
            return null;
        }
        return out.getWideString(0);
    }

    /** Sectors per cluster times bytes per sector, or -1. */
    static long clusterSize(Kernel32 k, String root) {
        IntByReference sectorsPerCluster = new IntByReference();
        IntByReference bytesPerSector = new IntByReference();
        if (k.GetDiskFreeSpaceW(new WString(root), sectorsPerCluster, bytesPerSector, new IntByReference(),
                new IntByReference()) == 0) {
            return -1;
        }
        return Integer.toUnsignedLong(sectorsPerCluster.getValue()) * Integer.toUnsignedLong(bytesPerSector.getValue());
    }

    /**
     * Whether the volume is a Dev Drive: FSCTL_QUERY_PERSISTENT_VOLUME_STATE on the volume's root
     * (Version 1), flag PERSISTENT_VOLUME_STATE_DEV_VOLUME, and TRUSTED_VOLUME for `fsutil devdrv
     * trust`. Volumes and Windows versions that do not know the query answer "unknown".
     */
    static String devDrive(Kernel32 k, String volumeRoot) {
        Pointer h = k.CreateFileW(new WString(volumeRoot), Kernel32.FILE_READ_ATTRIBUTES,
                Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE | Kernel32.FILE_SHARE_DELETE, null,
                Kernel32.OPEN_EXISTING, Kernel32.FILE_FLAG_BACKUP_SEMANTICS, null);
        if (Kernel32.invalid(h)) {
            return "unknown (" + Win32Error.describe(k.lastError()) + ")";
        }
        try {
            PersistentVolumeInformation in = new PersistentVolumeInformation();
            in.Version = 1;
            in.FlagMask = PersistentVolumeInformation.PERSISTENT_VOLUME_STATE_DEV_VOLUME
                    | PersistentVolumeInformation.PERSISTENT_VOLUME_STATE_TRUSTED_VOLUME;
            in.write();
            PersistentVolumeInformation out = new PersistentVolumeInformation();
            if (k.DeviceIoControl(h, Fsctl.FSCTL_QUERY_PERSISTENT_VOLUME_STATE, in.getPointer(), in.size(),
                    out.getPointer(), out.size(), new IntByReference(), null) == 0) {
                return "unknown (" + Win32Error.describe(k.lastError()) + ")";
            }
            out.read();
            return devDriveState(out.VolumeFlags);
        } finally {
            k.CloseHandle(h);
        }
    }

    static String devDriveState(int volumeFlags) {
        if ((volumeFlags & PersistentVolumeInformation.PERSISTENT_VOLUME_STATE_DEV_VOLUME) == 0) {
            return "no";
        }
        return (volumeFlags & PersistentVolumeInformation.PERSISTENT_VOLUME_STATE_TRUSTED_VOLUME) != 0
                ? "yes (trusted)" : "yes (not trusted: antivirus filters scan it synchronously)";
    }

    /** A zeroed buffer for {@code chars} wide characters. */
    static Memory wideBuffer(int chars) {
        Memory m = new Memory((long) chars * Native.WCHAR_SIZE);
        m.clear();
        return m;
    }
}
