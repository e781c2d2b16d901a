package dev.envlink.link.windows;

import com.sun.jna.Structure;

/**
 * FILE_ALLOCATED_RANGE_BUFFER (winioctl.h): {@code LARGE_INTEGER FileOffset; LARGE_INTEGER Length;},
 * 16 bytes; the input of FSCTL_QUERY_ALLOCATED_RANGES (the range to ask about) and the elements of
 * its output (the allocated ranges of a sparse file).
 */
@Structure.FieldOrder({"FileOffset", "Length"})
public class AllocatedRange extends Structure {
    static final int SIZE = 16;

    public long FileOffset;
    public long Length;
}
