package dev.envlink.cache.download;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records progress events as strings ("started 100", "advanced 50", "retrying 1 <msg>", ...). */
final class Recorder implements ProgressListener {
    private final List<String> events = new ArrayList<>();
    final List<Duration> delays = new ArrayList<>();

    @Override
    public synchronized void started(DownloadRequest r, long total) {
        events.add("started " + total);
    }

    @Override
    public synchronized void advanced(DownloadRequest r, long bytesSoFar) {
        events.add("advanced " + bytesSoFar);
    }

    @Override
    public synchronized void finished(DownloadResult r) {
        events.add("finished " + r.bytes());
    }

    @Override
    public synchronized void failed(DownloadRequest r, IOException e) {
        events.add("failed " + e.getMessage());
    }

    @Override
    public synchronized void retrying(DownloadRequest r, int failedAttempt, IOException cause, Duration delay) {
        events.add("retrying " + failedAttempt + " " + cause.getMessage());
        delays.add(delay);
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    synchronized List<String> without(String prefix) {
        return events.stream().filter(e -> !e.startsWith(prefix)).toList();
    }

    synchronized long count(String prefix) {
        return events.stream().filter(e -> e.startsWith(prefix)).count();
    }
}
