package dev.envlink.env.prefix;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A binary-mode file cannot take the new prefix: the prefix is longer (in UTF-8 bytes) than the
 * placeholder the package was built with, and binary replacement must keep every C string's
 * length. conda reports the same case as {@code PaddingError}.
 */
public final class PrefixTooLongException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int placeholderLength;
    private final int prefixLength;

    public PrefixTooLongException(Path file, int placeholderLength, int prefixLength) {
        super("cannot relocate binary file " + file + ": the environment prefix is " + prefixLength
                + " bytes long but the package's placeholder is only " + placeholderLength
                + " bytes (binary files keep their length, so the prefix must not be longer than"
                + " the placeholder); use a shorter environment prefix (at most "
                + placeholderLength + " bytes)");
        this.file = file;
        this.placeholderLength = placeholderLength;
        this.prefixLength = prefixLength;
    }

    /** The file that could not be written (its path in the environment). */
    public Path file() {
        return file;
    }

    /** Length of the package's placeholder in UTF-8 bytes. */
    public int placeholderLength() {
        return placeholderLength;
    }

    /** Length of the new prefix in UTF-8 bytes. */
    public int prefixLength() {
        return prefixLength;
    }
}
