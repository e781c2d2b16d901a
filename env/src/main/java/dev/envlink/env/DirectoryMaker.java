package dev.envlink.env;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a transaction's new directories on a thread of its own, in the order the placing threads
 * will need them, while files already go into the directories made. One thread, parents first:
 * two threads making siblings contend for their parent's lock, and the mkdirs of a whole
 * environment (thousands) would otherwise be a phase of their own before the first file.
 */
final class DirectoryMaker implements AutoCloseable {
    private final Prefix prefix;
    private final List<String> order;
    private final Map<String, Integer> index;
    private final Object lock = new Object();
    private final Thread thread;
    private volatile int made;          // order[0, made) exist
    private volatile boolean waiting;   // a placing thread sleeps in await()
    private volatile boolean stopped;
    private volatile Throwable failure;

    /** {@code order}: every directory to make, each after its parent (if that is made here too). */
    DirectoryMaker(Prefix prefix, List<String> order) {
        this.prefix = prefix;
        this.order = order;
        this.index = new HashMap<>(order.size() * 2);
        for (int i = 0; i < order.size(); i++) {
            index.put(order.get(i), i);
        }
        this.thread = new Thread(this::makeAll, "envlink-dirs");
        thread.setDaemon(true);
        thread.start();
    }

    private void makeAll() {
        try {
            for (int i = 0; i < order.size() && !stopped; i++) {
                String d = order.get(i);
                try {
                    Files.createDirectory(prefix.resolve(d));
                } catch (FileAlreadyExistsException e) {
                    // Made by a package's own directory entry meanwhile, or a file stands there.
                    if (!Files.isDirectory(prefix.resolve(d), LinkOption.NOFOLLOW_LINKS)) {
                        throw e;
                    }
                }
                made = i + 1;
                if (waiting) {
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
        } finally {
            synchronized (lock) {
                stopped = true;
                lock.notifyAll();
            }
        }
    }

    /** Returns once {@code dir} (relative to the prefix; null for the prefix) exists. */
    void await(String dir) throws IOException {
        Integer i = dir == null ? null : index.get(dir);
        if (i == null || made > i) {
            return; // not made here: it existed before the transaction
        }
        synchronized (lock) {
            while (made <= i) {
                if (stopped) {
                    throw failed(dir);
                }
                waiting = true;
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for directory " + prefix.resolve(dir), e);
                }
            }
        }
    }

    /** Waits until every directory is made; throws the first failure. */
    void finish() throws IOException {
        join();
        if (failure != null) {
            throw Parallel.rethrow(failure);
        }
    }

    private IOException failed(String dir) {
        Throwable f = failure;
        if (f == null) {
            return new IOException("directory " + prefix.resolve(dir) + " was not made: the transaction stopped");
        }
        return Parallel.rethrow(f);
    }

    private void join() throws IOException {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making directories", e);
        }
    }

    /**
     * Stops making directories (after a failure elsewhere) and waits for the thread, even when
     * interrupted (the flag is kept): a rollback must not run while a directory is still being made.
     */
    @Override
    public void close() {
        stopped = true;
        Parallel.joinUninterruptibly(thread);
    }
}
