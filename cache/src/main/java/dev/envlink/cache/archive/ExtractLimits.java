package dev.envlink.cache.archive;

/**
 * Limits that stop decompression bombs: the total of unpacked file bytes and the number of
 * archive entries of one package. Both the sizes that headers declare and the bytes actually
 * written are checked.
 *
 * @param maxUnpackedBytes most bytes all regular files of one package may hold together
 * @param maxEntries most tar entries (files, directories, links) of one package
 */
public record ExtractLimits(long maxUnpackedBytes, long maxEntries) {
    /** 64 GiB: larger than any real conda package (the largest CUDA/MKL ones unpack to a few GiB). */
    public static final long DEFAULT_MAX_UNPACKED_BYTES = 64L << 30;
    /** Two million entries: real packages have at most some hundred thousand. */
    public static final long DEFAULT_MAX_ENTRIES = 2_000_000;
    /** System property overriding {@link #DEFAULT_MAX_UNPACKED_BYTES}; accepts k, m, g, t suffixes. */
    public static final String MAX_UNPACKED_BYTES_PROPERTY = "envlink.maxUnpackedBytes";
    /** System property overriding {@link #DEFAULT_MAX_ENTRIES}. */
    public static final String MAX_ENTRIES_PROPERTY = "envlink.maxEntries";

    public ExtractLimits {
        if (maxUnpackedBytes <= 0) {
            throw new IllegalArgumentException("maxUnpackedBytes must be positive: " + maxUnpackedBytes);
        }
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
        }
    }

    /** The defaults, or the values of the system properties {@value #MAX_UNPACKED_BYTES_PROPERTY} / {@value #MAX_ENTRIES_PROPERTY}. */
    public static ExtractLimits defaults() {
        return new ExtractLimits(
                property(MAX_UNPACKED_BYTES_PROPERTY, DEFAULT_MAX_UNPACKED_BYTES),
                property(MAX_ENTRIES_PROPERTY, DEFAULT_MAX_ENTRIES));
    }

    private static long property(String name, long fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return parseSize(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + name + " must be a positive number "
                    + "(optionally with k, m, g or t): " + value, e);
        }
    }

    /** Parses {@code 123}, {@code 64m}, {@code 64MiB}, {@code 2G} (binary multiples). */
    static long parseSize(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty()) {
            switch (s.charAt(s.length() - 1)) {
                case 'k' -> shift = 10;
                case 'm' -> shift = 20;
                case 'g' -> shift = 30;
                case 't' -> shift = 40;
                default -> shift = 0;
            }
        }
        if (shift != 0) {
            s = s.substring(0, s.length() - 1).trim();
        }
        long n = Long.parseLong(s);
        if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("out of range: " + text);
        }
        return n << shift;
    }
}
