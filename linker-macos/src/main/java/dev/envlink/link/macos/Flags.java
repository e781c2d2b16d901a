package dev.envlink.link.macos;

/** Flag values of clonefile(2), copyfile(3) and struct statfs's f_flags. */
final class Flags {
    /** xnu bsd/sys/clonefile.h: "Don't follow symbolic links" (the source, if it is one). */
    static final int CLONE_NOFOLLOW = 0x0001;
    /** xnu bsd/sys/clonefile.h: "Don't copy ownership information from source" (matters as root). */
    static final int CLONE_NOOWNERCOPY = 0x0002;
    /** What every clone uses: never through a symlink, owned by whoever runs envlink. */
    static final int CLONE = CLONE_NOFOLLOW | CLONE_NOOWNERCOPY;

    // copyfile.h (apple-oss-distributions/copyfile); copyfile_flags_t is a uint32_t.
    static final int COPYFILE_ACL = 1 << 0;
    static final int COPYFILE_STAT = 1 << 1;
    static final int COPYFILE_XATTR = 1 << 2;
    static final int COPYFILE_DATA = 1 << 3;
    /** COPYFILE_METADATA | COPYFILE_DATA = ACL | STAT | XATTR | DATA. */
    static final int COPYFILE_ALL = COPYFILE_ACL | COPYFILE_STAT | COPYFILE_XATTR | COPYFILE_DATA;
    /** "Fail if the to file already exists" (EEXIST). */
    static final int COPYFILE_EXCL = 1 << 17;
    static final int COPYFILE_NOFOLLOW_SRC = 1 << 18;
    static final int COPYFILE_NOFOLLOW_DST = 1 << 19;
    static final int COPYFILE_NOFOLLOW = COPYFILE_NOFOLLOW_SRC | COPYFILE_NOFOLLOW_DST;
    /** Never passed: with it copyfile may clone instead of copy, and a "copy" must be a copy. */
    static final int COPYFILE_CLONE = 1 << 24;
    /**
     * What every copy uses: data and metadata (mode, times, xattrs, ACLs), a new file only, no
     * symlink followed. No COPYFILE_CLONE: copyfile.c only calls clonefileat() with COPYFILE_CLONE
     * or COPYFILE_CLONE_FORCE, so this is a real byte copy even on APFS.
     */
    static final int COPY = COPYFILE_ALL | COPYFILE_EXCL | COPYFILE_NOFOLLOW;

    // xnu bsd/sys/mount.h, struct statfs f_flags.
    static final int MNT_RDONLY = 0x00000001;
    static final int MNT_LOCAL = 0x00001000;
    static final int MNT_ROOTFS = 0x00004000;
    static final int MNT_DONTBROWSE = 0x00100000;
    static final int MNT_JOURNALED = 0x00800000;
    static final int MNT_SNAPSHOT = 0x40000000;

    private Flags() {
    }

    /** "local, read-only, ..." for the mount flags envlink users care about. */
    static String describeMountFlags(int flags) {
        StringBuilder sb = new StringBuilder();
        append(sb, flags, MNT_LOCAL, "local");
        if ((flags & MNT_LOCAL) == 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append("network");
        }
        append(sb, flags, MNT_RDONLY, "read-only");
        append(sb, flags, MNT_ROOTFS, "root filesystem");
        append(sb, flags, MNT_JOURNALED, "journaled");
        append(sb, flags, MNT_SNAPSHOT, "snapshot");
        append(sb, flags, MNT_DONTBROWSE, "not browsable");
        return sb.toString();
    }

    private static void append(StringBuilder sb, int flags, int bit, String word) {
        if ((flags & bit) != 0) {
            sb.append(sb.isEmpty() ? "" : ", ").append(word);
        }
    }
}
