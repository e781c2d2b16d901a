package dev.envlink.env;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/** A bounded parallel for-each whose first IOException stops the rest and is rethrown. */
final class Parallel {
    interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }

    interface IoFunction<T, R> {
        R apply(T t) throws IOException;
    }

    private Parallel() {
    }

    /** As {@link #forEach}, handing items to the pool in batches (a hand-off costs more than a mkdir). */
    static <T> void forEachBatched(List<T> items, int threads, int batch, IoConsumer<T> task) throws IOException {
        if (items.size() <= batch || threads <= 1) {
            for (T item : items) {
                task.accept(item);
            }
            return;
        }
        List<List<T>> batches = new ArrayList<>();
        for (int from = 0; from < items.size(); from += batch) {
            batches.add(items.subList(from, Math.min(items.size(), from + batch)));
        }
        forEach(batches, threads, b -> {
            for (T item : b) {
                task.accept(item);
            }
        });
    }

    /** {@code task} applied to every item, results in item order. */
    static <T, R> List<R> map(List<T> items, int threads, IoFunction<T, R> task) throws IOException {
        Object[] out = new Object[items.size()];
        List<Integer> indexes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            indexes.add(i);
        }
        forEach(indexes, threads, i -> out[i] = task.apply(items.get(i)));
        @SuppressWarnings("unchecked")
        List<R> result = (List<R>) java.util.Arrays.asList(out);
        return result;
    }

    static <T> void forEach(List<T> items, int threads, IoConsumer<T> task) throws IOException {
        if (items.isEmpty()) {
            return;
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())), r -> {
            Thread t = new Thread(r, "envlink-install");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (T item : items) {
                fs.add(pool.submit(() -> {
                    if (failure.get() != null) {
                        return;
                    }
                    try {
                        task.accept(item);
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                }));
            }
            for (Future<?> f : fs) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Throwable t = failure.get();
        if (t != null) {
            throw rethrow(t);
        }
    }

    /**
     * Waits until {@code thread} has ended, even when interrupted (the interrupt is kept for the
     * caller): a rollback must never run beside a thread still placing files or making directories.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A task's failure for the caller to throw: an IOException as is (returned), a
     * RuntimeException thrown as is, anything else wrapped in an IOException.
     */
    static IOException rethrow(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        return t instanceof IOException io ? io : new IOException(t);
    }
}
