package dev.envlink.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs {@code count} items on up to {@code parallelism} threads, the calling thread one of them,
 * in batches of consecutive items that each thread takes from a shared counter (a hand-off per
 * file costs more than a link). No queue and no future per batch: with a task and a future per
 * directory, an install of 8 000 directories made ~19 000 futex calls, each a sleep and a wake-up.
 * The first real error stops the remaining items and is thrown with up to ten others suppressed.
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

    /** As above, {@code size} items a batch. */
    static void run(int count, int parallelism, String what, int size, Item item) throws IOException {
        if (count == 0) {
            return;
        }
        int batches = (count + size - 1) / size;
        Work work = new Work(count, size, batches, item);
        int threads = Math.min(parallelism, batches);
        List<Thread> helpers = new ArrayList<>(threads - 1);
        try {
            for (int t = 1; t < threads; t++) {
                Thread h = new Thread(work, "envlink-link-" + t);
                h.setDaemon(true);
                h.start();
                helpers.add(h);
            }
            work.run();
        } catch (RuntimeException | Error e) { // a thread that could not start
            work.stop();
            joinAll(helpers);
            throw e;
        }
        if (joinAll(helpers)) {
            // Every item started has finished (the caller's rollback must not race a helper).
            work.stop();
            Thread.currentThread().interrupt();
            work.rethrow();
            throw new IOException("interrupted while " + what);
        }
        work.rethrow();
    }

    /** Waits for every thread, also when interrupted; true if the caller was interrupted (flag cleared). */
    private static boolean joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread h : threads) {
            while (h.isAlive()) {
                try {
                    h.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        return interrupted;
    }

    /** The shared state of one run: the next batch, and the first failure. */
    private static final class Work implements Runnable {
        private final int count;
        private final int size;
        private final int batches;
        private final Item item;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicReference<IOException> failure = new AtomicReference<>();
        private final AtomicReference<Throwable> unexpected = new AtomicReference<>();
        private volatile boolean stopped;

        Work(int count, int size, int batches, Item item) {
            this.count = count;
            this.size = size;
            this.batches = batches;
            this.item = item;
        }

        @Override
        public void run() {
            try {
                int b;
                while (!stopped && (b = next.getAndIncrement()) < batches) {
                    int end = Math.min(count, (b + 1) * size);
                    for (int i = b * size; i < end && !stopped; i++) {
                        try {
                            item.run(i);
                        } catch (IOException e) {
                            fail(e);
                        } catch (UncheckedIOException e) {
                            fail(e.getCause());
                        }
                    }
                }
            } catch (RuntimeException | Error e) {
                if (!unexpected.compareAndSet(null, e)) {
                    synchronized (unexpected.get()) {
                        unexpected.get().addSuppressed(e);
                    }
                }
                stopped = true;
            }
        }

        private void fail(IOException e) {
            if (!failure.compareAndSet(null, e)) {
                IOException first = failure.get();
                if (first.getSuppressed().length < 10) {
                    synchronized (first) {
                        first.addSuppressed(e);
                    }
                }
            }
            stopped = true;
        }

        void stop() {
            stopped = true;
        }

        void rethrow() throws IOException {
            Throwable u = unexpected.get();
            if (u != null && failure.get() != null) {
                synchronized (u) {
                    u.addSuppressed(failure.get());
                }
            }
            if (u instanceof RuntimeException r) {
                throw r;
            }
            if (u instanceof Error err) {
                throw err;
            }
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }
}
