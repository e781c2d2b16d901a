package dev.envlink.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock on one package of a cache (or one environment), held by one thread of one process at a
 * time: an in-process
 * lock (file locks belong to the whole JVM, a second thread would get OverlappingFileLock) plus an
 * OS file lock on {@code <cache>/locks/<dist>.lock} for other processes. The OS drops the file
 * lock when a process dies, even by kill -9, so a crash never leaves a package locked.
 */
public final class CacheLock implements AutoCloseable {
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final ReentrantLock threadLock;
    private final FileChannel channel;
    private final FileLock fileLock;

    private CacheLock(ReentrantLock threadLock, FileChannel channel, FileLock fileLock) {
        this.threadLock = threadLock;
        this.channel = channel;
        this.fileLock = fileLock;
    }

    /** Waits for the lock. */
    public static CacheLock acquire(Path lockFile) throws IOException {
        ReentrantLock t = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
        t.lock();
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                return new CacheLock(t, ch, ch.lock());
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            t.unlock();
            throw new IOException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        }
    }

    /** Takes the lock only if nobody holds it (used to tell a crashed run's leftovers from live work). */
    public static Optional<CacheLock> tryAcquire(Path lockFile) throws IOException {
        ReentrantLock t = IN_PROCESS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), k -> new ReentrantLock());
        if (!t.tryLock()) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(lockFile.getParent());
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                t.unlock();
                return Optional.empty();
            }
            return Optional.of(new CacheLock(t, ch, l));
        } catch (IOException | RuntimeException e) {
            t.unlock();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            fileLock.release();
            channel.close();
        } finally {
            threadLock.unlock();
        }
    }
}
