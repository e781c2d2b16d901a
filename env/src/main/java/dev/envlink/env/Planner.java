package dev.envlink.env;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageFormatException;
import dev.envlink.cache.meta.LinkJson;
import dev.envlink.cache.meta.PackageMetadata;
import dev.envlink.cache.meta.PathEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns cache entries into the list of paths each package creates in a prefix. */
final class Planner {
    private final boolean windowsTarget;

    Planner(boolean windowsTarget) {
        this.windowsTarget = windowsTarget;
    }

    /** The python X.Y that noarch: python packages install for: from this install, else the prefix. */
    static Optional<String> pythonVersion(List<PackageMetadata> adding, Map<String, InstalledPackage> installed) {
        for (PackageMetadata m : adding) {
            if ("python".equals(m.index().name())) {
                return Optional.of(NoarchPython.majorMinor(m.index().version()));
            }
        }
        InstalledPackage p = installed.get("python");
        return p == null ? Optional.empty() : p.string("version").map(NoarchPython::majorMinor);
    }

    List<PlannedFile> files(CacheEntry entry, PackageMetadata meta, Optional<String> python) throws IOException {
        boolean noarchPython = "python".equals(meta.index().noarch())
                || meta.link().map(LinkJson::isNoarchPython).orElse(false);
        NoarchPython noarch = null;
        if (noarchPython) {
            String v = python.orElseThrow(() -> new PackageFormatException(entry.path(), "info/index.json",
                    "noarch: python package needs python: install python with it or into the prefix first"));
            noarch = new NoarchPython(v, windowsTarget);
        }
        List<PlannedFile> out = new ArrayList<>();
        List<PathEntry> entries = meta.paths().paths();
        if (entries.isEmpty()) {
            entries = walked(entry.path()); // neither paths.json nor info/files: trust the payload itself
        }
        for (PathEntry e : entries) {
            String target = noarch == null ? e.path() : noarch.relocate(e.path()).orElse(e.path());
            PlannedFile.Action action = switch (e.type()) {
                case SOFTLINK -> PlannedFile.Action.SYMLINK;
                case DIRECTORY -> PlannedFile.Action.DIRECTORY;
                case HARDLINK -> e.prefixPlaceholder() != null ? PlannedFile.Action.REWRITE
                        : e.noLink() ? PlannedFile.Action.COPY : PlannedFile.Action.LINK;
            };
            out.add(new PlannedFile(target, action, entry.path(), e));
        }
        if (noarch != null) {
            // conda compiles the package's site-packages sources once they are in place.
            java.util.Set<String> listed = new java.util.HashSet<>(out.size() * 2);
            out.forEach(f -> listed.add(f.target()));
            List<PlannedFile> pycs = new ArrayList<>();
            for (PlannedFile f : out) {
                if (f.action() != PlannedFile.Action.DIRECTORY && f.action() != PlannedFile.Action.SYMLINK
                        && NoarchPython.compiled(f.entry().path())) {
                    String pyc = noarch.pycOf(f.target());
                    if (listed.add(pyc)) { // a package that ships its own bytecode keeps it
                        pycs.add(new PlannedFile(pyc, PlannedFile.Action.PYC, null, null));
                    }
                }
            }
            out.addAll(pycs);
        }
        if (noarch != null && meta.link().isPresent()) {
            for (LinkJson.EntryPoint ep : meta.link().get().entryPoints()) {
                for (String target : EntryPoints.targets(noarch.scriptsDir(), ep, windowsTarget)) {
                    out.add(new PlannedFile(target, PlannedFile.Action.ENTRY_POINT, null, null, ep));
                }
            }
        }
        return out;
    }

    /** The payload of an extracted package without any file list (everything outside info/). */
    static List<PathEntry> walked(java.nio.file.Path pkgDir) throws IOException {
        List<PathEntry> out = new ArrayList<>();
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.walk(pkgDir)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) s.sorted()::iterator) {
                String rel = pkgDir.relativize(p).toString().replace('\\', '/');
                if (rel.isEmpty() || rel.equals("info") || rel.startsWith("info/")) {
                    continue;
                }
                if (java.nio.file.Files.isSymbolicLink(p)) {
                    out.add(new PathEntry(rel, dev.envlink.cache.meta.PathType.SOFTLINK, null, null, null, null, false));
                } else if (java.nio.file.Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    out.add(new PathEntry(rel, dev.envlink.cache.meta.PathType.HARDLINK, null,
                            java.nio.file.Files.size(p), null, null, false));
                }
            }
        }
        return out;
    }

    /**
     * Later packages win a path, also between a file and a directory: a later file replaces an
     * earlier package's directory (and everything in it), a later directory an earlier file.
     * Returns target -> file; fills each plan's clobbers and the warnings.
     */
    static Map<String, PlannedFile> winners(List<PackagePlan> plans, Map<String, String> existingOwners,
                                             List<String> warnings) {
        int n = existingOwners.size();
        for (PackagePlan plan : plans) {
            n += plan.files().size();
        }
        // Sized up front: tens of thousands of paths, no rehashing on the way.
        Map<String, PlannedFile> winner = new LinkedHashMap<>(n * 4 / 3 + 16);
        // Paths known to be directories of the winners (every parent of a winning file, and
        // directory entries): a parent found here has had its ancestors checked already.
        java.util.Set<String> dirPaths = new java.util.HashSet<>();
        Map<String, String> owner = new java.util.HashMap<>(n * 4 / 3 + 16);
        owner.putAll(existingOwners);
        Map<PlannedFile, PackagePlan> planOf = new java.util.IdentityHashMap<>(n);
        // The parent directory of the file before, known to be in dirPaths (nothing has been
        // removed from it since): files of one directory come together, and checking their
        // parent once spares a substring and a hash per file.
        String checked = null;
        for (PackagePlan plan : plans) {
            for (PlannedFile f : plan.files()) {
                planOf.put(f, plan);
                if (f.action() == PlannedFile.Action.DIRECTORY) {
                    dropFile(f.target(), plan, winner, owner, planOf, warnings);
                    ensureParents(f.target(), plan, winner, dirPaths, owner, planOf, warnings);
                    dirPaths.add(f.target());
                    winner.putIfAbsent(f.target(), f);
                    checked = null;
                    continue;
                }
                // Every parent must be a directory: an earlier file there loses.
                if (checked == null || !directlyIn(f.target(), checked)) {
                    ensureParents(f.target(), plan, winner, dirPaths, owner, planOf, warnings);
                    checked = parentOf(f.target());
                }
                if (dirPaths.remove(f.target())) {
                    checked = null;
                    // A file where earlier packages put a directory: their files below it lose.
                    // Rare (a clobber), so a scan is fine.
                    String dirPrefix = f.target() + "/";
                    dirPaths.removeIf(d -> d.startsWith(dirPrefix));
                    List<String> below = new ArrayList<>();
                    for (String t : winner.keySet()) {
                        if (t.startsWith(dirPrefix)) {
                            below.add(t);
                        }
                    }
                    java.util.Collections.sort(below);
                    for (String t : below) {
                        PlannedFile lost = winner.remove(t);
                        PackagePlan loser = planOf.get(lost);
                        if (lost.action() != PlannedFile.Action.DIRECTORY && loser != null) {
                            plan.clobbers().put(t, loser.dist());
                            warnings.add("clobber: " + t + " of " + loser.dist() + " is removed: " + plan.dist()
                                    + " puts a file at " + f.target());
                        }
                    }
                    PlannedFile previousDir = winner.get(f.target());
                    if (previousDir != null && previousDir.action() == PlannedFile.Action.DIRECTORY) {
                        winner.remove(f.target());
                    }
                }
                String previous = owner.put(f.target(), plan.dist());
                if (previous != null && !previous.equals(plan.dist())) {
                    plan.clobbers().put(f.target(), previous);
                    warnings.add("clobber: " + f.target() + " of " + previous + " is replaced by " + plan.dist()
                            + " (removing " + plan.dist() + " restores it)");
                }
                winner.put(f.target(), f);
            }
        }
        return winner;
    }

    /** Makes every parent of {@code target} a directory, nearest first, stopping at one known to be. */
    private static void ensureParents(String target, PackagePlan plan, Map<String, PlannedFile> winner,
                                      java.util.Set<String> dirPaths, Map<String, String> owner,
                                      Map<PlannedFile, PackagePlan> planOf, List<String> warnings) {
        for (String d = parentOf(target); d != null && !dirPaths.contains(d); d = parentOf(d)) {
            dropFile(d, plan, winner, owner, planOf, warnings);
            dirPaths.add(d);
        }
    }

    private static void dropFile(String path, PackagePlan plan, Map<String, PlannedFile> winner,
                                 Map<String, String> owner, Map<PlannedFile, PackagePlan> planOf,
                                 List<String> warnings) {
        PlannedFile f = winner.get(path);
        if (f != null && f.action() != PlannedFile.Action.DIRECTORY) {
            winner.remove(path);
            PackagePlan loser = planOf.get(f);
            if (loser != null && loser != plan) {
                plan.clobbers().put(path, loser.dist());
                warnings.add("clobber: file " + path + " of " + loser.dist() + " is replaced by a directory of "
                        + plan.dist());
            }
            return;
        }
        String existing = owner.get(path);
        if (existing != null && f == null && !existing.equals(plan.dist())) {
            owner.remove(path);
            plan.clobbers().put(path, existing);
            warnings.add("clobber: file " + path + " of " + existing + " is replaced by a directory of " + plan.dist());
        }
    }

    /** Whether {@code rel} is a name directly in directory {@code dir} ("" is not a directory here). */
    static boolean directlyIn(String rel, String dir) {
        int n = dir.length();
        return rel.length() > n + 1 && rel.charAt(n) == '/' && rel.startsWith(dir) && rel.indexOf('/', n + 1) < 0;
    }

    private static String parentOf(String rel) {
        int i = rel.lastIndexOf('/');
        return i < 0 ? null : rel.substring(0, i);
    }
}
