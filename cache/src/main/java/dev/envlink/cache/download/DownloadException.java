package dev.envlink.cache.download;

import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * A download that gave up. The message names the requested URL (and the mirror or redirect target
 * it was fetched from, when different), the number of attempts and the reason, e.g.
 * {@code download of https://…/x.conda failed after 4 attempts: HTTP 503 Service Unavailable}.
 * Failures of earlier attempts are attached as suppressed exceptions.
 */
public class DownloadException extends IOException {
    private static final long serialVersionUID = 1L;

    private final URI url;
    private final URI source;
    private final int attempts;
    private final int statusCode;
    private final boolean retriesExhausted;
    private final String reason;

    /**
     * @param url              the requested URL
     * @param source           where the last attempt fetched from (mirror, redirect target)
     * @param attempts         attempts made
     * @param statusCode       the last HTTP status, or -1
     * @param retriesExhausted true when the last failure was transient (it would have been retried)
     * @param reason           what went wrong, without the URL
     */
    public DownloadException(URI url, URI source, int attempts, int statusCode, boolean retriesExhausted,
                             String reason, Throwable cause) {
        super(message(url, source, attempts, retriesExhausted, reason), cause);
        this.url = Objects.requireNonNull(url, "url");
        this.source = Objects.requireNonNull(source, "source");
        this.attempts = attempts;
        this.statusCode = statusCode;
        this.retriesExhausted = retriesExhausted;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    private static String message(URI url, URI source, int attempts, boolean exhausted, String reason) {
        StringBuilder b = new StringBuilder("download of ").append(url);
        if (!url.equals(source)) {
            b.append(" (from ").append(source).append(')');
        }
        b.append(" failed");
        if (attempts > 1) {
            b.append(" after ").append(attempts).append(" attempts");
        }
        b.append(": ").append(reason);
        if (attempts == 1 && !exhausted) {
            b.append(" (not retried)");
        }
        return b.toString();
    }

    /** The requested URL. */
    public URI url() {
        return url;
    }

    /** Where the last attempt fetched from: the mirror-mapped URL, or the redirect target. */
    public URI source() {
        return source;
    }

    public int attempts() {
        return attempts;
    }

    /** The HTTP status of the last attempt, or -1 when there was none (network error, file URL). */
    public int statusCode() {
        return statusCode;
    }

    /** True when the last failure was transient and the attempts ran out; false when it was not retryable. */
    public boolean retriesExhausted() {
        return retriesExhausted;
    }

    /** The reason alone, without the URL. */
    public String reason() {
        return reason;
    }
}
