package dev.envlink.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code count} items on a bounded pool in batches (a hand-off per file costs more than a
 * link). The first real error stops the remaining items and is thrown with up to ten others
 * suppressed.
 */
final class Batches {
    static final int SIZE = 32;

    interface Item {
        void run(int index) throws IOException;
    }

    private Batches() {
    }

    static void run(int count, int parallelism, String what, Item item) throws IOException {
        run(count, parallelism, what, SIZE, item);
    }

    /** As above, {@code size} items a task. */
    static void run(int count, int parallelism, String what, int size, Item item) throws IOException {
        if (count == 0) {
            return;
        }
        AtomicReference<IOException> failure = new AtomicReference<>();
        int threads = Math.min(parallelism, Math.max(1, (count + size - 1) / size));
        AtomicInteger n = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "envlink-link-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < count; from += size) {
                int start = from;
                int end = Math.min(count, from + size);
                futures.add(pool.submit(() -> {
                    for (int i = start; i < end && failure.get() == null; i++) {
                        try {
                            item.run(i);
                        } catch (IOException e) {
                            if (!failure.compareAndSet(null, e) && failure.get().getSuppressed().length < 10) {
                                failure.get().addSuppressed(e);
                            }
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while " + what, e);
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    if (c instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IOException(c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
