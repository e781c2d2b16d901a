package dev.envlink.link;

/** What to do when the destination path already exists. */
public enum ExistingPolicy {
    /** Refuse with {@link java.nio.file.FileAlreadyExistsException}: never destroy data by default. */
    FAIL,
    /** Place the new file beside it and rename it over the old one atomically. */
    REPLACE
}
