package dev.envlink.link.windows;

import com.sun.jna.Structure;

/**
 * BY_HANDLE_FILE_INFORMATION (fileapi.h), filled by GetFileInformationByHandle: DWORD attributes,
 * three FILETIMEs (two DWORDs each, so 4-byte aligned: int pairs, not longs), the volume serial
 * number, the size in two DWORDs, the link count and the file index. 52 bytes.
 */
@Structure.FieldOrder({"dwFileAttributes", "ftCreationTime", "ftLastAccessTime", "ftLastWriteTime",
        "dwVolumeSerialNumber", "nFileSizeHigh", "nFileSizeLow", "nNumberOfLinks", "nFileIndexHigh", "nFileIndexLow"})
public class ByHandleFileInformation extends Structure {
    public int dwFileAttributes;
    public int[] ftCreationTime = new int[2];
    public int[] ftLastAccessTime = new int[2];
    public int[] ftLastWriteTime = new int[2];
    public int dwVolumeSerialNumber;
    public int nFileSizeHigh;
    public int nFileSizeLow;
    public int nNumberOfLinks;
    public int nFileIndexHigh;
    public int nFileIndexLow;

    long fileSize() {
        return (Integer.toUnsignedLong(nFileSizeHigh) << 32) | Integer.toUnsignedLong(nFileSizeLow);
    }
}
