package dev.envlink.cache.meta;

import java.util.Locale;
import java.util.Optional;

/** How a package path is placed in an environment ({@code path_type} in {@code info/paths.json}). */
public enum PathType {
    /** A regular file: linked (reflink/hardlink) or copied from the cache. JSON {@code "hardlink"}. */
    HARDLINK,
    /** A symbolic link, recreated with the same target. JSON {@code "softlink"}. */
    SOFTLINK,
    /** An (empty) directory to create. JSON {@code "directory"}. */
    DIRECTORY;

    /** The JSON spelling. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the JSON spelling ({@code hardlink}, {@code softlink}, {@code directory}). */
    public static Optional<PathType> fromJson(String s) {
        for (PathType t : values()) {
            if (t.json().equals(s)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
