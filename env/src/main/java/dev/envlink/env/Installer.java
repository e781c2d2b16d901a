package dev.envlink.env;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.CacheLock;
import dev.envlink.cache.PackageCache;
import dev.envlink.cache.meta.PackageMetadata;
import dev.envlink.env.prefix.PrefixRewriter;
import dev.envlink.env.prefix.RewriteResult;
import dev.envlink.link.BatchLinker;
import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.LinkReport;
import dev.envlink.link.Linker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Installs and removes packages in a prefix as one transaction: plan, journal, move what will be
 * replaced into a backup, place the new files, write the records, commit. Any failure rolls the
 * prefix back; a crash is rolled back (or finished, if it had committed) by the next command.
 * Files of the cache are only ever read: links share them, rewritten files are new.
 */
public final class Installer {
    /**
     * One package to install.
     *
     * @param metadata the entry's metadata when the caller has already read it (the fetcher does, to
     *                 validate the entry), so the install does not parse paths.json a second time
     */
    public record Request(CacheEntry entry, String requestedSpec, Optional<PackageMetadata> metadata) {
        public Request(CacheEntry entry, String requestedSpec) {
            this(entry, requestedSpec, Optional.empty());
        }
    }

    private final LinkOptions linkOptions;
    private final String envlinkVersion;
    private final String command;
    private final boolean windowsTarget;
    private InstallProgress progress = InstallProgress.none();
    private Phases phases = new Phases();

    public Installer(LinkOptions linkOptions, String envlinkVersion, String command) {
        this(linkOptions, envlinkVersion, command,
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows"));
    }

    /** With the environment's layout chosen (Windows: Lib/site-packages, Scripts/, python.exe). */
    Installer(LinkOptions linkOptions, String envlinkVersion, String command, boolean windowsTarget) {
        this.linkOptions = linkOptions;
        this.envlinkVersion = envlinkVersion;
        this.command = command;
        this.windowsTarget = windowsTarget;
    }

    /** Where to record the time each phase takes (the caller may have marked earlier phases). */
    public Installer phases(Phases p) {
        this.phases = p;
        return this;
    }

    /** Where to report placement progress (a terminal bar in the CLI). */
    public Installer progress(InstallProgress p) {
        this.progress = p;
        return this;
    }

    public InstallReport install(Path prefixDir, List<Request> requests, boolean dryRun) throws IOException {
        return run(prefixDir, dryRun, (prefix, installed) -> planInstall(prefix, installed, requests, Set.of()));
    }

    /**
     * Places the named installed packages again from their cache entries (verify --repair), as one
     * transaction: their current files go to the backup, fresh ones are placed.
     */
    public InstallReport reinstall(Path prefixDir, List<String> names) throws IOException {
        return run(prefixDir, false, (prefix, installed) -> {
            List<Request> requests = new ArrayList<>();
            for (String n : names) {
                InstalledPackage p = installed.get(n);
                if (p == null) {
                    throw new IllegalArgumentException("package not installed: " + n);
                }
                Path dir = p.extractedPackageDir().orElseThrow(() -> new IOException(p.recordFile()
                        + ": no extracted_package_dir, cannot place the package again"));
                Optional<Path> archive = p.string("package_tarball_full_path").filter(s -> !s.isEmpty()).map(Path::of);
                requests.add(new Request(new CacheEntry(p.dist(), dir, dir.getParent(), true, archive),
                        p.string("requested_spec").orElse(n)));
            }
            return planInstall(prefix, installed, requests, new java.util.HashSet<>(names));
        });
    }

    public InstallReport remove(Path prefixDir, List<String> names, boolean dryRun) throws IOException {
        return run(prefixDir, dryRun, (prefix, installed) -> planRemove(installed, names));
    }

    /** Finishes or undoes an interrupted transaction, if any; returns what it did ("" if nothing). */
    public String recover(Path prefixDir) throws IOException {
        Prefix prefix = new Prefix(prefixDir);
        if (!Files.isDirectory(prefix.condaMeta())) {
            return "";
        }
        try (CacheLock lock = lock(prefix)) {
            return Transaction.recover(prefix);
        }
    }

    private interface PlanMaker {
        Plan make(Prefix prefix, Map<String, InstalledPackage> installed) throws IOException;
    }

    /** What a transaction will do. */
    record Plan(List<InstalledPackage> removals, List<PackagePlan> additions, List<String> unchanged,
                List<Restore> restores, Optional<String> pythonVersion) {
    }

    /** A clobbered file to put back when the package that clobbered it goes. */
    record Restore(PlannedFile file, String ownerDist) {
    }

    private InstallReport run(Path prefixDir, boolean dryRun, PlanMaker maker) throws IOException {
        long start = System.nanoTime();
        Prefix prefix = new Prefix(prefixDir);
        if (dryRun && !Files.isDirectory(prefix.condaMeta())) {
            // A plan for a prefix that does not exist yet: nothing to lock, nothing to create.
            return execute(prefix, Map.of(), maker.make(prefix, Map.of()), "", true, start);
        }
        Files.createDirectories(prefix.condaMeta());
        try (CacheLock lock = lock(prefix)) {
            String recovered = Transaction.recover(prefix);
            Map<String, InstalledPackage> installed = prefix.installed();
            phases.mark("open prefix");
            Plan plan = maker.make(prefix, installed);
            phases.mark("read metadata");
            return execute(prefix, installed, plan, recovered, dryRun, start);
        }
    }

    private InstallReport execute(Prefix prefix, Map<String, InstalledPackage> installed, Plan plan, String recovered,
                                  boolean dryRun, long start) throws IOException {
        List<String> warnings = new ArrayList<>();
        Map<String, String> owners = new LinkedHashMap<>();
        Set<String> removing = new LinkedHashSet<>();
        plan.removals().forEach(r -> removing.add(r.dist()));
        for (InstalledPackage p : installed.values()) {
            if (!removing.contains(p.dist())) {
                p.files().forEach(f -> owners.put(f, p.dist()));
            }
        }
        Map<String, PlannedFile> winners = Planner.winners(plan.additions(), owners, warnings);
        phases.mark("plan");
        LinkReport.Builder links = new LinkReport.Builder();
        if (dryRun) {
            return report(prefix, plan, links.build(List.of()), new long[4], warnings, recovered, true, start);
        }
        Transaction tx = new Transaction(prefix, linkOptions, new PrefixRewriter(windowsTarget ? "windows"
                : System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("mac") ? "macos" : "linux"),
                command, envlinkVersion).progress(progress).phases(phases).warnings(warnings)
                .python(plan.pythonVersion().map(v -> new NoarchPython(v, windowsTarget)).orElse(null));
        long[] counts = tx.execute(plan, winners, links);
        return report(prefix, plan, links.build(List.of()), counts, warnings, recovered, false, start);
    }


    private InstallReport report(Prefix prefix, Plan plan, LinkReport links, long[] counts,
                                        List<String> warnings, String recovered, boolean dryRun, long start) {
        return new InstallReport(prefix.root().toString(),
                plan.additions().stream().map(PackagePlan::dist).toList(),
                plan.removals().stream().map(InstalledPackage::dist).toList(), plan.unchanged(), links,
                counts[0], counts[1], counts[2], counts[3], warnings, recovered, dryRun,
                Duration.ofNanos(System.nanoTime() - start), phases.seconds());
    }

    private Plan planInstall(Prefix prefix, Map<String, InstalledPackage> installed, List<Request> requests,
                             Set<String> force) throws IOException {
        Map<String, Request> byName = new LinkedHashMap<>();
        Map<String, PackageMetadata> metas = new LinkedHashMap<>();
        List<PackageMetadata> read = Parallel.map(requests, linkOptions.parallelism(),
                r -> r.metadata().isPresent() ? r.metadata().get() : PackageMetadata.read(r.entry().path()));
        for (int i = 0; i < requests.size(); i++) {
            Request r = requests.get(i);
            PackageMetadata m = read.get(i);
            String name = m.index().name();
            Request prev = byName.put(name, r);
            if (prev != null && !prev.entry().dist().equals(r.entry().dist())) {
                throw new IllegalArgumentException("two builds of " + name + " requested: " + prev.entry().dist()
                        + " and " + r.entry().dist());
            }
            metas.put(name, m);
        }
        List<InstalledPackage> removals = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<String> adding = new ArrayList<>();
        for (Map.Entry<String, Request> e : byName.entrySet()) {
            InstalledPackage old = installed.get(e.getKey());
            if (old != null && old.dist().equals(e.getValue().entry().dist()) && !force.contains(e.getKey())) {
                unchanged.add(old.dist());
                continue;
            }
            if (old != null) {
                removals.add(old); // an update: the old build goes in the same transaction
            }
            adding.add(e.getKey());
        }
        Optional<String> python = Planner.pythonVersion(adding.stream().map(metas::get).toList(), installed);
        Planner planner = new Planner(windowsTarget);
        List<PackagePlan> plans = Parallel.map(adding, linkOptions.parallelism(), name -> {
            Request r = byName.get(name);
            PackageMetadata m = metas.get(name);
            return new PackagePlan(r.entry(), m, planner.files(r.entry(), m, python), r.requestedSpec(),
                    new LinkedHashMap<>());
        });
        return new Plan(removals, plans, unchanged, List.of(), python);
    }

    private Plan planRemove(Map<String, InstalledPackage> installed, List<String> names) throws IOException {
        List<InstalledPackage> removals = new ArrayList<>();
        for (String n : names) {
            InstalledPackage p = installed.get(n);
            if (p == null) {
                throw new IllegalArgumentException("package not installed: " + n + " (installed: "
                        + String.join(", ", installed.keySet()) + ")");
            }
            removals.add(p);
        }
        // Files that a remaining package also lists were clobbered: put that package's version back.
        Set<String> removedDists = new TreeSet<>();
        removals.forEach(r -> removedDists.add(r.dist()));
        Set<String> removedFiles = new TreeSet<>();
        removals.forEach(r -> removedFiles.addAll(r.files()));
        List<Restore> restores = new ArrayList<>();
        Planner planner = new Planner(windowsTarget);
        Optional<String> python = Planner.pythonVersion(List.of(), installed);
        for (InstalledPackage other : installed.values()) {
            if (removedDists.contains(other.dist())) {
                continue;
            }
            Set<String> shared = new java.util.HashSet<>(other.files());
            shared.retainAll(removedFiles);
            if (shared.isEmpty()) {
                continue;
            }
            Optional<Path> dir = other.extractedPackageDir();
            if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
                continue; // cannot restore without its cache entry; the path is simply removed
            }
            PackageMetadata m = PackageMetadata.read(dir.get());
            CacheEntry entry = new CacheEntry(other.dist(), dir.get(), dir.get().getParent(), false, Optional.empty());
            for (PlannedFile f : planner.files(entry, m, python)) {
                if (shared.contains(f.target())) {
                    restores.add(new Restore(f, other.dist()));
                }
            }
        }
        return new Plan(removals, List.of(), List.of(), restores, python);
    }

    /** The history line format conda uses: +channel/subdir::dist. */
    static String historyLine(char sign, Map<String, Object> record, String dist) {
        Object channel = record.get("channel");
        Object subdir = record.get("subdir");
        String ch = channel instanceof String c ? c.replaceAll("/+$", "") : "";
        String sd = subdir instanceof String s ? s : "";
        return sign + (ch.isEmpty() ? "" : ch + (sd.isEmpty() ? "" : "/" + sd) + "::") + dist;
    }

    static String historyHeader(String command, String version) {
        return "==> " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + " <==\n"
                + "# cmd: " + command + "\n# envlink version: " + version + "\n";
    }

    /** One transaction at a time per prefix, across threads and processes. */
    static CacheLock lock(Prefix prefix) throws IOException {
        Files.createDirectories(prefix.condaMeta());
        return CacheLock.acquire(prefix.lockFile());
    }
}
