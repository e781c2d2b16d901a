package dev.envlink.cache.meta;

import java.util.Locale;
import java.util.Optional;

/**
 * How the prefix placeholder is replaced in a file: {@code TEXT} replaces the string (the file may
 * change length), {@code BINARY} replaces it inside NUL-terminated strings and pads with NULs so
 * the file keeps its size.
 */
public enum FileMode {
    TEXT,
    BINARY;

    /** The JSON / has_prefix spelling. */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code text} or {@code binary} (any case). */
    public static Optional<FileMode> fromJson(String s) {
        for (FileMode m : values()) {
            if (m.json().equalsIgnoreCase(s)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
