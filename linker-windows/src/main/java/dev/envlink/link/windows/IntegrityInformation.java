package dev.envlink.link.windows;

import com.sun.jna.Structure;

/**
 * FSCTL_GET_INTEGRITY_INFORMATION_BUFFER (winioctl.h): {@code WORD ChecksumAlgorithm; WORD Reserved;
 * DWORD Flags; DWORD ChecksumChunkSizeInBytes; DWORD ClusterSizeInBytes;}, 16 bytes. ReFS answers
 * it for any file: the volume's cluster size, and whether the file has integrity streams (block
 * cloning needs the same setting on both files). Its first 8 bytes are the layout of
 * FSCTL_SET_INTEGRITY_INFORMATION_BUFFER ({@code WORD ChecksumAlgorithm; WORD Reserved; DWORD Flags;}).
 */
@Structure.FieldOrder({"ChecksumAlgorithm", "Reserved", "Flags", "ChecksumChunkSizeInBytes", "ClusterSizeInBytes"})
public class IntegrityInformation extends Structure {
    /** CHECKSUM_TYPE_NONE: no integrity stream. */
    static final short CHECKSUM_TYPE_NONE = 0;
    /** sizeof(FSCTL_SET_INTEGRITY_INFORMATION_BUFFER). */
    static final int SET_BUFFER_SIZE = 8;

    public short ChecksumAlgorithm;
    public short Reserved;
    public int Flags;
    public int ChecksumChunkSizeInBytes;
    public int ClusterSizeInBytes;

    boolean sameSettingAs(IntegrityInformation other) {
        return ChecksumAlgorithm == other.ChecksumAlgorithm && Flags == other.Flags;
    }
}
