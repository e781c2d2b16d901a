package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A source file is not what the package metadata says (missing, not a regular file, or of another
 * size): the cache entry it belongs to is damaged. Found while placing, so that a warm install
 * needs no separate pass over the cache; the install is rolled back and the caller repairs the
 * entry and tries again.
 */
public final class SourceMismatchException extends IOException {
    private final transient Path source;
    private final long expectedSize;

    public SourceMismatchException(Path source, long expectedSize, String found) {
        super(source + ": " + found + ", the package records " + expectedSize + " bytes (a damaged cache entry)");
        this.source = source;
        this.expectedSize = expectedSize;
    }

    public Path source() {
        return source;
    }

    public long expectedSize() {
        return expectedSize;
    }
}
