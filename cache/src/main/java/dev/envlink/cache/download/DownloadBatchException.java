package dev.envlink.cache.download;

import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Thrown by {@link Downloader#downloadAll} when at least one download failed after its retries.
 * The message lists each failed URL with its reason (the first 20); every failure is
 * attached as a suppressed exception, in request order. The downloads that succeeded are complete
 * at their targets and listed in {@link #succeeded()}.
 */
public class DownloadBatchException extends IOException {
    private static final long serialVersionUID = 1L;
    static final int LISTED = 20;

    private final transient List<DownloadResult> succeeded;
    private final transient Map<DownloadRequest, IOException> failures;

    public DownloadBatchException(int total, List<DownloadResult> succeeded, Map<DownloadRequest, IOException> failures) {
        super(message(total, failures));
        this.succeeded = List.copyOf(succeeded);
        this.failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
        failures.values().forEach(this::addSuppressed);
    }

    private static String message(int total, Map<DownloadRequest, IOException> failures) {
        StringBuilder b = new StringBuilder()
                .append(failures.size()).append(" of ").append(total).append(total == 1 ? " download" : " downloads")
                .append(" failed: ");
        int i = 0;
        for (Map.Entry<DownloadRequest, IOException> e : failures.entrySet()) {
            if (i == LISTED) {
                b.append("; and ").append(failures.size() - LISTED).append(" more");
                break;
            }
            if (i++ > 0) {
                b.append("; ");
            }
            URI url = e.getKey().url();
            IOException x = e.getValue();
            String reason = x instanceof DownloadException d ? d.reason() : String.valueOf(x.getMessage());
            b.append(url).append(": ").append(reason);
        }
        return b.toString();
    }

    /** Completed downloads, in request order. */
    public List<DownloadResult> succeeded() {
        return succeeded;
    }

    /** Each failed request with its exception, in request order. */
    public Map<DownloadRequest, IOException> failures() {
        return failures;
    }
}
