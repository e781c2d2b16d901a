package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places an arbitrary list of files (e.g. the files of many packages going into one environment)
 * in parallel through one {@link Linker}, so they share its probe cache. Devices are looked up
 * once per directory, not per file. Target parent directories must exist.
 */
public final class BatchLinker {
    /**
     * One file to place: a regular file (or a symlink, which is recreated) at {@code source}.
     *
     * @param knownSize the size when the caller knows (from package metadata it has validated) that
     *                  the source is a regular file, else -1: the source is then stat'ed first
     */
    public record Placement(Path source, Path target, long knownSize) {
        public Placement(Path source, Path target) {
            this(source, target, -1);
        }
    }

    private final Linker linker;
    private final Map<Path, String> devices = new ConcurrentHashMap<>();

    public BatchLinker(Linker linker) {
        this.linker = linker;
    }

    /** Outcomes in input order. The first real error stops further work and is thrown. */
    public List<FileOutcome> place(List<Placement> placements) throws IOException {
        return place(placements, o -> { });
    }

    /** As {@link #place(List)}, telling {@code progress} about each file as it is placed (any thread). */
    public List<FileOutcome> place(List<Placement> placements, java.util.function.Consumer<FileOutcome> progress)
            throws IOException {
        FileOutcome[] out = new FileOutcome[placements.size()];
        Batches.run(placements.size(), linker.options().parallelism(), "placing files", i -> {
            out[i] = placeOne(placements.get(i));
            progress.accept(out[i]);
        });
        return Arrays.asList(out);
    }

    private FileOutcome placeOne(Placement p) throws IOException {
        if (p.knownSize() >= 0) {
            return linker.linkRegular(p.source(), p.target(), null, p.knownSize(), device(p.source().getParent()),
                    device(p.target().toAbsolutePath().getParent()));
        }
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
