package dev.envlink.cache.meta;

import java.util.Objects;

/**
 * One path of a package, as listed in {@code info/paths.json} (or reconstructed from the legacy
 * {@code info/files}, {@code info/has_prefix} and {@code info/no_link}).
 *
 * @param path              relative path inside the package and the environment, {@code /}-separated,
 *                          normalised (no {@code .} or empty segments) and never absolute or with {@code ..}
 * @param type              how to place it
 * @param sha256            hex SHA-256 of the file as shipped in the package, or null (legacy packages)
 * @param sizeInBytes       size of the file as shipped, or null
 * @param prefixPlaceholder the build prefix to replace with the environment prefix, or null if none
 * @param fileMode          how to replace the placeholder; never null when there is a placeholder
 * @param noLink            the file must be copied, never linked ({@code no_link})
 */
public record PathEntry(String path, PathType type, String sha256, Long sizeInBytes, String prefixPlaceholder,
        FileMode fileMode, boolean noLink) {

    public PathEntry {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        if (prefixPlaceholder != null && fileMode == null) {
            throw new IllegalArgumentException("file mode required with a prefix placeholder: " + path);
        }
        if (sizeInBytes != null && sizeInBytes < 0) {
            throw new IllegalArgumentException("negative size for " + path + ": " + sizeInBytes);
        }
    }

    /** A plain file without hash, size or placeholder. */
    public static PathEntry file(String path) {
        return new PathEntry(path, PathType.HARDLINK, null, null, null, null, false);
    }

    /** Whether the file has a placeholder to replace when installing. */
    public boolean hasPrefix() {
        return prefixPlaceholder != null;
    }
}
