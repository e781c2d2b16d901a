package dev.envlink.env;

import dev.envlink.cache.meta.PathEntry;
import dev.envlink.env.prefix.PrefixRewriter;
import dev.envlink.env.prefix.RewriteResult;
import dev.envlink.link.BatchLinker;
import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.LinkReport;
import dev.envlink.link.Linker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Executes a plan on a prefix with a journal, a backup directory and rollback. */
final class Transaction {
    private final Prefix prefix;
    private final Linker linker;
    private final Linker copier;
    private final PrefixRewriter rewriter;
    private final String command;
    private final String version;
    private final LinkOptions options;
    private InstallProgress progress = InstallProgress.none();
    private Phases phases = new Phases();
    private NoarchPython python;
    private List<String> warnings = new ArrayList<>();

    Transaction(Prefix prefix, LinkOptions options, PrefixRewriter rewriter, String command, String version) {
        this.prefix = prefix;
        this.options = options;
        this.linker = Linker.create(options);
        this.copier = Linker.create(new LinkOptions(LinkMode.COPY, false, options.existing(), options.parallelism()));
        this.rewriter = rewriter;
        this.command = command;
        this.version = version;
    }

    Transaction phases(Phases p) {
        this.phases = p;
        return this;
    }

    Transaction progress(InstallProgress p) {
        this.progress = p;
        return this;
    }

    /** The environment's python (noarch: python bytecode is compiled with it); null if none. */
    Transaction python(NoarchPython p) {
        this.python = p;
        return this;
    }

    /** Where warnings go (sources that did not compile). */
    Transaction warnings(List<String> w) {
        this.warnings = w;
        return this;
    }

    /** Returns {rewritten, copied, generated, compiled}. */
    long[] execute(Installer.Plan plan, Map<String, PlannedFile> winners, LinkReport.Builder links) throws IOException {
        Journal.State state = new Journal.State();
        state.command = command;
        plan.additions().forEach(p -> state.addedRecords.add(p.dist()));
        plan.removals().forEach(p -> state.removedRecords.add(p.dist()));
        List<PlannedFile> toPlace = new ArrayList<>(winners.size());
        List<String> parents = new ArrayList<>(winners.size()); // of toPlace, same order
        Set<String> dirs = new java.util.LinkedHashSet<>(); // every directory the plan needs, parents first (addDirs)
        // Files come in paths.json order, mostly directory by directory: a file in the same
        // directory as the one before shares its parent string, and its parents are in the set already.
        String last = null;
        for (PlannedFile f : winners.values()) {
            if (f.action() == PlannedFile.Action.DIRECTORY) {
                addDirs(dirs, f.target(), true);
                continue;
            }
            String parent = parentLike(f.target(), last);
            if (parent != last) {
                addDirs(dirs, parent, true);
                last = parent;
            }
            toPlace.add(f);
            parents.add(parent);
        }
        for (Installer.Restore r : plan.restores()) {
            String parent = parent(r.file().target());
            addDirs(dirs, parent, true);
            toPlace.add(r.file());
            parents.add(parent);
        }
        Map<String, DirState> dirStates = dirStates(dirs);
        List<String> newDirs = new ArrayList<>(); // every directory to make, parents first
        for (String d : dirs) {
            if (dirStates.get(d) != DirState.DIRECTORY) {
                newDirs.add(d);
                String parent = parent(d);
                if (inCondaMeta(d)) {
                    // conda-meta is never deleted as a tree (rollback refuses it): a package's
                    // directories there are listed one by one, and so are the files in them.
                    state.createdDirs.add(d);
                } else if (parent == null || dirStates.get(parent) == DirState.DIRECTORY) {
                    state.createdTrees.add(d); // the topmost new directory: all below it is this transaction's
                }
            }
        }
        String lastParent = null;
        boolean lastExists = false;
        boolean lastListed = false;
        for (int i = 0; i < toPlace.size(); i++) {
            PlannedFile f = toPlace.get(i);
            // Below a directory that is missing (or will replace a file), nothing can be in the way,
            // and the journal needs no entry: the new tree goes as a whole on rollback.
            String parent = parents.get(i);
            if (parent == null || parent != lastParent) {
                lastExists = parent == null || dirStates.get(parent) == DirState.DIRECTORY;
                lastListed = lastExists || inCondaMeta(parent);
                lastParent = parent;
            }
            if (lastListed) {
                state.created.add(f.target());
                if (lastExists && Files.exists(prefix.resolve(f.target()), LinkOption.NOFOLLOW_LINKS)) {
                    state.preexisting.add(f.target());
                }
            }
        }
        // The journal is written and synced on a thread of its own while the placement order is
        // worked out (nothing here touches the prefix); nothing in the prefix changes before it is on disk.
        java.util.concurrent.FutureTask<Void> journal = new java.util.concurrent.FutureTask<>(() -> {
            Journal.write(prefix, state);
            return null;
        });
        Thread journalWriter = new Thread(journal, "envlink-journal");
        journalWriter.setDaemon(true);
        journalWriter.start();
        RecordPipeline records = null;
        Order order;
        try {
            // Each package's record is written as soon as its last file is placed, while the
            // files of other packages are still being placed.
            records = new RecordPipeline(plan.additions(), toPlace);
            order = order(toPlace, parents, newDirs, records);
            awaitJournal(journal);
        } catch (IOException | RuntimeException | Error e) {
            if (records != null) {
                records.stop();
            }
            abandonJournal(journal, e);
            throw e;
        }
        phases.mark("journal");
        CrashPoints.reached("journal");
        long[] counts = new long[4];
        DirectoryMaker dirMaker = null;
        try {
            // When nothing goes to the backup (a new environment, new packages only), the directories
            // are made from now on, while the placement is prepared: ~8 000 mkdirs of a new
            // environment then overlap the main thread's work. Otherwise after the backup, which
            // must not meet a directory made meanwhile (a removed package's file already gone
            // from where a new directory goes would look like one).
            if (plan.removals().isEmpty() && state.preexisting.isEmpty()
                    && newDirs.stream().noneMatch(d -> dirStates.get(d) == DirState.OTHER)) {
                dirMaker = new DirectoryMaker(prefix, order.directories());
            }
            Placing placing = prepare(order, toPlace, parents, dirStates);
            phases.mark("prepare");
            for (InstalledPackage r : plan.removals()) {
                for (String f : r.files()) {
                    backup(f);
                }
                backup(Prefix.CONDA_META + "/" + r.dist() + ".json");
            }
            for (String p : state.preexisting) {
                backup(p);
            }
            for (String d : newDirs) {
                if (dirStates.get(d) == DirState.OTHER) {
                    backup(d); // a file of another package stands where a directory is needed
                }
            }
            phases.mark("backup");
            CrashPoints.reached("backup");
            if (dirMaker == null) {
                dirMaker = new DirectoryMaker(prefix, order.directories());
            }
            long bytes = 0;
            for (PlannedFile f : toPlace) {
                bytes += f.entry() != null && f.entry().sizeInBytes() != null ? f.entry().sizeInBytes() : 0;
            }
            progress.started(toPlace.size(), bytes);
            try {
                try {
                    place(toPlace, parents, placing, dirMaker, links, counts, records);
                } finally {
                    progress.finished();
                }
                phases.mark("place files");
                CrashPoints.reached("placed");
                records.awaitAll();
            } finally {
                records.stop(); // after a failure: no record may be written behind the rollback
            }
            appendHistory(plan);
            phases.mark("records");
            CrashPoints.reached("records");
            // Past this point recovery only finishes (drops the backup): the lists are not needed.
            Journal.State committed = new Journal.State();
            committed.phase = "committed";
            committed.command = state.command;
            Journal.write(prefix, committed, false);
            CrashPoints.reached("committed");
        } catch (IOException | RuntimeException | Error e) {
            records.stop(); // also after a failed backup, before placing began (idempotent)
            try {
                if (dirMaker != null) {
                    dirMaker.close(); // no directory made behind the rollback (idempotent)
                }
                rollback(prefix, state);
            } catch (IOException | RuntimeException r) {
                e.addSuppressed(r);
            }
            throw e;
        }
        finish(prefix);
        removeEmptyDirs(plan);
        phases.mark("commit");
        return counts;
    }

    /** What stands at a directory path of the plan before the transaction. */
    enum DirState { DIRECTORY, MISSING, OTHER }

    /**
     * The state of every directory the plan needs, parents first ({@code dirs} lists a parent
     * before its children). Below a missing path, or below a file or symlink that a
     * directory will replace (it goes to the backup first), everything is missing: no stat needed.
     */
    private Map<String, DirState> dirStates(Set<String> dirs) throws IOException {
        Map<String, DirState> out = new java.util.HashMap<>(dirs.size() * 2);
        for (String d : dirs) {
            String parent = parent(d);
            DirState above = parent == null ? DirState.DIRECTORY : out.getOrDefault(parent, DirState.DIRECTORY);
            DirState st = DirState.MISSING;
            if (above == DirState.DIRECTORY) {
                try {
                    st = Files.readAttributes(prefix.resolve(d), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                            .isDirectory() ? DirState.DIRECTORY : DirState.OTHER;
                } catch (java.nio.file.NoSuchFileException e) {
                    st = DirState.MISSING;
                } catch (IOException e) {
                    // Cannot tell (EIO, ESTALE, EACCES...): nothing has changed yet, so stop here. Taken
                    // as missing, a rollback would delete a directory that was there all along.
                    throw new IOException(prefix.resolve(d) + ": cannot tell whether this directory exists ("
                            + e + "); nothing was changed", e);
                }
            }
            out.put(d, st);
        }
        return out;
    }

    private static boolean inCondaMeta(String rel) {
        return rel != null && (rel.equals(Prefix.CONDA_META) || rel.startsWith(Prefix.CONDA_META + "/"));
    }

    /** The parent of {@code rel}: {@code last} itself (the same object) when it is that parent. */
    private static String parentLike(String rel, String last) {
        int i = rel.lastIndexOf('/');
        if (i < 0) {
            return null;
        }
        if (last != null && last.length() == i && rel.startsWith(last)) {
            return last;
        }
        return rel.substring(0, i);
    }

    /**
     * Adds the directory (or the target's parent) and its ancestors, ancestors first: the set's
     * order is then parents before children, and needs no sorting.
     */
    private static void addDirs(Set<String> dirs, String target, boolean self) {
        String p = self ? target : parent(target);
        // Once a directory is in the set, so are all of its parents.
        if (p == null || p.isEmpty() || dirs.contains(p)) {
            return;
        }
        List<String> missing = new ArrayList<>(8);
        for (; p != null && !p.isEmpty() && !dirs.contains(p); p = parent(p)) {
            missing.add(p);
        }
        for (int i = missing.size() - 1; i >= 0; i--) {
            dirs.add(missing.get(i));
        }
    }

    private static String parent(String rel) {
        int i = rel.lastIndexOf('/');
        return i < 0 ? null : rel.substring(0, i);
    }

    private void backup(String rel) throws IOException {
        Path src = prefix.resolve(rel);
        if (!Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path dst = prefix.backup().resolve(rel);
        if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(src)) {
                if (s.iterator().hasNext()) {
                    throw new DirectoryNotEmptyException(src + " (a package file must go here, but a non-empty"
                            + " directory that no package of this transaction owns is in the way)");
                }
            }
            // An empty directory: remember it in the backup (rollback recreates it), then remove it.
            Files.createDirectories(dst);
            Files.delete(src);
            return;
        }
        Files.createDirectories(dst.getParent());
        Files.move(src, dst, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits for the journal written by another thread; its failure is thrown as is. */
    private static void awaitJournal(java.util.concurrent.FutureTask<Void> journal) throws IOException {
        try {
            journal.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the transaction journal", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw Parallel.rethrow(e.getCause());
        }
    }

    /**
     * After a failure before the prefix changed: waits for the journal thread, then deletes the
     * journal it may have written (there is nothing to roll back).
     */
    private void abandonJournal(java.util.concurrent.FutureTask<Void> journal, Throwable failure) {
        try {
            journal.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() != failure) {
                failure.addSuppressed(e.getCause());
            }
        }
        try {
            Files.deleteIfExists(prefix.journal());
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Files placed by one engine call: their indexes and placements. */
    private record Batch(List<Integer> indexes, List<BatchLinker.Placement> placements) {
    }

    /**
     * Which files go which way, in placement order, and the order the new directories are needed
     * in: worked out while the journal is written.
     */
    private record Order(List<Integer> other, List<Integer> copies, List<Integer> links, List<Integer> bytecode,
                         List<String> directories) {
    }

    /**
     * Everything else the placement needs that can be worked out before files are placed: the
     * engine's placements, the target directories by name for the gate, the device anchors.
     */
    private record Placing(List<Integer> other, Batch copies, Batch firstHalf, Batch secondHalf,
                           List<Integer> bytecode, Map<Path, String> relativeDirs, BatchLinker.DeviceAnchors anchors) {
    }

    private static Order order(List<PlannedFile> files, List<String> parents, List<String> newDirs,
                               RecordPipeline records) {
        List<Integer> linkFiles = new ArrayList<>();
        List<Integer> copyFiles = new ArrayList<>();
        List<Integer> other = new ArrayList<>();
        List<Integer> bytecode = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            switch (files.get(i).action()) {
                case LINK -> linkFiles.add(i);
                case COPY -> copyFiles.add(i);
                case PYC -> bytecode.add(i);
                default -> other.add(i);
            }
        }
        // Biggest package first: its record is then written while the smaller ones are placed.
        linkFiles.sort(java.util.Comparator.comparingInt(records::order));
        linkFiles = PlacementOrder.byDirectory(linkFiles, parents);
        return new Order(other, copyFiles, linkFiles, bytecode,
                PlacementOrder.directories(newDirs, parents, other, copyFiles, linkFiles));
    }

    private Placing prepare(Order order, List<PlannedFile> files, List<String> parents,
                            Map<String, DirState> dirStates) {
        List<Integer> links = order.links();
        // In two halves, so a crash test can stop between them (mid-placement).
        int half = links.size() / 2;
        Placements ps = new Placements(files, parents, dirStates);
        return new Placing(order.other(), ps.batch(order.copies()), ps.batch(links.subList(0, half)),
                ps.batch(links.subList(half, links.size())), order.bytecode(), ps.relativeDirs,
                dir -> ps.anchors.getOrDefault(dir, dir));
    }

    /**
     * Places every file: the few that are not links (rewritten files, symlinks, entry points) on a
     * pool of their own, while the copies and links go through the engine in parallel, so that
     * packages complete (and their records can be written) while later ones are still being
     * linked. The new directories are made meanwhile on a thread of their own, in the order files
     * need them. Returns only when every placing thread has stopped, failed or not.
     */
    private void place(List<PlannedFile> files, List<String> parents, Placing placing, DirectoryMaker dirMaker,
                       LinkReport.Builder links, long[] counts, RecordPipeline records) throws IOException {
        try (DirectoryMaker dirs = dirMaker) {
            records.startEmpty();
            Map<PlannedFile.Action, java.util.concurrent.atomic.AtomicLong> n = new ConcurrentHashMap<>();
            // Started first and joined last: their first use of the rewriting code (and SHA-256)
            // no longer holds back the first link.
            OtherFiles others = new OtherFiles(() -> Parallel.forEach(placing.other(), options.parallelism(), i -> {
                PlannedFile f = files.get(i);
                dirs.await(parents.get(i));
                RecordWriter.Placed placed = placeOther(f);
                progress.placed(f.entry() != null && f.entry().sizeInBytes() != null ? f.entry().sizeInBytes() : 0);
                n.computeIfAbsent(f.action(), k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
                records.placed(i, placed);
            }));
            try {
                BatchLinker.DirectoryGate gate = dir -> dirs.await(placing.relativeDirs().get(dir));
                placeThrough(copier, files, placing.copies(), links, records, gate, placing.anchors());
                counts[1] = placing.copies().indexes().size();
                placeThrough(linker, files, placing.firstHalf(), links, records, gate, placing.anchors());
                CrashPoints.reached("half");
                placeThrough(linker, files, placing.secondHalf(), links, records, gate, placing.anchors());
            } catch (IOException | RuntimeException | Error e) {
                others.joinAfter(e);
                throw e;
            }
            others.join();
            counts[0] = n.getOrDefault(PlannedFile.Action.REWRITE, new java.util.concurrent.atomic.AtomicLong()).get();
            counts[2] = n.getOrDefault(PlannedFile.Action.ENTRY_POINT, new java.util.concurrent.atomic.AtomicLong()).get();
            dirs.finish(); // directories no file needed (empty ones of packages) included
        }
        counts[3] = compile(files, placing.bytecode(), records);
    }

    /** The placing of the files that are not links, on a thread of its own (see {@link #place}). */
    private static final class OtherFiles {
        interface Work {
            void run() throws IOException;
        }

        private final Thread thread;
        private volatile Throwable failure;

        OtherFiles(Work work) {
            thread = new Thread(() -> {
                try {
                    work.run();
                } catch (IOException | RuntimeException | Error e) {
                    failure = e;
                }
            }, "envlink-other-files");
            thread.setDaemon(true);
            thread.start();
        }

        /** Waits (even when interrupted: nothing may be placed behind a rollback), then throws what they threw. */
        void join() throws IOException {
            Parallel.joinUninterruptibly(thread);
            Throwable t = failure;
            if (t instanceof Error err) {
                throw err;
            }
            if (t != null) {
                throw Parallel.rethrow(t);
            }
        }

        /** Waits after the links failed; a failure here too is kept with theirs. */
        void joinAfter(Throwable first) {
            Parallel.joinUninterruptibly(thread);
            if (failure != null && failure != first) {
                first.addSuppressed(failure);
            }
        }
    }

    /**
     * The bytecode of noarch: python sources, now that every source is in place; what did not
     * compile is left out of the records with a warning (as conda does).
     */
    private int compile(List<PlannedFile> files, List<Integer> bytecode, RecordPipeline records) {
        if (bytecode.isEmpty()) {
            return 0;
        }
        if (python == null) {
            throw new IllegalStateException("bytecode planned without a python version");
        }
        List<String> targets = new ArrayList<>(bytecode.size());
        bytecode.forEach(i -> targets.add(files.get(i).target()));
        PycCompiler.Outcome o = PycCompiler.compile(prefix.root(), python, targets);
        o.warning().ifPresent(warnings::add);
        for (int i : bytecode) {
            PlannedFile f = files.get(i);
            records.placed(i, o.compiled().contains(f.target()) ? new RecordWriter.Placed(f, "compiled", null, null)
                    : RecordWriter.Placed.absent(f));
        }
        return o.compiled().size();
    }

    /**
     * Builds the engine's placements. One Path per directory, shared by its files: the engine
     * places a directory's files as a run (by name, through the provider's directory fast path
     * where it has one).
     */
    private final class Placements {
        private final List<PlannedFile> files;
        private final List<String> parents;
        private final Map<Path, Map<String, Path>> sourceDirs = new IdentityHashMap<>();
        private final Map<String, Path> targetDirs;
        private final Map<String, DirState> dirStates;
        /** For the directory gate: a run's target directory by name. */
        final Map<Path, String> relativeDirs;
        /**
         * For the engine's device lookups: a source directory's anchor is its package's root in the
         * cache (extracted there as real directories); a new target directory's is the nearest
         * directory that existed before (made below it by this transaction). Others have none.
         */
        final Map<Path, Path> anchors;
        /** Answers of {@link #existingAncestor} for new directories; "" stands for the prefix. */
        private final Map<String, String> ancestors;

        Placements(List<PlannedFile> files, List<String> parents, Map<String, DirState> dirStates) {
            this.files = files;
            this.parents = parents;
            this.dirStates = dirStates;
            // Sized for every directory of the plan up front: no rehashing on the way.
            int dirs = dirStates.size() + 16;
            this.targetDirs = new java.util.HashMap<>(dirs * 4 / 3);
            this.relativeDirs = new IdentityHashMap<>(dirs);
            this.anchors = new IdentityHashMap<>(dirs * 2);
            this.ancestors = new java.util.HashMap<>(dirs * 4 / 3);
        }

        /**
         * The nearest directory of {@code rel}'s ancestors (or itself) that existed before; null: the
         * prefix. Remembered per directory: a new environment's ~8 000 new directories would
         * otherwise each walk up to the prefix, cutting a new parent string at every step.
         */
        private String existingAncestor(String rel) {
            if (rel == null || dirStates.getOrDefault(rel, DirState.DIRECTORY) == DirState.DIRECTORY) {
                return rel;
            }
            String a = ancestors.get(rel);
            if (a == null) {
                String found = existingAncestor(parent(rel));
                a = found == null ? "" : found;
                ancestors.put(rel, a);
            }
            return a.isEmpty() ? null : a;
        }

        Batch batch(List<Integer> indexes) {
            List<BatchLinker.Placement> ps = new ArrayList<>(indexes.size());
            // Files come grouped by directory: the two directories are looked up again only when
            // the package, the target directory or the source directory differs from the file before.
            Path lastRoot = null;
            String lastParent = null;
            String lastRel = null;
            int lastSlash = -2;
            Path sourceDir = null;
            Path targetDir = null;
            for (int i : indexes) {
                PlannedFile f = files.get(i);
                // paths.json gives type and size: the engine checks the size as it places the file.
                Long size = f.entry().type() == dev.envlink.cache.meta.PathType.HARDLINK
                        ? f.entry().sizeInBytes() : null;
                String rel = f.entry().path();
                int s = rel.lastIndexOf('/');
                String parent = parents.get(i);
                if (f.sourceRoot() != lastRoot || parent != lastParent || s != lastSlash
                        || !rel.regionMatches(0, lastRel, 0, s)) {
                    sourceDir = sourceDirs.computeIfAbsent(f.sourceRoot(), k -> new java.util.HashMap<>())
                            .computeIfAbsent(s < 0 ? "" : rel.substring(0, s), d -> d.isEmpty() ? f.sourceRoot()
                                    : f.sourceRoot().resolve(d));
                    if (sourceDir != f.sourceRoot()) {
                        anchors.put(sourceDir, f.sourceRoot());
                    }
                    targetDir = targetDirs.get(parent);
                    if (targetDir == null) {
                        targetDir = targetDir(parent);
                        relativeDirs.put(targetDir, parent);
                        String existing = parent == null ? null : existingAncestor(parent);
                        if (!java.util.Objects.equals(existing, parent)) {
                            anchors.put(targetDir, targetDir(existing));
                        }
                    }
                    lastRoot = f.sourceRoot();
                    lastParent = parent;
                    lastSlash = s;
                }
                lastRel = rel;
                String sourceName = rel.substring(s + 1);
                String target = f.target();
                // Unless relocated (noarch: python), the target is the package's own path string.
                String targetName = target == rel ? sourceName : target.substring(target.lastIndexOf('/') + 1);
                ps.add(new BatchLinker.Placement(sourceDir, sourceName, targetDir, targetName, size != null ? size : -1));
            }
            return new Batch(indexes, ps);
        }

        /** One Path object per target directory (the engine compares them by identity first). */
        private Path targetDir(String rel) {
            Path p = targetDirs.get(rel);
            if (p == null) {
                p = rel == null ? prefix.root() : prefix.resolve(rel);
                targetDirs.put(rel, p);
            }
            return p;
        }
    }

    private void placeThrough(Linker engine, List<PlannedFile> all, Batch batch, LinkReport.Builder links,
                              RecordPipeline records, BatchLinker.DirectoryGate gate,
                              BatchLinker.DeviceAnchors anchors) throws IOException {
        List<Integer> indexes = batch.indexes();
        BatchLinker.Outcomes outcomes = new BatchLinker(engine).placeAll(batch.placements(), (k, method, bytes) -> {
            progress.placed(bytes);
            int i = indexes.get(k);
            records.placed(i, new RecordWriter.Placed(all.get(i), method.label(), null, null));
        }, gate, anchors);
        outcomes.addTo(links);
    }

    /** The cache file is what the package records (as the engine checks the files it links). */
    private static void checkSize(Path source, PathEntry e) throws IOException {
        if (e.sizeInBytes() == null) {
            return;
        }
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (java.nio.file.NoSuchFileException missing) {
            throw new dev.envlink.link.SourceMismatchException(source, e.sizeInBytes(), "missing");
        }
        if (a.isRegularFile() && a.size() != e.sizeInBytes()) {
            throw new dev.envlink.link.SourceMismatchException(source, e.sizeInBytes(), a.size() + " bytes");
        }
    }

    private RecordWriter.Placed placeOther(PlannedFile f) throws IOException {
        Path target = prefix.resolve(f.target());
        switch (f.action()) {
            case REWRITE -> {
                PathEntry e = f.entry();
                checkSize(f.source(), e);
                RewriteResult r = rewriter.rewrite(f.source(), target, e.prefixPlaceholder(),
                        prefix.root().toString(), e.fileMode() == dev.envlink.cache.meta.FileMode.BINARY
                                ? dev.envlink.env.prefix.Mode.BINARY : dev.envlink.env.prefix.Mode.TEXT);
                return new RecordWriter.Placed(f, "rewritten", r.sha256(), r.bytesWritten());
            }
            case SYMLINK -> {
                if (Files.isSymbolicLink(f.source())) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(f.source()));
                    return new RecordWriter.Placed(f, "symlink", null, null);
                }
                // Recorded as a softlink but extracted as a file (e.g. on a filesystem without symlinks).
                FileOutcome o = linker.linkFile(f.source(), target);
                return new RecordWriter.Placed(f, o.method().label(), null, null);
            }
            case DIRECTORY -> {
                Files.createDirectories(target);
                return new RecordWriter.Placed(f, null, null, null);
            }
            case ENTRY_POINT -> {
                boolean windows = python != null && python.windows();
                String text = !windows ? EntryPoints.script(prefix.resolve("bin/python").toString(), f.entryPoint())
                        : f.target().endsWith(EntryPoints.WINDOWS_LAUNCHER_SUFFIX) ? EntryPoints.windowsLauncher(f.entryPoint())
                        : EntryPoints.script(prefix.resolve("python.exe").toString(), f.entryPoint());
                byte[] script = text.getBytes(StandardCharsets.UTF_8);
                Files.write(target, script, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                try {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } catch (UnsupportedOperationException ignored) {
                    // Windows: scripts are run through their launcher, no exec bit.
                }
                return new RecordWriter.Placed(f, "generated", dev.envlink.cache.FileHashes.sha256(target),
                        (long) script.length);
            }
            default -> throw new IllegalStateException("not placed here: " + f.action());
        }
    }

    /**
     * Writes each added package's conda-meta record once all of its files are placed, on threads
     * of its own. Files are known by their index in the placement list; what happened to each is
     * kept in an array slot, written by the placing thread before it counts the file down, so the
     * thread that counts a package's last file down sees all of the package's results.
     */
    private final class RecordPipeline {
        private final List<PackagePlan> packages;
        private final RecordWriter.Placed[] results;
        private final Map<PlannedFile, Integer> slots;
        private final int[] packageOf;
        private final java.util.concurrent.atomic.AtomicInteger[] remaining;
        private final int[] total;
        private final java.util.concurrent.ExecutorService writer;
        private final List<java.util.concurrent.Future<?>> written = Collections.synchronizedList(new ArrayList<>());

        RecordPipeline(List<PackagePlan> packages, List<PlannedFile> toPlace) {
            this.packages = packages;
            this.results = new RecordWriter.Placed[toPlace.size()];
            this.slots = new IdentityHashMap<>(toPlace.size());
            for (int i = 0; i < toPlace.size(); i++) {
                slots.put(toPlace.get(i), i);
            }
            this.packageOf = new int[toPlace.size()];
            java.util.Arrays.fill(packageOf, -1); // restored files of other packages: no record
            this.remaining = new java.util.concurrent.atomic.AtomicInteger[packages.size()];
            this.total = new int[packages.size()];
            for (int p = 0; p < packages.size(); p++) {
                int mine = 0;
                for (PlannedFile f : packages.get(p).files()) {
                    Integer slot = slots.get(f);
                    if (slot != null) {
                        packageOf[slot] = p;
                        mine++;
                    }
                }
                remaining[p] = new java.util.concurrent.atomic.AtomicInteger(mine);
                total[p] = mine;
            }
            this.writer = java.util.concurrent.Executors.newFixedThreadPool(Math.max(1, options.parallelism()), r -> {
                Thread t = new Thread(r, "envlink-records");
                t.setDaemon(true);
                return t;
            });
        }

        /** Sort key of a slot: the files of packages with more files to place first (stable). */
        int order(int slot) {
            int p = packageOf[slot];
            return p < 0 ? Integer.MIN_VALUE : -total[p];
        }

        /** Packages with nothing to place (all clobbered, or directories only) are written at once. */
        void startEmpty() {
            for (int p = 0; p < packages.size(); p++) {
                if (remaining[p].get() == 0) {
                    submit(p);
                }
            }
        }

        void placed(int slot, RecordWriter.Placed placed) {
            results[slot] = placed;
            int p = packageOf[slot];
            if (p >= 0 && remaining[p].decrementAndGet() == 0) {
                submit(p);
            }
        }

        private void submit(int p) {
            written.add(writer.submit(() -> {
                write(packages.get(p));
                return null;
            }));
        }

        private void write(PackagePlan p) throws IOException {
            List<RecordWriter.Placed> mine = new ArrayList<>(p.files().size());
            for (PlannedFile f : p.files()) {
                Integer slot = slots.get(f);
                RecordWriter.Placed pl = slot != null ? results[slot] : null;
                // Not placed: another package of this transaction won the path (a clobber).
                mine.add(pl != null ? pl : new RecordWriter.Placed(f,
                        f.action() == PlannedFile.Action.DIRECTORY ? null : "clobbered", null, null));
            }
            int linkType = options.mode() == LinkMode.COPY ? RecordWriter.LINK_COPY : RecordWriter.LINK_HARDLINK;
            RecordWriter.write(prefix.condaMeta().resolve(p.dist() + ".json"), RecordWriter.build(p, mine, linkType, version));
        }

        /** Waits for every record; the first failure is thrown. */
        void awaitAll() throws IOException {
            for (int p = 0; p < packages.size(); p++) {
                if (remaining[p].get() != 0) {
                    throw new IllegalStateException(packages.get(p).dist() + ": " + remaining[p].get()
                            + " files were not placed");
                }
            }
            List<java.util.concurrent.Future<?>> all;
            synchronized (written) {
                all = new ArrayList<>(written);
            }
            for (java.util.concurrent.Future<?> f : all) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing records", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw Parallel.rethrow(e.getCause());
                }
            }
        }

        /**
         * Drops the records not started yet and waits for one being written (never interrupted:
         * a record is written to a temporary name and renamed, and the rollback removes it).
         */
        void stop() {
            writer.shutdown();
            synchronized (written) {
                written.forEach(f -> f.cancel(false));
            }
            try {
                writer.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void appendHistory(Installer.Plan plan) throws IOException {
        StringBuilder sb = new StringBuilder(Installer.historyHeader(command, version));
        for (InstalledPackage r : plan.removals()) {
            sb.append(Installer.historyLine('-', r.record(), r.dist())).append('\n');
        }
        for (PackagePlan p : plan.additions()) {
            Map<String, Object> rec = p.metadata().repodataRecord().map(x -> x.fields())
                    .orElse(p.metadata().index().raw());
            sb.append(Installer.historyLine('+', rec, p.dist())).append('\n');
        }
        Files.writeString(prefix.condaMeta().resolve("history"), sb.toString(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** After commit: drop the backup and the journal. */
    private static void finish(Prefix prefix) throws IOException {
        deleteTree(prefix.backup());
        Files.deleteIfExists(prefix.journal());
    }

    /** Directories a removed package leaves empty go too (deepest first). */
    private void removeEmptyDirs(Installer.Plan plan) {
        Set<String> dirs = new TreeSet<>(Collections.reverseOrder());
        for (InstalledPackage r : plan.removals()) {
            for (String f : r.files()) {
                addDirs(dirs, f, false);
            }
        }
        for (String d : dirs) {
            Path dir = prefix.resolve(d);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue; // a new package may have put a file or symlink there
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException notEmpty) {
                // Still used by other packages (or by the user): keep it.
            }
        }
    }

    /** Called before any command touches a prefix: finish a committed transaction, undo any other. */
    static String recover(Prefix prefix) throws IOException {
        if (!Files.exists(prefix.journal())) {
            if (Files.exists(prefix.backup())) {
                deleteTree(prefix.backup()); // a commit that died between the journal and the cleanup
            }
            return "";
        }
        Journal.State s = Journal.read(prefix);
        if ("committed".equals(s.phase)) {
            finish(prefix);
            return "finished an interrupted transaction (" + s.command + ")";
        }
        rollback(prefix, s);
        return "rolled back an interrupted transaction (" + s.command + ")";
    }

    static void rollback(Prefix prefix, Journal.State s) throws IOException {
        Set<String> pre = new TreeSet<>(s.preexisting);
        List<String> created = new ArrayList<>(s.created);
        Collections.reverse(created);
        for (String rel : created) {
            Path p = prefix.resolve(rel);
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            // A path that existed before is ours to delete only once its original is in the backup.
            if (pre.contains(rel) && !Files.exists(prefix.backup().resolve(rel), LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.delete(p);
        }
        for (String dist : s.addedRecords) {
            Path rec = prefix.condaMeta().resolve(dist + ".json");
            if (!Files.exists(prefix.backup().resolve(Prefix.CONDA_META + "/" + dist + ".json"))) {
                Files.deleteIfExists(rec);
            }
            // A record being written when the process died (records are written while placing).
            Files.deleteIfExists(RecordWriter.temporary(rec));
        }
        for (String tree : s.createdTrees) {
            deleteCreatedTree(prefix, tree);
        }
        restoreBackup(prefix);
        // Directories listed one by one: those in conda-meta, and every new one in journals
        // written by earlier envlink versions.
        List<String> dirs = new ArrayList<>(s.createdDirs);
        Collections.reverse(dirs);
        for (String d : dirs) {
            Path dir = prefix.resolve(d);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                continue; // not made (a file there is someone else's, or restored from the backup)
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException notEmpty) {
                // Holds something that is not ours.
            }
        }
        deleteTree(prefix.backup());
        Files.deleteIfExists(prefix.journal());
    }

    /**
     * Deletes a directory the transaction made where none was, with everything in it. Only a real
     * directory inside the prefix (and outside conda-meta): a file or symlink at that path is not
     * the transaction's (it died before making the directory; a file it replaced is in the backup).
     */
    private static void deleteCreatedTree(Prefix prefix, String tree) throws IOException {
        Path p = prefix.resolve(tree).normalize();
        if (!p.startsWith(prefix.root()) || p.equals(prefix.root()) || p.startsWith(prefix.condaMeta())) {
            throw new IOException(prefix.journal() + ": names a directory outside the prefix's package files: " + tree);
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(p);
        }
    }

    private static void restoreBackup(Prefix prefix) throws IOException {
        Path backup = prefix.backup();
        if (!Files.isDirectory(backup)) {
            return;
        }
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(backup, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                files.add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(backup)) {
                    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                        if (!s.iterator().hasNext()) {
                            files.add(dir); // an empty directory that was moved away
                        }
                    } catch (IOException ignored) {
                        // Reported when moving.
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        for (Path f : files) {
            Path rel = backup.relativize(f);
            Path dst = prefix.root().resolve(rel.toString());
            Files.createDirectories(dst.getParent());
            if (Files.exists(dst, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(dst);
            } else if (Files.isDirectory(dst, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.delete(dst);
                } catch (DirectoryNotEmptyException keep) {
                    continue;
                }
            }
            Files.move(f, dst, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    static void deleteTree(Path root) throws IOException {
        dev.envlink.cache.Trees.deleteRecursively(root);
    }
}
