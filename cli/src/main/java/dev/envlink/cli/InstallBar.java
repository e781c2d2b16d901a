package dev.envlink.cli;

import dev.envlink.env.InstallProgress;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** A one-line progress bar on stderr while an install places files (only on a terminal). */
final class InstallBar implements InstallProgress {
    private static final long MIN_FILES = 2000; // small installs finish before a bar helps
    private final PrintStream err;
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private volatile long total;
    private volatile long totalBytes;
    private volatile long lastDraw;

    private InstallBar(PrintStream err) {
        this.err = err;
    }

    static Optional<InstallProgress> forTerminal(boolean json) {
        return System.console() == null || json ? Optional.empty() : Optional.of(new InstallBar(System.err));
    }

    @Override
    public void started(long totalFiles, long totalBytes) {
        this.total = totalFiles;
        this.totalBytes = totalBytes;
    }

    @Override
    public void placed(long size) {
        long n = files.incrementAndGet();
        bytes.addAndGet(size);
        long now = System.nanoTime();
        if (total >= MIN_FILES && now - lastDraw > 100_000_000L) {
            lastDraw = now;
            draw(n);
        }
    }

    private synchronized void draw(long n) {
        int width = 30;
        int done = (int) (width * n / Math.max(1, total));
        err.printf(Locale.ROOT, "\rplacing [%s%s] %d/%d files, %s of %s", "#".repeat(done), " ".repeat(width - done),
                n, total, Sizes.human(bytes.get()), Sizes.human(totalBytes));
        err.flush();
    }

    @Override
    public void finished() {
        if (total >= MIN_FILES) {
            draw(files.get());
            err.println();
        }
    }
}
