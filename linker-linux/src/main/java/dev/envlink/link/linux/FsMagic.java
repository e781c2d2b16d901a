package dev.envlink.link.linux;

import java.util.Map;

/** statfs(2) f_type magic numbers (linux/magic.h and statfs(2)) and their filesystem names. */
final class FsMagic {
    static final long BTRFS = 0x9123683EL;
    static final long XFS = 0x58465342L;
    static final long EXT = 0xEF53L;
    static final long TMPFS = 0x01021994L;
    static final long OVERLAYFS = 0x794C7630L;
    static final long ZFS = 0x2FC12FC1L;
    static final long NFS = 0x6969L;
    static final long FUSE = 0x65735546L;

    private static final Map<Long, String> NAMES = Map.ofEntries(
            Map.entry(BTRFS, "btrfs"),
            Map.entry(XFS, "xfs"),
            Map.entry(EXT, "ext2/ext3/ext4"),
            Map.entry(TMPFS, "tmpfs"),
            Map.entry(OVERLAYFS, "overlayfs"),
            Map.entry(ZFS, "zfs"),
            Map.entry(NFS, "nfs"),
            Map.entry(FUSE, "fuse"),
            Map.entry(0xCA451A4EL, "bcachefs"),
            Map.entry(0xF2F52010L, "f2fs"),
            Map.entry(0x858458F6L, "ramfs"),
            Map.entry(0x73717368L, "squashfs"),
            Map.entry(0xE0F5E1E2L, "erofs"),
            Map.entry(0x4D44L, "vfat"),
            Map.entry(0x2011BAB0L, "exfat"),
            Map.entry(0x5346544EL, "ntfs"),
            Map.entry(0x7366746EL, "ntfs3"),
            Map.entry(0xFF534D42L, "cifs"),
            Map.entry(0xFE534D42L, "smb2"),
            Map.entry(0x01021997L, "9p"),
            Map.entry(0x00C36400L, "ceph"),
            Map.entry(0x01161970L, "gfs2"),
            Map.entry(0x7461636FL, "ocfs2"),
            Map.entry(0x3434L, "nilfs2"),
            Map.entry(0x52654973L, "reiserfs"),
            Map.entry(0x3153464AL, "jfs"),
            Map.entry(0x482BL, "hfsplus"),
            Map.entry(0x9FA0L, "proc"),
            Map.entry(0x62656572L, "sysfs"),
            Map.entry(0x63677270L, "cgroup2"),
            Map.entry(0x0BD00BD0L, "lustre"));

    private FsMagic() {
    }

    /** The name for a magic number, or its hex form when unknown. */
    static String name(long fType) {
        long magic = fType & 0xFFFFFFFFL;
        String n = NAMES.get(magic);
        return n != null ? n : String.format("unknown (0x%x)", magic);
    }

    /**
     * Filesystems whose copy_file_range(2) may share extents instead of copying bytes (the kernel
     * tries remap_file_range first, and network filesystems may clone on the server). On these a
     * "copy" would silently be a reflink, so the copier uses sendfile to really copy.
     */
    static boolean copyFileRangeMayClone(long fType) {
        long magic = fType & 0xFFFFFFFFL;
        return magic == BTRFS || magic == XFS || magic == ZFS || magic == NFS || magic == OVERLAYFS
                || magic == 0xCA451A4EL || magic == 0x7461636FL || magic == 0xFF534D42L || magic == 0xFE534D42L
                || magic == 0x00C36400L;
    }
}
