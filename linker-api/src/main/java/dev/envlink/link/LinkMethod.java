package dev.envlink.link;

/** The ways a file can be placed at a destination, from cheapest to most expensive in space. */
public enum LinkMethod {
    /** Copy-on-write clone: shares blocks, stays isolated (Btrfs, XFS reflink=1, APFS, ReFS). */
    REFLINK,
    /** A second name for the same inode: shares blocks, but an edit in one place shows in all. */
    HARDLINK,
    /** A symbolic link pointing at the source. */
    SYMLINK,
    /** An independent byte copy. */
    COPY;

    private final String label = name().toLowerCase(java.util.Locale.ROOT);

    /** The lower-case name (records and reports ask it once per placed file: made once). */
    public String label() {
        return label;
    }

    public static LinkMethod parse(String s) {
        return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
