package dev.envlink.cache;

import java.util.Locale;

/** How much to check an existing cache entry before reusing it. */
public enum ValidationMode {
    /** Trust it if info/index.json is there. */
    SKIP,
    /** Every file listed in paths.json exists with its recorded size; symlinks exist. */
    FAST,
    /** As FAST, plus the sha256 of every file. */
    FULL;

    public static ValidationMode parse(String s) {
        for (ValidationMode m : values()) {
            if (m.name().equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown validation mode \"" + s + "\": use skip, fast or full");
    }
}
