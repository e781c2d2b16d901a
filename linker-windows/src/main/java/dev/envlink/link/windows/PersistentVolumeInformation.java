package dev.envlink.link.windows;

import com.sun.jna.Structure;

/**
 * FILE_FS_PERSISTENT_VOLUME_INFORMATION (ntifs.h / winioctl.h), in and out of
 * FSCTL_QUERY_PERSISTENT_VOLUME_STATE: {@code ULONG VolumeFlags; ULONG FlagMask; ULONG Version;
 * ULONG Reserved;}, 16 bytes. Version must be 1.
 */
@Structure.FieldOrder({"VolumeFlags", "FlagMask", "Version", "Reserved"})
public class PersistentVolumeInformation extends Structure {
    /** The volume is a Dev Drive (Windows 11). */
    static final int PERSISTENT_VOLUME_STATE_DEV_VOLUME = 0x00002000;
    /** The Dev Drive is trusted (`fsutil devdrv trust`): antivirus filters run in performance mode. */
    static final int PERSISTENT_VOLUME_STATE_TRUSTED_VOLUME = 0x00004000;

    public int VolumeFlags;
    public int FlagMask;
    public int Version;
    public int Reserved;
}
