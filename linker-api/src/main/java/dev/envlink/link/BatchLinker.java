package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Places an arbitrary list of files (e.g. the files of many packages going into one environment)
 * in parallel through one {@link Linker}, so they share its probe cache. Devices are looked up
 * once per directory, not per file. Target parent directories must exist.
 *
 * <p>Files are handled in runs of one source directory and one target directory (adjacent in the
 * list), a run per task, so two threads rarely contend for one directory. Where the provider of
 * the run's first-choice method has a {@link DirectoryLinker}, each file goes through it by name;
 * a file it cannot place, and every file of other runs, goes the ordinary way file by file.
 */
public final class BatchLinker {
    /** Longest run given to one task: a huge directory still spreads over the threads. */
    static final int MAX_RUN = 256;

    /**
     * One file to place: {@code sourceName} in {@code sourceDir} (a regular file, or a symlink,
     * which is recreated) at {@code targetName} in {@code targetDir}. Placements of one directory
     * pair should be adjacent and share the two {@link Path} objects (compared by identity first).
     *
     * @param knownSize the size package metadata records for a regular file, checked while placing
     *                  (a {@link SourceMismatchException} when the source is missing, not a regular
     *                  file or of another size; a symlink is recreated); -1 when unknown
     */
    public record Placement(Path sourceDir, String sourceName, Path targetDir, String targetName, long knownSize) {
        public Placement(Path source, Path target, long knownSize) {
            this(parent(source), source.getFileName().toString(), parent(target), target.getFileName().toString(),
                    knownSize);
        }

        public Placement(Path source, Path target) {
            this(source, target, -1);
        }

        public Path source() {
            return sourceDir.resolve(sourceName);
        }

        public Path target() {
            return targetDir.resolve(targetName);
        }

        private static Path parent(Path p) {
            Path parent = p.toAbsolutePath().getParent();
            if (parent == null) {
                throw new IllegalArgumentException("no parent directory: " + p);
            }
            return parent;
        }

        boolean sameDirectories(Placement o) {
            return (sourceDir == o.sourceDir || sourceDir.equals(o.sourceDir))
                    && (targetDir == o.targetDir || targetDir.equals(o.targetDir));
        }
    }

    /** What happened to each placement, in input order. */
    public static final class Outcomes {
        private final List<Placement> placements;
        private final FileOutcome[] detailed;      // files placed the ordinary way
        private final Linker.FirstChoice[] fast;   // files placed through a DirectoryLinker

        Outcomes(List<Placement> placements) {
            this.placements = placements;
            this.detailed = new FileOutcome[placements.size()];
            this.fast = new Linker.FirstChoice[placements.size()];
        }

        public int size() {
            return placements.size();
        }

        public LinkMethod method(int i) {
            return detailed[i] != null ? detailed[i].method() : fast[i].method();
        }

        public long bytes(int i) {
            return detailed[i] != null ? detailed[i].bytes() : placements.get(i).knownSize();
        }

        /** The full outcome (built on demand for files of the fast path). */
        public FileOutcome outcome(int i) {
            if (detailed[i] != null) {
                return detailed[i];
            }
            Placement p = placements.get(i);
            return new FileOutcome(p.source(), p.target(), fast[i].method(), p.knownSize(), fast[i].declines(),
                    fast[i].provider().id());
        }

        public List<FileOutcome> asList() {
            List<FileOutcome> out = new ArrayList<>(size());
            for (int i = 0; i < size(); i++) {
                out.add(outcome(i));
            }
            return out;
        }

        /** Counts every file (and its fallbacks) into a report; fast-path files a run at a time. */
        public void addTo(LinkReport.Builder report) {
            int i = 0;
            while (i < size()) {
                if (detailed[i] != null) {
                    report.add(detailed[i++]);
                    continue;
                }
                Linker.FirstChoice choice = fast[i];
                int first = i;
                long bytes = 0;
                for (; i < size() && detailed[i] == null && fast[i] == choice; i++) {
                    bytes += placements.get(i).knownSize();
                }
                Placement sample = placements.get(first);
                report.placed(choice.method(), i - first, bytes, choice.declines(), sample::source);
            }
        }
    }

    private final Linker linker;
    private final Map<Path, String> devices = new ConcurrentHashMap<>();
    private final Map<Path, String> anchorDevices = new ConcurrentHashMap<>();

    public BatchLinker(Linker linker) {
        this.linker = linker;
    }

    /** Told about each file as soon as it is placed, on the thread that placed it. */
    @FunctionalInterface
    public interface Listener {
        void placed(int index, LinkMethod method, long bytes);
    }

    /** Outcomes in input order. The first real error stops further work and is thrown. */
    public List<FileOutcome> place(List<Placement> placements) throws IOException {
        return placeAll(placements, (i, m, b) -> { }).asList();
    }

    /** As {@link #place(List)}, telling {@code progress} the size of each file as it is placed. */
    public Outcomes placeAll(List<Placement> placements, Consumer<Long> progress) throws IOException {
        return placeAll(placements, (i, m, b) -> progress.accept(b));
    }

    /**
     * Holds a run back until its target directory exists: lets a caller make directories while
     * files already go into the ones made.
     */
    @FunctionalInterface
    public interface DirectoryGate {
        DirectoryGate NONE = dir -> { };

        /** Returns once {@code targetDir} exists; throws why it never will. */
        void await(Path targetDir) throws IOException;
    }

    /** As {@link #place(List)}, telling {@code listener} about each file as it is placed. */
    public Outcomes placeAll(List<Placement> placements, Listener listener) throws IOException {
        return placeAll(placements, listener, DirectoryGate.NONE);
    }

    /** As {@link #placeAll(List, Listener)}, each run waiting at {@code gate} for its target directory. */
    public Outcomes placeAll(List<Placement> placements, Listener listener, DirectoryGate gate) throws IOException {
        return placeAll(placements, listener, gate, DeviceAnchors.NONE);
    }

    /**
     * A directory known to be on the same device as another, its anchor: a directory the caller
     * made itself below the anchor (not a mount point, not a symlink), or a directory inside a
     * tree it extracted. The engine then reads the device of the anchor once instead of two
     * devices per run (a third of an install's syscalls were these statx, openat and close).
     * Wrong only if something was mounted there meanwhile; then the link fails (EXDEV) and the
     * file goes the ordinary way, which looks its devices up by path.
     */
    @FunctionalInterface
    public interface DeviceAnchors {
        DeviceAnchors NONE = dir -> dir;

        /** The anchor of {@code dir}: {@code dir} itself when none is known. */
        Path anchorOf(Path dir);
    }

    /** As {@link #placeAll(List, Listener, DirectoryGate)}, reading devices by {@code anchors}. */
    public Outcomes placeAll(List<Placement> placements, Listener listener, DirectoryGate gate,
                             DeviceAnchors anchors) throws IOException {
        Outcomes out = new Outcomes(placements);
        List<int[]> runs = runs(placements);
        Batches.run(runs.size(), linker.options().parallelism(), "placing files", 1, r -> {
            int[] run = runs.get(r);
            gate.await(placements.get(run[0]).targetDir());
            placeRun(placements, run[0], run[1], out, listener, anchors);
        });
        return out;
    }

    /** [from, to) ranges of adjacent placements with the same two directories. */
    static List<int[]> runs(List<Placement> placements) {
        List<int[]> runs = new ArrayList<>();
        int from = 0;
        for (int i = 1; i <= placements.size(); i++) {
            if (i == placements.size() || i - from >= MAX_RUN
                    || !placements.get(i).sameDirectories(placements.get(from))) {
                if (i > from) {
                    runs.add(new int[] {from, i});
                }
                from = i;
            }
        }
        return runs;
    }

    private void placeRun(List<Placement> ps, int from, int to, Outcomes out, Listener listener,
                          DeviceAnchors anchors) throws IOException {
        Placement first = ps.get(from);
        Linker.FirstChoice choice = null;
        DirectoryLinker fast = null;
        Linker.OpenDirectories open = null;
        try {
            if (first.knownSize() >= 0 && linker.options().existing() == ExistingPolicy.FAIL) {
                // The fast path's handles also give the devices: no lookup of either directory by path.
                open = linker.openDirectories(first.sourceDir(), first.targetDir());
                String sourceDevice;
                String targetDevice;
                if (open != null) {
                    sourceDevice = anchoredDevice(anchors, first.sourceDir(), open.linker()::sourceDevice);
                    targetDevice = anchoredDevice(anchors, first.targetDir(), open.linker()::targetDevice);
                } else {
                    sourceDevice = device(first.sourceDir());
                    targetDevice = device(first.targetDir());
                }
                try {
                    choice = linker.firstChoice(first.source(), first.targetDir(), sourceDevice, targetDevice);
                } catch (java.nio.file.NoSuchFileException missing) {
                    // The probe's sample is gone: the ordinary path reports it as a damaged entry.
                    choice = null;
                }
                if (choice != null && open != null && open.provider() == choice.provider()
                        && open.linker().supports(choice.method())) {
                    fast = open.linker();
                }
            }
            for (int i = from; i < to; i++) {
                Placement p = ps.get(i);
                if (fast != null && p.knownSize() >= 0
                        && fast.tryLink(choice.method(), p.sourceName(), p.targetName(), p.knownSize())) {
                    out.fast[i] = choice;
                    listener.placed(i, choice.method(), p.knownSize());
                } else {
                    FileOutcome o = placeOne(p);
                    out.detailed[i] = o;
                    listener.placed(i, o.method(), o.bytes());
                }
            }
        } finally {
            if (open != null) {
                open.linker().close();
            }
        }
    }

    private FileOutcome placeOne(Placement p) throws IOException {
        Path source = p.source();
        Path target = p.target();
        SourceAttributes attrs;
        try {
            attrs = SourceAttributes.read(source);
        } catch (java.nio.file.NoSuchFileException e) {
            if (p.knownSize() >= 0) {
                throw new SourceMismatchException(source, p.knownSize(), "missing");
            }
            throw e;
        }
        if (attrs.symlink()) {
            linker.recreateSymlink(source, target);
            return new FileOutcome(source, target, LinkMethod.SYMLINK, 0, List.of(), "nio");
        }
        if (!attrs.regular()) {
            if (p.knownSize() >= 0) {
                throw new SourceMismatchException(source, p.knownSize(), "not a regular file");
            }
            throw new IOException(source + ": not a regular file, cannot place it at " + target);
        }
        if (p.knownSize() >= 0 && attrs.size() != p.knownSize()) {
            throw new SourceMismatchException(source, p.knownSize(), attrs.size() + " bytes");
        }
        return linker.linkRegular(source, target, attrs, device(p.sourceDir()), device(p.targetDir()));
    }

    /**
     * The device of a run's directory: its anchor's, read once (through the anchor's real path:
     * the runs' directories are opened following symlinks), or else the open handle's.
     */
    private String anchoredDevice(DeviceAnchors anchors, Path dir, java.util.function.Supplier<String> handle)
            throws IOException {
        Path anchor = anchors.anchorOf(dir);
        if (anchor != dir) {
            String d = anchorDevices.get(anchor);
            if (d == null) {
                try {
                    d = linker.deviceId(anchor.toRealPath());
                } catch (IOException e) {
                    d = ""; // unknown: each run reads its own
                }
                anchorDevices.putIfAbsent(anchor, d);
            }
            if (!d.isEmpty()) {
                return d;
            }
        }
        String d = handle.get();
        if (d == null || d.isEmpty()) {
            return device(dir);
        }
        devices.putIfAbsent(dir, d); // for files of the run that go the ordinary way
        return d;
    }

    private String device(Path dir) throws IOException {
        String d = devices.get(dir);
        if (d == null) {
            d = linker.deviceId(dir);
            devices.put(dir, d);
        }
        return d;
    }
}
