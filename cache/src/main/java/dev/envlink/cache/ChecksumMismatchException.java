package dev.envlink.cache;

import java.io.IOException;
import java.nio.file.Path;

/** The archive's bytes are not the ones the lock file, spec or --sha256 asked for. */
public final class ChecksumMismatchException extends IOException {
    private static final long serialVersionUID = 1L;

    public ChecksumMismatchException(Path archive, String algorithm, String expected, String actual) {
        super(archive + ": " + algorithm + " mismatch: expected " + expected + ", got " + actual
                + "; nothing was added to the cache");
    }
}
