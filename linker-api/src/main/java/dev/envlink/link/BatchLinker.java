package dev.envlink.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Places an arbitrary list of files (e.g. the files of many packages going into one environment)
 * in parallel through one {@link Linker}, so they share its probe cache. Devices are looked up
 * once per directory, not per file. Target parent directories must exist.
 */
public final class BatchLinker {
    private static final int BATCH = 32;

    /** One file to place: a regular file (or a symlink, which is recreated) at {@code source}. */
    public record Placement(Path source, Path target) {
    }

    private final Linker linker;
    private final Map<Path, String> devices = new ConcurrentHashMap<>();

    public BatchLinker(Linker linker) {
        this.linker = linker;
    }

    /** Outcomes in input order. The first real error stops further work and is thrown. */
    public List<FileOutcome> place(List<Placement> placements) throws IOException {
        FileOutcome[] out = new FileOutcome[placements.size()];
        AtomicReference<IOException> failure = new AtomicReference<>();
        int threads = Math.min(linker.options().parallelism(), Math.max(1, (placements.size() + BATCH - 1) / BATCH));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "envlink-place");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int from = 0; from < placements.size(); from += BATCH) {
                int start = from;
                int end = Math.min(placements.size(), from + BATCH);
                futures.add(pool.submit(() -> {
                    for (int i = start; i < end && failure.get() == null; i++) {
                        try {
                            out[i] = placeOne(placements.get(i));
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
                    throw new IOException("interrupted while placing files", e);
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
        return Arrays.asList(out);
    }

    private FileOutcome placeOne(Placement p) throws IOException {
        SourceAttributes attrs = SourceAttributes.read(p.source());
        if (attrs.symlink()) {
            linker.recreateSymlink(p.source(), p.target());
            return new FileOutcome(p.source(), p.target(), LinkMethod.SYMLINK, 0, List.of(), "nio");
        }
        if (!attrs.regular()) {
            throw new IOException(p.source() + ": not a regular file, cannot place it at " + p.target());
        }
        return linker.linkRegular(p.source(), p.target(), attrs, device(p.source().getParent()),
                device(p.target().toAbsolutePath().getParent()));
    }

    private String device(Path dir) throws IOException {
        String d = devices.get(dir);
        if (d == null) {
            d = DeviceIds.of(dir);
            devices.put(dir, d);
        }
        return d;
    }
}
