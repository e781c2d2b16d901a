package dev.envlink.cache.download;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/** Why one attempt failed, and whether another attempt may help. Internal to the downloader. */
final class AttemptFailure extends IOException {
    private static final long serialVersionUID = 1L;

    enum Kind {
        /** Network trouble, stalls, truncation, 408/429/5xx: retried with backoff. */
        TRANSIENT,
        /** 4xx, unsupported URL, local file system errors, missing file: never retried. */
        PERMANENT,
        /** Content arrived but did not match: retried once, and only from http(s). */
        CHECKSUM
    }

    final Kind kind;
    final transient URI from;
    final int status;
    /** The server's Retry-After when it asked for one (and it was acceptable), else null. */
    final transient Duration retryAfter;
    final String algorithm;
    final String expected;
    final String actual;
    final long bytes;

    private AttemptFailure(Kind kind, String reason, Throwable cause, URI from, int status, Duration retryAfter,
                           String algorithm, String expected, String actual, long bytes) {
        super(reason, cause);
        this.kind = kind;
        this.from = from;
        this.status = status;
        this.retryAfter = retryAfter;
        this.algorithm = algorithm;
        this.expected = expected;
        this.actual = actual;
        this.bytes = bytes;
    }

    static AttemptFailure transientFailure(String reason, Throwable cause, URI from) {
        return new AttemptFailure(Kind.TRANSIENT, reason, cause, from, -1, null, null, null, null, -1);
    }

    static AttemptFailure permanent(String reason, Throwable cause, URI from) {
        return new AttemptFailure(Kind.PERMANENT, reason, cause, from, -1, null, null, null, null, -1);
    }

    static AttemptFailure status(boolean isTransient, int status, String reason, URI from, Duration retryAfter) {
        return new AttemptFailure(isTransient ? Kind.TRANSIENT : Kind.PERMANENT, reason, null, from, status, retryAfter,
                null, null, null, -1);
    }

    static AttemptFailure checksum(String algorithm, String expected, String actual, long bytes, URI from) {
        return new AttemptFailure(Kind.CHECKSUM, ChecksumMismatchException.reason(algorithm, expected, actual, bytes),
                null, from, -1, null, algorithm, expected, actual, bytes);
    }

    String reason() {
        return getMessage();
    }
}
