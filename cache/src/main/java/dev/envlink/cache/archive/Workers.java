package dev.envlink.cache.archive;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared pool for bzip2 block decoding and the {@code info} component of {@code .conda} files.
 * Tasks on it never wait for other tasks on it, so callers can share it without deadlock. Its
 * daemon threads stop after 30 s idle. Size: {@code envlink.extractThreads}, default the number
 * of processors.
 */
final class Workers {
    static final String THREADS_PROPERTY = "envlink.extractThreads";
    static final String WRITE_THREADS_PROPERTY = "envlink.writeThreads";

    private Workers() {
    }

    static int parallelism() {
        return Holder.PARALLELISM;
    }

    static ExecutorService pool() {
        return Holder.POOL;
    }

    /**
     * The pool that creates and writes small files for the extractions (write-behind): file
     * creation is latency-bound on many filesystems, so this overlaps it with reading and
     * decompressing. {@code envlink.writeThreads}, default the number of processors, 2 to 8. Its
     * tasks never wait.
     */
    static ExecutorService writers() {
        return WriterHolder.POOL;
    }

    private static final class WriterHolder {
        static final ExecutorService POOL = Holder.create(writeThreads(), "envlink-write-");

        private static int writeThreads() {
            Integer configured = Integer.getInteger(WRITE_THREADS_PROPERTY);
            int cpus = Runtime.getRuntime().availableProcessors();
            return Math.max(1, Math.min(64, configured != null ? configured : Math.max(2, Math.min(8, cpus))));
        }
    }

    private static final class Holder {
        static final int PARALLELISM = threads();
        static final ExecutorService POOL = create(PARALLELISM, "envlink-extract-");

        private static int threads() {
            int cpus = Runtime.getRuntime().availableProcessors();
            Integer configured = Integer.getInteger(THREADS_PROPERTY);
            return Math.max(1, Math.min(64, configured != null ? configured : cpus));
        }

        static ExecutorService create(int threads, String prefix) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, prefix + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            return pool;
        }
    }
}
