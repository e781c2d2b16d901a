package dev.envlink.cache.download;

import java.net.URI;
import java.util.Objects;

/**
 * The content did not match the expected checksum. Nothing was left at the target path. The message
 * names the URL, the algorithm, the expected and the actual digest and the size received.
 */
public class ChecksumMismatchException extends DownloadException {
    private static final long serialVersionUID = 1L;

    private final String algorithm;
    private final String expected;
    private final String actual;
    private final long bytes;

    public ChecksumMismatchException(URI url, URI source, int attempts, boolean retriesExhausted,
                                     String algorithm, String expected, String actual, long bytes) {
        super(url, source, attempts, -1, retriesExhausted, reason(algorithm, expected, actual, bytes), null);
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        this.expected = Objects.requireNonNull(expected, "expected");
        this.actual = Objects.requireNonNull(actual, "actual");
        this.bytes = bytes;
    }

    static String reason(String algorithm, String expected, String actual, long bytes) {
        return "checksum mismatch: expected " + algorithm + " " + expected + ", got " + actual
                + " (" + bytes + " bytes received)";
    }

    /** "sha256" or "md5". */
    public String algorithm() {
        return algorithm;
    }

    public String expected() {
        return expected;
    }

    public String actual() {
        return actual;
    }

    public long bytes() {
        return bytes;
    }
}
