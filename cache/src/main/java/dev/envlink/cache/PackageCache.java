package dev.envlink.cache;

import dev.envlink.cache.archive.ExtractLimits;
import dev.envlink.cache.archive.PackageExtractor;
import dev.envlink.cache.archive.PackageFormat;
import dev.envlink.cache.download.Checksums;
import dev.envlink.cache.meta.IndexJson;
import dev.envlink.cache.meta.PackageMetadata;
import dev.envlink.cache.meta.PathsJson;
import dev.envlink.cache.meta.RepodataRecord;
import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.Linker;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A package cache: envlink's own writable layer ({@code <root>/pkgs/<name>-<version>-<build>/},
 * the layout of conda's pkgs directories) searched after any read-only layers (existing conda
 * {@code pkgs} directories, pixi/rattler caches).
 *
 * <p>An entry is extracted into a private staging directory and published by one atomic rename,
 * under a per-package lock shared by threads and processes: a crash, a full disk or a bad archive
 * never leaves a half-extracted entry visible, and leftovers are removed on the next open.
 */
public final class PackageCache {
    public static final String PKGS = "pkgs";
    public static final String LOCKS = "locks";
    static final String STAGING_PREFIX = ".tmp-";
    static final String TRASH_PREFIX = ".trash-";

    private final Path root;
    private final Path pkgs;
    private final List<Path> readOnlyLayers;
    private final PackageExtractor extractor;
    private final ValidationMode reuseValidation;

    /** How an add ended. */
    public enum Outcome {
        /** Extracted from the archive into the writable layer. */
        EXTRACTED,
        /** An identical entry was already in the writable layer. */
        REUSED,
        /** Found in a read-only layer; nothing was written. */
        FOUND_IN_LAYER,
        /** The writable entry was damaged and has been extracted again. */
        REPAIRED
    }

    /**
     * @param archive  the package file (.conda or .tar.bz2)
     * @param expected checksums it must have (from a lock file, a spec, --sha256)
     * @param url      where it came from, for repodata_record.json (null: the file's own URL)
     * @param channel  its channel, for repodata_record.json (null: derived from the URL)
     */
    public record AddRequest(Path archive, Checksums expected, String url, String channel) {
        public static AddRequest of(Path archive) {
            return new AddRequest(archive, Checksums.none(), null, null);
        }
    }

    public record AddResult(CacheEntry entry, Outcome outcome, List<String> problemsRepaired) {
    }

    private PackageCache(Path root, List<Path> readOnlyLayers, ExtractLimits limits, ValidationMode reuseValidation) {
        this.root = root;
        this.pkgs = root.resolve(PKGS);
        this.readOnlyLayers = List.copyOf(readOnlyLayers);
        this.extractor = new PackageExtractor(limits);
        this.reuseValidation = reuseValidation;
    }

    /** Opens (creating if needed) the cache at {@code root} and removes leftovers of crashed runs. */
    public static PackageCache open(Path root, List<Path> readOnlyLayers, ExtractLimits limits,
                                    ValidationMode reuseValidation) throws IOException {
        PackageCache c = new PackageCache(root.toAbsolutePath().normalize(), readOnlyLayers, limits, reuseValidation);
        Files.createDirectories(c.pkgs);
        Files.createDirectories(c.root.resolve(LOCKS));
        new Leftovers(c).clean();
        return c;
    }

    public static PackageCache open(Path root) throws IOException {
        return open(root, List.of(), ExtractLimits.defaults(), ValidationMode.FAST);
    }

    public Path root() {
        return root;
    }

    public Path pkgsDir() {
        return pkgs;
    }

    public List<Path> readOnlyLayers() {
        return readOnlyLayers;
    }

    Path lockFile(String dist) {
        return root.resolve(LOCKS).resolve(dist + ".lock");
    }

    /** Adds one package, or reuses what is there. Safe to call from many threads and processes. */
    public AddResult add(AddRequest request) throws IOException {
        Path archive = request.archive().toAbsolutePath().normalize();
        PackageFormat.of(archive).orElseThrow(() -> new PackageFormatException(archive, null,
                "not a conda package (expected a .conda or .tar.bz2 file name)"));
        if (!Files.isRegularFile(archive)) {
            throw new java.nio.file.NoSuchFileException(archive.toString(), null, "no such package archive");
        }
        String dist = PackageFormat.distName(archive);
        // The archive is hashed on another thread while it is extracted into a staging directory;
        // the hashes (and an expected checksum) are checked before anything is published, so a
        // wrong archive still never enters the cache. Reusing an entry waits for them first.
        ArchiveHashing hashing = ArchiveHashing.start(archive, request.expected());
        for (Path layer : readOnlyLayers) {
            Optional<CacheEntry> e = entryIn(layer, dist, false);
            if (e.isPresent() && sameArchive(e.get().path(), hashing.verified())
                    && EntryValidator.problems(e.get().path(), reuseValidation).isEmpty()) {
                return new AddResult(e.get(), Outcome.FOUND_IN_LAYER, List.of());
            }
        }
        try (CacheLock lock = CacheLock.acquire(lockFile(dist))) {
            Path finalDir = pkgs.resolve(dist);
            List<String> problems = List.of();
            if (Files.isDirectory(finalDir, LinkOption.NOFOLLOW_LINKS)) {
                FileHashes hashes = hashing.verified();
                problems = EntryValidator.problems(finalDir, reuseValidation);
                if (problems.isEmpty() && sameArchive(finalDir, hashes)) {
                    return new AddResult(entry(finalDir, true), Outcome.REUSED, List.of());
                }
                if (problems.isEmpty()) {
                    problems = List.of("extracted from a different archive than " + archive.getFileName());
                }
            }
            extractAndPublish(archive, dist, hashing, request);
            return new AddResult(entry(finalDir, true), problems.isEmpty() ? Outcome.EXTRACTED : Outcome.REPAIRED,
                    problems);
        }
    }

    /** Extracts into staging, records it, keeps the archive, then publishes with one rename. */
    private void extractAndPublish(Path archive, String dist, FileHashes hashes, AddRequest request)
            throws IOException {
        extractAndPublish(archive, dist, ArchiveHashing.done(hashes), request);
    }

    private void extractAndPublish(Path archive, String dist, ArchiveHashing hashing, AddRequest request)
            throws IOException {
        Path finalDir = pkgs.resolve(dist);
        Path staging = pkgs.resolve(STAGING_PREFIX + dist + "-" + randomSuffix());
        Files.createDirectory(staging);
        try {
            try {
                extractor.extract(archive, staging);
            } catch (IOException | RuntimeException e) {
                // A checksum mismatch explains a broken archive better than the extraction error.
                IOException mismatch = hashing.mismatch();
                if (mismatch != null) {
                    mismatch.addSuppressed(e);
                    throw mismatch;
                }
                throw e;
            }
            FileHashes hashes = hashing.verified();
            PackageMetadata meta = PackageMetadata.read(staging);
            PathsJson.writeIndex(staging.resolve("info"), meta.paths()); // installs decode it, not the JSON
            String fn = archive.getFileName().toString();
            String url = request.url() != null ? request.url() : archive.toUri().toString();
            String channel = request.channel() != null ? request.channel() : Channels.fromUrl(url);
            RepodataRecord.fromIndex(meta.index(), fn, url, channel, hashes.md5(), hashes.sha256(), hashes.size())
                    .write(staging.resolve("info"));
            keepArchive(archive, fn);
            Path trash = null;
            if (Files.exists(finalDir, LinkOption.NOFOLLOW_LINKS)) {
                trash = pkgs.resolve(TRASH_PREFIX + dist + "-" + randomSuffix());
                Files.move(finalDir, trash, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, finalDir, StandardCopyOption.ATOMIC_MOVE);
            if (trash != null) {
                Trees.deleteRecursively(trash);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Trees.deleteRecursively(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The archive stays beside its entry (as conda keeps it) so a damaged entry can be repaired. */
    private void keepArchive(Path archive, String fn) throws IOException {
        Path kept = pkgs.resolve(fn);
        if (kept.equals(archive)) {
            return;
        }
        if (Files.isRegularFile(kept) && Files.size(kept) == Files.size(archive)
                && FileHashes.sha256(kept).equals(FileHashes.sha256(archive))) {
            return;
        }
        // A reflink where possible (free), else a real copy: never a hardlink to the user's file.
        Linker linker = Linker.create(new LinkOptions(LinkMode.REFLINK, false, ExistingPolicy.REPLACE, 1));
        linker.linkFile(archive, kept);
    }

    static void checkExpected(Path archive, Checksums expected, FileHashes actual) throws IOException {
        if (expected.sha256().isPresent() && !expected.sha256().get().equalsIgnoreCase(actual.sha256())) {
            throw new ChecksumMismatchException(archive, "sha256", expected.sha256().get(), actual.sha256());
        }
        if (expected.md5().isPresent() && !expected.md5().get().equalsIgnoreCase(actual.md5())) {
            throw new ChecksumMismatchException(archive, "md5", expected.md5().get(), actual.md5());
        }
    }

    /** Whether the entry was extracted from an archive with these bytes (per its repodata_record.json). */
    private static boolean sameArchive(Path entry, FileHashes hashes) {
        Optional<RepodataRecord> r;
        try {
            r = RepodataRecord.read(entry.resolve("info"));
        } catch (IOException e) {
            return false;
        }
        if (r.isEmpty()) {
            return true; // nothing recorded (e.g. a layer written by an old tool): trust validation
        }
        Map<String, Object> f = r.get().fields();
        Object sha = f.get("sha256");
        if (sha instanceof String s && !s.isEmpty()) {
            return s.equalsIgnoreCase(hashes.sha256());
        }
        Object md5 = f.get("md5");
        if (md5 instanceof String s && !s.isEmpty()) {
            return s.equalsIgnoreCase(hashes.md5());
        }
        return true;
    }

    /** The entry for a package name-version-build, searching read-only layers first, without validating. */
    public Optional<CacheEntry> find(String dist) {
        for (Path layer : readOnlyLayers) {
            Optional<CacheEntry> e = entryIn(layer, dist, false);
            if (e.isPresent()) {
                return e;
            }
        }
        return entryIn(root, dist, true);
    }

    /** Problems of one entry (empty: sound). */
    public List<String> validate(CacheEntry entry, ValidationMode mode) {
        return EntryValidator.problems(entry.path(), mode);
    }

    /**
     * Problems of one entry before reuse, checked as this cache was opened to (skip, fast or full),
     * against a file list the caller has already read from the entry.
     */
    public List<String> validate(CacheEntry entry, dev.envlink.cache.meta.PathsJson paths) {
        return EntryValidator.problems(entry.path(), reuseValidation, paths);
    }

    /** How entries are checked before reuse (skip, fast or full), as this cache was opened. */
    public ValidationMode reuseValidation() {
        return reuseValidation;
    }

    /** Every entry of every layer, writable layer last, sorted by name within a layer. */
    public List<CacheEntry> list() throws IOException {
        List<CacheEntry> out = new ArrayList<>();
        for (Path layer : readOnlyLayers) {
            out.addAll(entriesOf(layer, false));
        }
        out.addAll(entriesOf(root, true));
        return out;
    }

    private List<CacheEntry> entriesOf(Path layer, boolean writable) throws IOException {
        Path dir = layerPkgs(layer);
        List<CacheEntry> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (!name.startsWith(".") && Files.isRegularFile(p.resolve("info/index.json"))) {
                    out.add(entry(p, writable, layer));
                }
            }
        }
        out.sort(java.util.Comparator.comparing(CacheEntry::dist));
        return out;
    }

    private Optional<CacheEntry> entryIn(Path layer, String dist, boolean writable) {
        Path p = layerPkgs(layer).resolve(dist);
        if (Files.isRegularFile(p.resolve("info/index.json"))) {
            return Optional.of(entry(p, writable, layer));
        }
        return Optional.empty();
    }

    /** A layer may be a cache root (holding pkgs/) or a pkgs directory itself. */
    static Path layerPkgs(Path layer) {
        Path sub = layer.resolve(PKGS);
        return Files.isDirectory(sub) ? sub : layer;
    }

    private CacheEntry entry(Path dir, boolean writable) {
        return entry(dir, writable, root);
    }

    private static CacheEntry entry(Path dir, boolean writable, Path layer) {
        String dist = dir.getFileName().toString();
        Path parent = dir.getParent();
        Optional<Path> archive = Optional.empty();
        for (String ext : new String[] {".conda", ".tar.bz2"}) {
            Path a = parent.resolve(dist + ext);
            if (Files.isRegularFile(a)) {
                archive = Optional.of(a);
                break;
            }
        }
        return new CacheEntry(dist, dir, layer, writable, archive);
    }

    /** Result of checking entries: each damaged entry with its problems, and what was repaired. */
    public record VerifyResult(Map<CacheEntry, List<String>> damaged, List<CacheEntry> repaired,
                               Map<CacheEntry, String> unrepairable, int checked) {
        public boolean ok() {
            return damaged.isEmpty() || (unrepairable.isEmpty() && repaired.size() == damaged.size());
        }
    }

    /** Checks every entry; with {@code repair}, re-extracts damaged writable entries from their archives. */
    public VerifyResult verify(ValidationMode mode, boolean repair) throws IOException {
        Map<CacheEntry, List<String>> damaged = new java.util.LinkedHashMap<>();
        List<CacheEntry> repaired = new ArrayList<>();
        Map<CacheEntry, String> unrepairable = new java.util.LinkedHashMap<>();
        List<CacheEntry> all = list();
        for (CacheEntry e : all) {
            List<String> problems = EntryValidator.problems(e.path(), mode);
            if (problems.isEmpty()) {
                continue;
            }
            damaged.put(e, problems);
            if (!repair) {
                continue;
            }
            if (!e.writable()) {
                unrepairable.put(e, "read-only layer: repair it with the tool that owns " + e.layer());
            } else if (e.archive().isEmpty()) {
                unrepairable.put(e, "its archive is not in " + pkgs + ": add the package again");
            } else {
                repairEntry(e);
                repaired.add(e);
            }
        }
        return new VerifyResult(damaged, repaired, unrepairable, all.size());
    }

    /** Re-extracts a writable entry from its kept archive (used by verify --repair, and env repair later). */
    public CacheEntry repairEntry(CacheEntry e) throws IOException {
        Path archive = e.archive().orElseThrow(() -> new IOException(e.path() + ": no archive to repair it from"));
        try (CacheLock lock = CacheLock.acquire(lockFile(e.dist()))) {
            extractAndPublish(archive, e.dist(), FileHashes.of(archive), recordedRequest(e, archive));
        }
        return entry(pkgs.resolve(e.dist()), true);
    }

    /** Keeps the url and channel the entry was recorded with. */
    private static AddRequest recordedRequest(CacheEntry e, Path archive) {
        try {
            Optional<RepodataRecord> r = RepodataRecord.read(e.path().resolve("info"));
            if (r.isPresent()) {
                Object url = r.get().fields().get("url");
                Object channel = r.get().fields().get("channel");
                return new AddRequest(archive, Checksums.none(), url instanceof String s ? s : null,
                        channel instanceof String c ? c : null);
            }
        } catch (IOException ignored) {
            // A damaged record is one of the things being repaired.
        }
        return AddRequest.of(archive);
    }

    /** Removes leftovers of interrupted runs; returns what was removed. */
    public List<Path> cleanLeftovers() throws IOException {
        return new Leftovers(this).clean();
    }

    /** Removes writable entries (and their archives) that none of {@code usedDists} names. */
    public List<CacheEntry> removeUnused(java.util.Set<String> usedDists) throws IOException {
        List<CacheEntry> removed = new ArrayList<>();
        for (CacheEntry e : entriesOf(root, true)) {
            if (usedDists.contains(e.dist())) {
                continue;
            }
            try (CacheLock lock = CacheLock.acquire(lockFile(e.dist()))) {
                Path trash = pkgs.resolve(TRASH_PREFIX + e.dist() + "-" + randomSuffix());
                Files.move(e.path(), trash, StandardCopyOption.ATOMIC_MOVE);
                Trees.deleteRecursively(trash);
                if (e.archive().isPresent()) {
                    Files.deleteIfExists(e.archive().get());
                }
            }
            removed.add(e);
        }
        return removed;
    }

    static String randomSuffix() {
        return Long.toHexString(ProcessHandle.current().pid()) + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    /** The package's name, version and build from its index.json. */
    public static IndexJson index(CacheEntry e) throws IOException {
        return IndexJson.read(e.path().resolve("info"));
    }
}
