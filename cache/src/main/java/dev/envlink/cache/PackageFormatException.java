package dev.envlink.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A package archive or its metadata is broken or unsafe. The message always names the archive
 * (or package directory) and, when known, the entry or metadata file, and the cause.
 */
public class PackageFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path archive;
    private final String entry;

    public PackageFormatException(Path archive, String entry, String problem) {
        super(archive + (entry == null ? "" : ": " + entry) + ": " + problem);
        this.archive = archive;
        this.entry = entry;
    }

    public PackageFormatException(Path archive, String entry, String problem, Throwable cause) {
        this(archive, entry, problem);
        initCause(cause);
    }

    public Path archive() {
        return archive;
    }

    /** The archive entry or metadata file at fault, or null. */
    public String entry() {
        return entry;
    }
}
