package dev.envlink.link;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Links a directory tree like {@code cp -r}: walk without following symlinks, create every
 * directory first, place files and recreate symlinks in parallel on a bounded pool, then give the
 * directories their modes and mtimes (last, so read-only directories can still be filled and
 * creating files does not bump the restored mtimes).
 */
final class TreeLinker {
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
        Batches.run(entries.size(), linker.options().parallelism(), "linking " + src, i -> {
            Entry e = entries.get(i);
            Path from = src.resolve(e.rel().toString());
            Path to = dst.resolve(e.rel().toString());
            if (e.attrs().symlink()) {
                linker.recreateSymlink(from, to);
                report.symlink();
            } else {
                report.add(linker.linkRegular(from, to, e.attrs(), e.parent().sourceDevice(),
                        targetDevice.get(e.parent())));
            }
        });
    }

    private static void restoreDirectoryMetadata(Path dst, List<Dir> dirs) throws IOException {
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Dir d = dirs.get(i);
            Path t = d.rel().toString().isEmpty() ? dst : dst.resolve(d.rel().toString());
            d.attrs().applyTo(t);
        }
    }
}
