package dev.envlink.env.prefix;

/**
 * How a file's prefix placeholder is replaced: the {@code file_mode} of its {@code paths.json}
 * entry ({@code "text"} or {@code "binary"}).
 */
public enum Mode {
    /** Every occurrence of the placeholder is replaced; the file may change length. */
    TEXT,
    /** Replacement inside NUL-terminated C strings, padded with NULs: the length is unchanged. */
    BINARY
}
