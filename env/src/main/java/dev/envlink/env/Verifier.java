package dev.envlink.env;

import dev.envlink.cache.FileHashes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Hashes every file of a prefix against its conda-meta record. A modified file that shares its
 * inode with the cache entry it was linked from means the cache entry is damaged too: the classic
 * hardlink hazard, where an edit in one environment leaks into the cache and every other
 * environment linked from it.
 */
public final class Verifier {

    /** One problem with one path. */
    public record Problem(String dist, String name, String path, Kind kind, boolean cacheDamaged, String detail,
                          Optional<Path> cacheEntry) {
        public enum Kind { MISSING, MODIFIED, WRONG_TYPE }
    }

    public record Result(int packages, long files, List<Problem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public Result verify(Path prefixDir) throws IOException {
        Prefix prefix = new Prefix(prefixDir);
        Map<String, InstalledPackage> installed = prefix.installed();
        List<Problem> problems = new ArrayList<>();
        long files = 0;
        for (InstalledPackage p : installed.values()) {
            RecordedMethods methods = RecordedMethods.of(p.record());
            for (Map<String, Object> pd : p.pathsData()) {
                String rel = String.valueOf(pd.get("_path"));
                if ("clobbered".equals(methods.of(rel)) || ownedByLater(installed, p, rel)) {
                    continue; // another package's file is there by design
                }
                files++;
                check(prefix, p, pd, rel, methods.of(rel)).ifPresent(problems::add);
            }
        }
        return new Result(installed.size(), files, problems);
    }

    private static Optional<Problem> check(Prefix prefix, InstalledPackage p, Map<String, Object> pd, String rel,
                                           String method) throws IOException {
        Path f = prefix.resolve(rel);
        String type = String.valueOf(pd.get("path_type"));
        if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new Problem(p.dist(), p.name(), rel, Problem.Kind.MISSING, false, "missing", p.extractedPackageDir()));
        }
        if ("softlink".equals(type) && "symlink".equals(method)) {
            return Files.isSymbolicLink(f) ? Optional.empty()
                    : Optional.of(new Problem(p.dist(), p.name(), rel, Problem.Kind.WRONG_TYPE, false, "should be a symlink", p.extractedPackageDir()));
        }
        if ("directory".equals(type)) {
            return Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS) ? Optional.empty()
                    : Optional.of(new Problem(p.dist(), p.name(), rel, Problem.Kind.WRONG_TYPE, false, "should be a directory", p.extractedPackageDir()));
        }
        if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(new Problem(p.dist(), p.name(), rel, Problem.Kind.WRONG_TYPE, false, "should be a file", p.extractedPackageDir()));
        }
        Object expected = pd.containsKey("sha256_in_prefix") ? pd.get("sha256_in_prefix") : pd.get("sha256");
        if (!(expected instanceof String want) || Files.isSymbolicLink(f)) {
            return Optional.empty(); // nothing recorded to compare with
        }
        String actual = FileHashes.sha256(f);
        if (actual.equalsIgnoreCase(want)) {
            return Optional.empty();
        }
        boolean cacheDamaged = sharesInodeWithCache(p, rel, f);
        return Optional.of(new Problem(p.dist(), p.name(), rel, Problem.Kind.MODIFIED, cacheDamaged,
                "sha256 " + actual + ", recorded " + want + (cacheDamaged
                        ? "; it is a hardlink into the cache, so the cache entry " + p.extractedPackageDir().orElseThrow()
                                + " is damaged too (and every environment linked from it)"
                        : ""), p.extractedPackageDir()));
    }

    /** Whether the prefix file is the same inode as the cache entry's file (a hardlink). */
    private static boolean sharesInodeWithCache(InstalledPackage p, String rel, Path f) {
        Optional<Path> dir = p.extractedPackageDir();
        if (dir.isEmpty()) {
            return false;
        }
        try {
            for (Map<String, Object> pd : p.pathsData()) {
                if (rel.equals(pd.get("_path"))) {
                    Path src = dir.get().resolve(sourcePath(p, rel));
                    return Files.exists(src) && Files.isSameFile(src, f);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** noarch python files live under another name in the package than in the prefix. */
    private static String sourcePath(InstalledPackage p, String rel) {
        if (rel.contains("/site-packages/")) {
            return "site-packages/" + rel.substring(rel.indexOf("/site-packages/") + "/site-packages/".length());
        }
        return rel;
    }

    /** A path another installed package also lists and that package clobbered it. */
    @SuppressWarnings("unchecked")
    private static boolean ownedByLater(Map<String, InstalledPackage> installed, InstalledPackage p, String rel) {
        for (InstalledPackage other : installed.values()) {
            if (other == p) {
                continue;
            }
            Object e = other.record().get("envlink");
            if (e instanceof Map<?, ?> m && m.get("clobbered") instanceof Map<?, ?> c
                    && Objects.equals(((Map<String, Object>) c).get(rel), p.dist())) {
                return true;
            }
        }
        return false;
    }
}
