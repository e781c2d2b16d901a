package dev.envlink.link.macos;

import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * struct statfs of 64-bit macOS, the 64-bit-inode layout (xnu bsd/sys/mount.h,
 * __DARWIN_STRUCT_STATFS64): 2168 bytes. On arm64 that is the only layout and the symbol is
 * {@code statfs}; on x86_64 plain {@code statfs} still has the old 32-bit-inode layout and the
 * 64-bit one is {@code statfs$INODE64} (bsd/sys/cdefs.h: __DARWIN_ONLY_64_BIT_INO_T is 0 there,
 * so __DARWIN_INODE64(statfs) appends "$INODE64").
 */
@Structure.FieldOrder({"f_bsize", "f_iosize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree",
        "f_fsid", "f_owner", "f_type", "f_flags", "f_fssubtype", "f_fstypename", "f_mntonname", "f_mntfromname",
        "f_flags_ext", "f_reserved"})
public class Statfs extends Structure {
    /** MFSTYPENAMELEN: fs type name including the NUL. */
    static final int MFSTYPENAMELEN = 16;
    /** MAXPATHLEN (= PATH_MAX, 1024): the size of the mount point names in the 64-bit-inode layout. */
    static final int MAXPATHLEN = 1024;

    public int f_bsize;
    public int f_iosize;
    public long f_blocks;
    public long f_bfree;
    public long f_bavail;
    public long f_files;
    public long f_ffree;
    public int[] f_fsid = new int[2];
    public int f_owner;
    public int f_type;
    public int f_flags;
    public int f_fssubtype;
    public byte[] f_fstypename = new byte[MFSTYPENAMELEN];
    public byte[] f_mntonname = new byte[MAXPATHLEN];
    public byte[] f_mntfromname = new byte[MAXPATHLEN];
    public int f_flags_ext;
    public int[] f_reserved = new int[7];

    /** The C symbol with this layout for the JVM's architecture (os.arch). */
    static String symbol(String arch) {
        String a = arch == null ? "" : arch.toLowerCase(Locale.ROOT);
        return a.equals("x86_64") || a.equals("amd64") ? "statfs$INODE64" : "statfs";
    }

    /** "apfs", "hfs", "smbfs", "nfs", "exfat", "msdos"... */
    String typeName() {
        return cString(f_fstypename);
    }

    String mountedOn() {
        return cString(f_mntonname);
    }

    String mountedFrom() {
        return cString(f_mntfromname);
    }

    static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
