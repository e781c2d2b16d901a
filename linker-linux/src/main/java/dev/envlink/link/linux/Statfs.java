package dev.envlink.link.linux;

import com.sun.jna.NativeLong;
import com.sun.jna.Structure;

/**
 * struct statfs of 64-bit Linux (asm-generic/statfs.h with __statfs_word = long): f_fsid is two
 * ints, everything else a long, 120 bytes in all.
 */
@Structure.FieldOrder({"f_type", "f_bsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree",
        "f_fsid", "f_namelen", "f_frsize", "f_flags", "f_spare"})
public class Statfs extends Structure {
    public NativeLong f_type;
    public NativeLong f_bsize;
    public NativeLong f_blocks;
    public NativeLong f_bfree;
    public NativeLong f_bavail;
    public NativeLong f_files;
    public NativeLong f_ffree;
    public int[] f_fsid = new int[2];
    public NativeLong f_namelen;
    public NativeLong f_frsize;
    public NativeLong f_flags;
    public NativeLong[] f_spare = new NativeLong[4];

    public Statfs() {
        for (int i = 0; i < f_spare.length; i++) {
            f_spare[i] = new NativeLong();
        }
    }
}
