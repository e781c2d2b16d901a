package dev.envlink.cache.archive;

import dev.envlink.cache.PackageFormatException;
import java.nio.file.Path;

/** An archive entry that would escape the destination or is otherwise dangerous; nothing was published. */
public class UnsafeArchiveException extends PackageFormatException {
    private static final long serialVersionUID = 1L;

    public UnsafeArchiveException(Path archive, String entry, String problem) {
        super(archive, entry, "unsafe entry: " + problem);
    }
}
