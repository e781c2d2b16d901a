package dev.envlink.cache;

import dev.envlink.cache.download.Checksums;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * sha256 + md5 of an archive computed on a background thread while the archive is extracted, so
 * hashing (a second full read, CPU-bound) overlaps extraction instead of preceding it. The hashes
 * are checked against the expected checksums when first asked for.
 */
final class ArchiveHashing {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "envlink-hash");
        t.setDaemon(true);
        return t;
    });

    private final Path archive;
    private final Checksums expected;
    private final CompletableFuture<FileHashes> future;

    private ArchiveHashing(Path archive, Checksums expected, CompletableFuture<FileHashes> future) {
        this.archive = archive;
        this.expected = expected;
        this.future = future;
    }

    static ArchiveHashing start(Path archive, Checksums expected) {
        CompletableFuture<FileHashes> f = new CompletableFuture<>();
        POOL.execute(() -> {
            try {
                f.complete(FileHashes.of(archive));
            } catch (IOException | RuntimeException | Error e) {
                f.completeExceptionally(e);
            }
        });
        return new ArchiveHashing(archive, expected, f);
    }

    /** Hashes already known (nothing expected beyond them). */
    static ArchiveHashing done(FileHashes hashes) {
        return new ArchiveHashing(null, Checksums.none(), CompletableFuture.completedFuture(hashes));
    }

    /** The hashes, after checking them against the expected checksums (waits for them). */
    FileHashes verified() throws IOException {
        FileHashes h = await();
        if (archive != null) {
            PackageCache.checkExpected(archive, expected, h);
        }
        return h;
    }

    /** The checksum mismatch, if the archive has one; null when it matches or cannot be hashed. */
    IOException mismatch() {
        try {
            verified();
            return null;
        } catch (ChecksumMismatchException e) {
            return e;
        } catch (IOException e) {
            return null;
        }
    }

    private FileHashes await() throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing " + archive);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("cannot hash " + archive, c);
        }
    }
}
