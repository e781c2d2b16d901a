package dev.envlink.link.windows;

import com.sun.jna.Pointer;
import com.sun.jna.Structure;

/**
 * DUPLICATE_EXTENTS_DATA (winioctl.h), the input of FSCTL_DUPLICATE_EXTENTS_TO_FILE, sent on the
 * destination's handle: {@code HANDLE FileHandle; LARGE_INTEGER SourceFileOffset;
 * LARGE_INTEGER TargetFileOffset; LARGE_INTEGER ByteCount;}. 32 bytes on 64-bit Windows
 * ([MS-FSCC] 2.3.7.1: an 8-byte handle and three 64-bit signed integers).
 */
@Structure.FieldOrder({"FileHandle", "SourceFileOffset", "TargetFileOffset", "ByteCount"})
public class DuplicateExtentsData extends Structure {
    public Pointer FileHandle;
    public long SourceFileOffset;
    public long TargetFileOffset;
    public long ByteCount;

    public DuplicateExtentsData() {
    }

    DuplicateExtentsData(Pointer source, long sourceOffset, long targetOffset, long byteCount) {
        FileHandle = source;
        SourceFileOffset = sourceOffset;
        TargetFileOffset = targetOffset;
        ByteCount = byteCount;
        write();
    }
}
