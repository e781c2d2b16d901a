package dev.envlink.cache.download;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One file to fetch.
 *
 * @param url      where the package lives (before {@link Mirrors} mapping): http, https or file
 * @param target   the final file path; its directory is created when missing, an existing file
 *                 there is replaced atomically once the new content is complete and verified
 * @param expected checksums the content must match
 */
public record DownloadRequest(URI url, Path target, Checksums expected) {

    public DownloadRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(expected, "expected");
        if (!url.isAbsolute()) {
            throw new IllegalArgumentException("download URL must be absolute (with a scheme): " + url);
        }
        if (target.getFileName() == null) {
            throw new IllegalArgumentException("download target must name a file: " + target);
        }
    }

    /** A request without checksums to verify. */
    public DownloadRequest(URI url, Path target) {
        this(url, target, Checksums.none());
    }
}
