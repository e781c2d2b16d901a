package dev.envlink.cache.download;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * One aggregate progress line on a terminal, redrawn in place with {@code \r}:
 * <pre>
 * downloading: 3 done, 2 active  [#########-----------]  12.3 MiB / 27.0 MiB  4.1 MiB/s  numpy-1.26.4-py312h…
 * </pre>
 * The bar covers the files in flight whose size is known. The line is redrawn at most every
 * 100 ms (and on every start and end); when the last active download ends it is drawn a final time
 * and ended with a newline, so whatever is printed next starts on a fresh line. Failures are
 * counted on the line, not described: the caller reports the exception. Thread-safe.
 */
public final class TerminalProgress implements ProgressListener {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 20;

    private final PrintStream out;
    private final int width;
    private final LongSupplier nanoTime;
    private final Map<DownloadRequest, Item> active = new LinkedHashMap<>();
    private int done;
    private int failed;
    private int retries;
    private long doneBytes;
    private long firstStart = -1;
    private long lastDraw = Long.MIN_VALUE;
    private int lastLength;
    private boolean lineOpen;

    private static final class Item {
        final String name;
        long total = -1;
        long bytes;

        Item(String name) {
            this.name = name;
        }
    }

    /**
     * @param out   where to draw (normally {@code System.err})
     * @param width terminal columns; the line is cut to {@code width - 1}
     */
    public TerminalProgress(PrintStream out, int width) {
        this(out, width, System::nanoTime);
    }

    TerminalProgress(PrintStream out, int width, LongSupplier nanoTime) {
        this.out = Objects.requireNonNull(out, "out");
        if (width < 20) {
            throw new IllegalArgumentException("width must be at least 20, got " + width);
        }
        this.width = width;
        this.nanoTime = nanoTime;
    }

    /**
     * A progress bar on stderr when it makes sense: empty when {@code json} output was asked for or
     * the JVM has no console (stdin/stdout redirected: CI logs, pipes). The width comes from
     * {@code $COLUMNS}, else 80.
     */
    public static Optional<ProgressListener> forTerminal(boolean json) {
        if (json || System.console() == null) {
            return Optional.empty();
        }
        return Optional.of(new TerminalProgress(System.err, columns(System.getenv("COLUMNS"))));
    }

    static int columns(String env) {
        if (env != null) {
            try {
                int c = Integer.parseInt(env.strip());
                if (c >= 20 && c <= 1000) {
                    return c;
                }
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        return 80;
    }

    @Override
    public synchronized void started(DownloadRequest r, long totalBytesOrMinus1) {
        long now = nanoTime.getAsLong();
        if (firstStart < 0) {
            firstStart = now;
        }
        Item item = active.computeIfAbsent(r, k -> new Item(k.target().getFileName().toString()));
        item.total = totalBytesOrMinus1;
        item.bytes = 0;
        draw(now, true);
    }

    @Override
    public synchronized void advanced(DownloadRequest r, long bytesSoFar) {
        Item item = active.get(r);
        if (item == null) {
            return;
        }
        item.bytes = bytesSoFar;
        draw(nanoTime.getAsLong(), false);
    }

    @Override
    public synchronized void retrying(DownloadRequest r, int failedAttempt, IOException cause, Duration delay) {
        retries++;
        Item item = active.get(r);
        if (item != null) {
            item.bytes = 0;
        }
        draw(nanoTime.getAsLong(), true);
    }

    @Override
    public synchronized void finished(DownloadResult r) {
        active.remove(r.request());
        done++;
        doneBytes += r.bytes();
        ended();
    }

    @Override
    public synchronized void failed(DownloadRequest r, IOException e) {
        active.remove(r);
        failed++;
        ended();
    }

    private void ended() {
        draw(nanoTime.getAsLong(), true);
        if (active.isEmpty() && lineOpen) {
            out.print('\n');
            out.flush();
            lineOpen = false;
            lastLength = 0;
        }
    }

    private void draw(long now, boolean force) {
        if (!force && now - lastDraw < REDRAW_NANOS) {
            return;
        }
        lastDraw = now;
        String line = line(now);
        StringBuilder b = new StringBuilder(line.length() + lastLength + 1).append('\r').append(line);
        for (int i = line.length(); i < lastLength; i++) {
            b.append(' '); // erase the tail of a longer previous line
        }
        lastLength = line.length();
        lineOpen = true;
        out.print(b);
        out.flush();
    }

    /** The line without control characters, at most {@code width - 1} long. */
    synchronized String line(long now) {
        long activeBytes = 0;
        long knownTotal = 0;
        long knownBytes = 0;
        for (Item i : active.values()) {
            activeBytes += i.bytes;
            if (i.total > 0) {
                knownTotal += i.total;
                knownBytes += Math.min(i.bytes, i.total);
            }
        }
        StringBuilder b = new StringBuilder("downloading: ").append(done).append(" done");
        if (failed > 0) {
            b.append(", ").append(failed).append(" failed");
        }
        b.append(", ").append(active.size()).append(" active");
        if (retries > 0) {
            b.append(", ").append(retries).append(retries == 1 ? " retry" : " retries");
        }
        if (knownTotal > 0) {
            int filled = (int) Math.min(BAR, knownBytes * BAR / knownTotal);
            b.append("  [").append("#".repeat(filled)).append("-".repeat(BAR - filled)).append("]  ")
                    .append(bytes(activeBytes)).append(" / ").append(bytes(knownTotal));
        } else if (activeBytes > 0) {
            b.append("  ").append(bytes(activeBytes));
        }
        double seconds = firstStart < 0 ? 0 : (now - firstStart) / 1e9;
        if (seconds >= 0.5) {
            b.append("  ").append(bytes((long) ((doneBytes + activeBytes) / seconds))).append("/s");
        }
        if (active.size() == 1) {
            b.append("  ").append(active.values().iterator().next().name);
        }
        int max = width - 1;
        if (b.length() > max) {
            b.setLength(max - 1);
            b.append('…');
        }
        return b.toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n / 1024.0;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
