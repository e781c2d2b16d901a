package dev.envlink.link;

/**
 * Why a provider declined a method. A decline is not an error: the engine tries the next method.
 * Reasons marked {@code perFilesystem} hold for every file of a (source, destination) filesystem
 * pair, so the engine remembers them; the others are about one file only.
 */
public enum DeclineReason {
    CROSS_DEVICE(true, "source and destination are on different filesystems",
            "put the cache and the target on one filesystem to avoid copies"),
    UNSUPPORTED_BY_FILESYSTEM(true, "the filesystem does not support this method",
            "reflinks need Btrfs, XFS made with -m reflink=1, APFS or ReFS/Dev Drive; ext4 gives hardlinks at best"),
    UNSUPPORTED_BY_PROVIDER(true, "no available provider implements this method on this platform",
            "run `envlink info` to see which providers are available and why not"),
    TOO_MANY_LINKS(false, "the file has reached the filesystem's hard-link limit (EMLINK)",
            "copies were made for those files"),
    PERMISSION(false, "the operation was not permitted",
            "check ownership and permissions (fs.protected_hardlinks refuses hardlinks to files you do not own)"),
    NOT_A_REGULAR_FILE(false, "the source is not a regular file", "only regular files can be linked"),
    OTHER(false, "the method failed for another reason", "see the detail message");

    private final boolean perFilesystem;
    private final String description;
    private final String advice;

    DeclineReason(boolean perFilesystem, String description, String advice) {
        this.perFilesystem = perFilesystem;
        this.description = description;
        this.advice = advice;
    }

    /** True when the answer holds for every file between the same two filesystems. */
    public boolean perFilesystem() {
        return perFilesystem;
    }

    public String description() {
        return description;
    }

    public String advice() {
        return advice;
    }
}
