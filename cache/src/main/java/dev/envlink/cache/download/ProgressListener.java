package dev.envlink.cache.download;

import java.io.IOException;
import java.time.Duration;

/**
 * Observes downloads. Calls come from the downloading threads and from the HTTP client's threads,
 * concurrently for different requests, so implementations must be thread-safe and quick (no I/O
 * that can block for long). All methods do nothing by default.
 *
 * <p>Per request: {@code started} once per attempt that got as far as a response (or opened the
 * source file), then {@code advanced} with the attempt's byte count (it restarts from 0 after a
 * {@code retrying}), then exactly one of {@code finished} or {@code failed}. An attempt that fails
 * before a response (connection refused) calls {@code retrying} or {@code failed} without
 * {@code started}.
 */
public interface ProgressListener {

    /** @param totalBytesOrMinus1 the Content-Length or file size, or -1 when unknown */
    default void started(DownloadRequest r, long totalBytesOrMinus1) {
    }

    /** @param bytesSoFar bytes written by the current attempt */
    default void advanced(DownloadRequest r, long bytesSoFar) {
    }

    /** The target file is in place. */
    default void finished(DownloadResult r) {
    }

    /** The download gave up; {@code e} is what {@link Downloader#download} throws. */
    default void failed(DownloadRequest r, IOException e) {
    }

    /**
     * An attempt failed transiently and another follows after {@code delay}.
     *
     * @param failedAttempt the attempt that failed, from 1
     */
    default void retrying(DownloadRequest r, int failedAttempt, IOException cause, Duration delay) {
    }

    /** A listener that ignores everything. */
    static ProgressListener none() {
        return NoProgress.INSTANCE;
    }
}
