package dev.envlink.cache.download;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A completed download: the target file holds exactly {@code bytes} bytes with these digests.
 *
 * @param request     what was asked for
 * @param fetchedFrom where the bytes came from: the request URL after {@link Mirrors} mapping and
 *                    HTTP redirects
 * @param bytes       size of the target file
 * @param sha256      lowercase hex SHA-256 of the content (always computed)
 * @param md5         lowercase hex MD5 of the content (always computed)
 * @param attempts    attempts made, 1 when the first one succeeded
 * @param elapsed     wall time from the call to the rename, backoff waits included
 */
public record DownloadResult(DownloadRequest request, URI fetchedFrom, long bytes, String sha256, String md5,
                             int attempts, Duration elapsed) {

    public DownloadResult {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(fetchedFrom, "fetchedFrom");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(md5, "md5");
        Objects.requireNonNull(elapsed, "elapsed");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
    }
}
