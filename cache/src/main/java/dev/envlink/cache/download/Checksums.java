package dev.envlink.cache.download;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The checksums a download must match. Either may be absent (conda repodata has {@code sha256}
 * for every modern package, {@code md5} for nearly all); with neither, nothing is verified but the
 * {@link DownloadResult} still reports both digests of what was written.
 *
 * <p>Hex strings are validated (64 digits for SHA-256, 32 for MD5) and stored lowercase, so
 * {@code equals} compares them directly with the digests the downloader computes.
 */
public record Checksums(Optional<String> sha256, Optional<String> md5) {

    private static final Checksums NONE = new Checksums(Optional.empty(), Optional.empty());

    public Checksums {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(md5, "md5");
        sha256 = sha256.map(h -> normalise("sha256", h, 64));
        md5 = md5.map(h -> normalise("md5", h, 32));
    }

    /** Nothing to verify. */
    public static Checksums none() {
        return NONE;
    }

    public static Checksums sha256(String hex) {
        return new Checksums(Optional.of(Objects.requireNonNull(hex, "hex")), Optional.empty());
    }

    public static Checksums md5(String hex) {
        return new Checksums(Optional.empty(), Optional.of(Objects.requireNonNull(hex, "hex")));
    }

    /** Both from repodata-style values: null or blank means "not given". */
    public static Checksums of(String sha256OrNull, String md5OrNull) {
        return new Checksums(given(sha256OrNull), given(md5OrNull));
    }

    /** True when nothing would be verified. */
    public boolean isEmpty() {
        return sha256.isEmpty() && md5.isEmpty();
    }

    private static Optional<String> given(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    private static String normalise(String algorithm, String hex, int digits) {
        String h = hex.strip().toLowerCase(Locale.ROOT);
        if (h.length() != digits) {
            throw new IllegalArgumentException(algorithm + " must be " + digits + " hex digits, got "
                    + h.length() + ": '" + hex + "'");
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new IllegalArgumentException(algorithm + " must be hex digits only, got '" + hex + "'");
            }
        }
        return h;
    }
}
