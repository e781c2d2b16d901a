package dev.envlink.env;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageCache;
import dev.envlink.cache.ValidationMode;
import dev.envlink.cache.meta.PackageMetadata;
import dev.envlink.cache.meta.RepodataRecord;
import dev.envlink.cache.download.Checksums;
import dev.envlink.cache.download.DownloadRequest;
import dev.envlink.cache.download.Downloader;
import dev.envlink.env.input.PackageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gets the packages a lock file, spec or command line names into the cache: a warm entry with the
 * right checksum is used as is; otherwise the archive is downloaded (mirrors applied) or read
 * from disk, verified and extracted. Different packages are handled in parallel.
 */
public final class PackageFetcher {
    private final PackageCache cache;
    private final Downloader downloader;
    private final int parallelism;
    private boolean sizesWhilePlacing;

    public PackageFetcher(PackageCache cache, Downloader downloader, int parallelism) {
        this.cache = cache;
        this.downloader = downloader;
        this.parallelism = parallelism;
    }

    /**
     * With the cache's {@code fast} validation, leaves the per-file size checks of warm entries to
     * the install, which makes them as it places each file (one statx by name, or none for a
     * reflink, which reads the size anyway) instead of a separate pass over the cache: a damaged
     * entry then fails the install with a {@link dev.envlink.link.SourceMismatchException}, the
     * prefix is rolled back, and the caller fetches again without this (the entry is re-extracted).
     */
    public PackageFetcher sizesCheckedWhilePlacing(boolean on) {
        this.sizesWhilePlacing = on;
        return this;
    }

    /** Install requests in the order of the refs. */
    public List<Installer.Request> fetch(List<PackageRef> refs) throws IOException {
        Installer.Request[] out = new Installer.Request[refs.size()];
        List<Integer> indexes = new ArrayList<>();
        long[] sizes = new long[refs.size()];
        for (int i = 0; i < refs.size(); i++) {
            indexes.add(i);
            sizes[i] = localSize(refs.get(i));
        }
        // Largest first: the biggest package (its metadata and checks) starts at once and the
        // small ones fill the other threads, instead of one big package finishing last alone.
        indexes.sort((a, b) -> Long.compare(sizes[b], sizes[a]));
        Parallel.forEach(indexes, parallelism, i -> out[i] = fetchOne(refs.get(i)));
        return List.of(out);
    }

    private Installer.Request fetchOne(PackageRef ref) throws IOException {
        String spec = ref.extra().getOrDefault("name", ref.distName()).toString();
        Optional<CacheEntry> warm = cache.find(ref.distName()).filter(e -> matches(e, ref) || sameLocalArchive(e, ref));
        if (warm.isPresent()) {
            // Read once: the same metadata validates the entry and plans the install.
            Optional<PackageMetadata> meta = readQuietly(warm.get());
            boolean deferred = sizesWhilePlacing && cache.reuseValidation() == ValidationMode.FAST;
            if (meta.isPresent() && (deferred || cache.validate(warm.get(), meta.get().paths()).isEmpty())) {
                return new Installer.Request(warm.get(), spec, meta);
            }
        }
        Checksums expected = new Checksums(ref.sha256(), ref.md5());
        Path archive;
        String scheme = ref.url().getScheme();
        if ("file".equalsIgnoreCase(scheme) || downloader == null) {
            archive = Path.of(ref.url());
        } else {
            archive = cache.pkgsDir().resolve(ref.fileName());
            downloader.download(new DownloadRequest(ref.url(), archive, expected));
        }
        PackageCache.AddResult r = cache.add(new PackageCache.AddRequest(archive, expected, ref.url().toString(),
                ref.channel().orElse(null)));
        return new Installer.Request(r.entry(), spec);
    }

    private static long localSize(PackageRef ref) {
        try {
            return "file".equalsIgnoreCase(ref.url().getScheme()) ? Files.size(Path.of(ref.url())) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The entry's metadata, or empty when it cannot be read (the entry is then added again). */
    private static Optional<PackageMetadata> readQuietly(CacheEntry e) {
        try {
            return Optional.of(PackageMetadata.read(e.path()));
        } catch (IOException ex) {
            return Optional.empty();
        }
    }

    /**
     * Without a checksum to compare, a local archive is the one the entry came from when the copy
     * kept beside the entry has the same size and mtime (the make/rsync quick check): the kept copy
     * got the original's mtime when it was placed, so re-hashing hundreds of MB on every install of
     * a warm cache is avoided.
     */
    private static boolean sameLocalArchive(CacheEntry e, PackageRef ref) {
        if (ref.sha256().isPresent() || ref.md5().isPresent() || !"file".equalsIgnoreCase(ref.url().getScheme())
                || e.archive().isEmpty()) {
            return false;
        }
        try {
            Path given = Path.of(ref.url());
            Path kept = e.archive().get();
            return Files.size(given) == Files.size(kept)
                    && Files.getLastModifiedTime(given).equals(Files.getLastModifiedTime(kept));
        } catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    /** A cached entry is the one asked for when its recorded checksum equals the expected one. */
    private static boolean matches(CacheEntry e, PackageRef ref) {
        if (ref.sha256().isEmpty() && ref.md5().isEmpty()) {
            return false; // nothing to compare with: read the archive (cheap for a warm cache: reused)
        }
        try {
            Optional<RepodataRecord> r = RepodataRecord.read(e.path().resolve("info"));
            if (r.isEmpty()) {
                return false;
            }
            if (ref.sha256().isPresent() && r.get().sha256() != null) {
                return ref.sha256().get().equalsIgnoreCase(r.get().sha256());
            }
            return ref.md5().isPresent() && r.get().md5() != null && ref.md5().get().equalsIgnoreCase(r.get().md5());
        } catch (IOException ex) {
            return false;
        }
    }
}
