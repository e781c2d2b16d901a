package dev.envlink.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Links a directory tree like {@code cp -r}: walk without following symlinks, create every
 * directory first, place files and recreate symlinks in parallel on a bounded pool, then give the
 * directories their modes and mtimes (last, so read-only directories can still be filled and
 * creating files does not bump the restored mtimes).
 */
final class TreeLinker {
    private static final int BATCH = 32;

    private final Linker linker;

    TreeLinker(Linker linker) {
        this.linker = linker;
    }

    private record Dir(Path rel, SourceAttributes attrs, String sourceDevice) {
    }

    private record Entry(Path rel, SourceAttributes attrs, Dir parent) {
    }

    LinkReport link(Path source, Path target) throws IOException {
        LinkReport.Builder report = new LinkReport.Builder();
        SourceAttributes rootAttrs = SourceAttributes.read(source);
        if (!rootAttrs.directory()) {
            Path dst = Files.isDirectory(target) ? target.resolve(source.getFileName().toString()) : target;
            FileOutcome outcome = linker.linkFile(source, dst);
            if (rootAttrs.symlink()) {
                report.symlink();
            } else {
                report.add(outcome);
            }
            return report.build(linker.probesUsed());
        }
        Path src = source.toAbsolutePath().normalize();
        Path dst = target.toAbsolutePath().normalize();
        if (dst.startsWith(src)) {
            throw new IOException("cannot link " + src + " into itself (" + dst + ")");
        }
        List<Dir> dirs = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        int skipped = walk(src, dirs, entries, report);
        if (skipped == 0 && cloneWholeTree(src, dst, dirs, entries, report)) {
            return report.build(linker.probesUsed());
        }

        List<String> targetDevices = createDirectories(dst, dirs, report);
        linkEntries(src, dst, entries, dirs, targetDevices, report);
        restoreDirectoryMetadata(dst, dirs);
        return report.build(linker.probesUsed());
    }

    /**
     * Pre-order walk with an explicit stack (no recursion limit), one lstat per entry that also
     * gives the POSIX mode bits; symlinks are never followed.
     */
    private static int walk(Path src, List<Dir> dirs, List<Entry> entries, LinkReport.Builder report)
            throws IOException {
        int skipped = 0;
        Deque<Dir> pending = new ArrayDeque<>();
        Dir root = new Dir(Path.of(""), SourceAttributes.read(src), DeviceIds.of(src));
        dirs.add(root);
        pending.push(root);
        while (!pending.isEmpty()) {
            Dir dir = pending.pop();
            Path abs = dir.rel().toString().isEmpty() ? src : src.resolve(dir.rel().toString());
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(abs)) {
                stream.forEach(children::add);
            }
            children.sort(null); // deterministic order for reports and errors
            for (Path child : children) {
                Path rel = src.relativize(child);
                SourceAttributes a = SourceAttributes.read(child);
                if (a.directory()) {
                    Dir d = new Dir(rel, a, DeviceIds.of(child));
                    dirs.add(d);
                    pending.push(d);
                } else if (a.regular() || a.symlink()) {
                    entries.add(new Entry(rel, a, dir));
                } else {
                    report.skipped(rel + ": not a regular file, directory or symlink (device, fifo or socket)");
                    skipped++;
                }
            }
        }
        return skipped;
    }

    /**
     * Clones the whole tree in one operation when an available reflink provider is a
     * {@link TreeCloner}, the mode allows reflinks, the destination does not exist yet (nothing to
     * merge into or replace) and the tree is on one device; every regular file then counts as a
     * reflink. Returns false, with nothing created, when the tree must go file by file.
     */
    private boolean cloneWholeTree(Path src, Path dst, List<Dir> dirs, List<Entry> entries,
                                   LinkReport.Builder report) throws IOException {
        LinkOptions options = linker.options();
        String device = dirs.get(0).sourceDevice();
        if (options.existing() != ExistingPolicy.FAIL || !options.chain().contains(LinkMethod.REFLINK)
                || dst.getParent() == null || Files.exists(dst, LinkOption.NOFOLLOW_LINKS)
                || dirs.stream().anyMatch(d -> !d.sourceDevice().equals(device))) {
            return false;
        }
        for (LinkProvider p : linker.providers().forMethod(LinkMethod.REFLINK)) {
            if (!(p instanceof TreeCloner cloner)) {
                continue;
            }
            Files.createDirectories(dst.getParent());
            boolean cloned;
            try {
                cloned = cloner.cloneTree(src, dst);
            } catch (LinkDeclinedException declined) {
                cloned = false;
            }
            if (!cloned) {
                if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS)) {
                    throw new IOException("provider " + p.id() + " declined to clone " + src + " but left " + dst);
                }
                continue;
            }
            dirs.forEach(d -> report.directory());
            for (Entry e : entries) {
                if (e.attrs().symlink()) {
                    report.symlink();
                } else {
                    String rel = e.rel().toString();
                    report.add(new FileOutcome(src.resolve(rel), dst.resolve(rel), LinkMethod.REFLINK,
                            e.attrs().size(), List.of(), p.id()));
                }
            }
            return true;
        }
        return false;
    }

    /** Creates (or reuses) every target directory; returns the device of each, index-aligned with dirs. */
    private static List<String> createDirectories(Path dst, List<Dir> dirs, LinkReport.Builder report)
            throws IOException {
        List<String> devices = new ArrayList<>(dirs.size());
        for (Dir d : dirs) {
            Path t = d.rel().toString().isEmpty() ? dst : dst.resolve(d.rel().toString());
            if (d.rel().toString().isEmpty()) {
                Files.createDirectories(t);
            } else {
                try {
                    Files.createDirectory(t);
                } catch (FileAlreadyExistsException e) {
                    if (!Files.isDirectory(t, LinkOption.NOFOLLOW_LINKS)) {
                        throw new FileAlreadyExistsException(t.toString(), null,
                                "exists and is not a directory, cannot link the directory " + d.rel() + " there");
                    }
                }
            }
            report.directory();
            devices.add(DeviceIds.of(t));
        }
        return devices;
    }

    private void linkEntries(Path src, Path dst, List<Entry> entries, List<Dir> dirs, List<String> targetDevices,
                             LinkReport.Builder report) throws IOException {
        java.util.Map<Dir, String> targetDevice = new java.util.IdentityHashMap<>();
        for (int i = 0; i < dirs.size(); i++) {
            targetDevice.put(dirs.get(i), targetDevices.get(i));
        }
        int threads = Math.min(linker.options().parallelism(), Math.max(1, (entries.size() + BATCH - 1) / BATCH));
        ExecutorService pool = Executors.newFixedThreadPool(threads, daemonThreads());
        AtomicReference<IOException> failure = new AtomicReference<>();
        List<Future<?>> futures = new ArrayList<>(entries.size());
        try {
            // Batches, not one task per file: a hand-off per file costs more than a link.
            for (int from = 0; from < entries.size(); from += BATCH) {
                List<Entry> batch = entries.subList(from, Math.min(entries.size(), from + BATCH));
                futures.add(pool.submit(() -> {
                    for (Entry e : batch) {
                        if (failure.get() != null) {
                            return; // stop placing files after the first real error
                        }
                        place(src, dst, e, targetDevice, report, failure);
                    }
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while linking " + src, ie);
                } catch (java.util.concurrent.ExecutionException ee) {
                    Throwable c = ee.getCause();
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

    private void place(Path src, Path dst, Entry e, java.util.Map<Dir, String> targetDevice,
                       LinkReport.Builder report, AtomicReference<IOException> failure) {
        Path from = src.resolve(e.rel().toString());
        Path to = dst.resolve(e.rel().toString());
        try {
            if (e.attrs().symlink()) {
                linker.recreateSymlink(from, to);
                report.symlink();
            } else {
                report.add(linker.linkRegular(from, to, e.attrs(), e.parent().sourceDevice(),
                        targetDevice.get(e.parent())));
            }
        } catch (IOException ex) {
            if (!failure.compareAndSet(null, ex)) {
                IOException first = failure.get();
                if (first.getSuppressed().length < 10) {
                    first.addSuppressed(ex);
                }
            }
        }
    }

    private static void restoreDirectoryMetadata(Path dst, List<Dir> dirs) throws IOException {
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Dir d = dirs.get(i);
            Path t = d.rel().toString().isEmpty() ? dst : dst.resolve(d.rel().toString());
            d.attrs().applyTo(t);
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "envlink-link-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
