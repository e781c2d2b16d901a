package dev.envlink.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envlink.cache.archive.ExtractLimits;
import dev.envlink.cache.download.Checksums;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageCacheTest {
    private static final String CA = "ca-certificates-2024.7.4-hbcca054_0.conda";
    private static final String CA_DIST = "ca-certificates-2024.7.4-hbcca054_0";

    @TempDir
    Path tmp;

    @Test
    void extractsRecordsAndReuses() throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        Path archive = Conformance.pkg(CA);
        PackageCache.AddResult first = cache.add(PackageCache.AddRequest.of(archive));
        assertEquals(PackageCache.Outcome.EXTRACTED, first.outcome());
        Path entry = tmp.resolve("cache/pkgs/" + CA_DIST);
        assertEquals(entry, first.entry().path());
        assertTrue(Files.isRegularFile(entry.resolve("info/index.json")));

        JsonNode record = new ObjectMapper().readTree(entry.resolve("info/repodata_record.json").toFile());
        FileHashes h = FileHashes.of(archive);
        assertEquals(h.sha256(), record.path("sha256").asText());
        assertEquals(h.md5(), record.path("md5").asText());
        assertEquals(CA, record.path("fn").asText());
        assertEquals("ca-certificates", record.path("name").asText());
        assertEquals(h.size(), record.path("size").asLong());
        assertTrue(record.path("url").asText().startsWith("file:"), record.toString());

        assertTrue(Files.isRegularFile(tmp.resolve("cache/pkgs/" + CA)), "the archive is kept for repairs");
        assertEquals(List.of(), cache.validate(first.entry(), ValidationMode.FULL));

        PackageCache.AddResult again = cache.add(PackageCache.AddRequest.of(archive));
        assertEquals(PackageCache.Outcome.REUSED, again.outcome());
        assertEquals(List.of(), leftovers(cache));
    }

    @Test
    void wrongChecksumAddsNothing() throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        String wrong = "0".repeat(64);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> cache.add(
                new PackageCache.AddRequest(Conformance.pkg(CA), Checksums.sha256(wrong), null, null)));
        assertTrue(e.getMessage().contains(CA), e.getMessage());
        assertTrue(e.getMessage().contains(wrong), e.getMessage());
        try (Stream<Path> s = Files.list(tmp.resolve("cache/pkgs"))) {
            assertEquals(List.of(), s.toList(), "nothing may enter the cache");
        }
    }

    /** Hashing runs beside extraction: a broken archive with a wrong checksum is reported as the mismatch. */
    @Test
    void corruptArchiveWithWrongChecksumReportsTheMismatchAndAddsNothing() throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        Path broken = tmp.resolve("in/" + CA);
        Files.createDirectories(broken.getParent());
        byte[] bytes = Files.readAllBytes(Conformance.pkg(CA));
        Files.write(broken, java.util.Arrays.copyOf(bytes, bytes.length / 3)); // truncated
        String wrong = "1".repeat(64);
        ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> cache.add(
                new PackageCache.AddRequest(broken, Checksums.sha256(wrong), null, null)));
        assertTrue(e.getMessage().contains(wrong), e.getMessage());
        try (Stream<Path> s = Files.list(tmp.resolve("cache/pkgs"))) {
            assertEquals(List.of(), s.toList(), "nothing may enter the cache, no staging left");
        }
    }

    @Test
    void rightChecksumIsAccepted() throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        Path archive = Conformance.pkg(CA);
        String sha = FileHashes.of(archive).sha256();
        assertEquals(PackageCache.Outcome.EXTRACTED, cache.add(
                new PackageCache.AddRequest(archive, Checksums.sha256(sha), null, null)).outcome());
    }

    @Test
    void damagedEntryIsReportedAndRepaired() throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        CacheEntry e = cache.add(PackageCache.AddRequest.of(Conformance.pkg(CA))).entry();
        Path victim;
        try (Stream<Path> s = Files.walk(e.path())) {
            victim = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.toString().contains("/info/")).findFirst().orElseThrow();
        }
        Files.writeString(victim, "tampered");

        PackageCache.VerifyResult found = cache.verify(ValidationMode.FAST, false);
        assertEquals(1, found.damaged().size());
        assertFalse(found.ok());
        String rel = e.path().relativize(victim).toString();
        assertTrue(found.damaged().values().iterator().next().stream().anyMatch(p -> p.startsWith(rel)),
                found.damaged().toString());

        PackageCache.VerifyResult fixed = cache.verify(ValidationMode.FULL, true);
        assertEquals(1, fixed.repaired().size());
        assertTrue(fixed.ok());
        assertEquals(List.of(), cache.validate(e, ValidationMode.FULL));
        assertTrue(cache.verify(ValidationMode.FULL, false).damaged().isEmpty());
    }

    @Test
    void addRepairsADamagedEntry() throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        CacheEntry e = cache.add(PackageCache.AddRequest.of(Conformance.pkg(CA))).entry();
        try (Stream<Path> files = Files.walk(e.path())) {
            Files.delete(files.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !p.toString().contains("/info/")).findFirst().orElseThrow());
        }
        PackageCache.AddResult r = cache.add(PackageCache.AddRequest.of(Conformance.pkg(CA)));
        assertEquals(PackageCache.Outcome.REPAIRED, r.outcome());
        assertEquals(List.of(), cache.validate(r.entry(), ValidationMode.FULL));
    }

    @Test
    void readOnlyLayerIsSearchedFirstAndNeverWritten() throws Exception {
        Path layerRoot = tmp.resolve("conda");
        PackageCache.open(layerRoot).add(PackageCache.AddRequest.of(Conformance.pkg(CA)));
        PackageCache cache = PackageCache.open(tmp.resolve("cache"), List.of(layerRoot.resolve("pkgs")),
                ExtractLimits.defaults(), ValidationMode.FAST);
        PackageCache.AddResult r = cache.add(PackageCache.AddRequest.of(Conformance.pkg(CA)));
        assertEquals(PackageCache.Outcome.FOUND_IN_LAYER, r.outcome());
        assertFalse(r.entry().writable());
        assertFalse(Files.exists(tmp.resolve("cache/pkgs/" + CA_DIST)));
        assertEquals(1, cache.list().size(), "listed once, in the layer");
        assertFalse(cache.find(CA_DIST).orElseThrow().writable());
    }

    @Test
    void leftoversOfCrashedRunsAreRemovedButLiveWorkIsNot() throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        Path dead = Files.createDirectories(cache.pkgsDir().resolve(".tmp-foo-1.0-0-1a2b-3c4d/lib"));
        Files.writeString(dead.resolve("half.so"), "x");
        Path live = Files.createDirectories(cache.pkgsDir().resolve(".tmp-bar-1.0-0-5e6f-7a8b"));
        try (CacheLock held = CacheLock.acquire(cache.lockFile("bar-1.0-0"))) {
            // Another thread of a live run holds bar's lock: its staging dir must survive.
            ExecutorService other = Executors.newSingleThreadExecutor();
            try {
                List<Path> removed = other.submit(() -> PackageCache.open(tmp.resolve("cache")).cleanLeftovers()).get();
                assertEquals(List.of(), removed);
            } finally {
                other.shutdownNow();
            }
        }
        assertTrue(Files.exists(live));
        assertFalse(Files.exists(dead.getParent()), "opened caches remove crashed staging dirs");
        PackageCache.open(tmp.resolve("cache"));
        assertFalse(Files.exists(live), "once its lock is free, the leftover goes too");
    }

    @Test
    void parallelAddsOfAllConformancePackages() throws Exception {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        List<Path> archives;
        try (Stream<Path> s = Files.list(Conformance.packages())) {
            archives = s.filter(p -> p.toString().endsWith(".conda") || p.toString().endsWith(".tar.bz2"))
                    .sorted().toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<PackageCache.AddResult>> fs = new ArrayList<>();
            for (Path a : archives) {
                fs.add(pool.submit(() -> cache.add(PackageCache.AddRequest.of(a))));
                fs.add(pool.submit(() -> cache.add(PackageCache.AddRequest.of(a)))); // the same one twice
            }
            int extracted = 0;
            for (Future<PackageCache.AddResult> f : fs) {
                if (f.get().outcome() == PackageCache.Outcome.EXTRACTED) {
                    extracted++;
                }
            }
            assertEquals(archives.size(), extracted, "each package extracted exactly once");
        } finally {
            pool.shutdownNow();
        }
        assertEquals(archives.size(), cache.list().size());
        assertTrue(cache.verify(ValidationMode.FULL, false).damaged().isEmpty());
        assertEquals(List.of(), leftovers(cache));
    }

    @Test
    void notAPackage() throws IOException {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        Path junk = Files.writeString(tmp.resolve("junk-1.0-0.conda"), "not a zip");
        PackageFormatException e = assertThrows(PackageFormatException.class,
                () -> cache.add(PackageCache.AddRequest.of(junk)));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
        assertFalse(Files.exists(cache.pkgsDir().resolve("junk-1.0-0")));
        assertEquals(List.of(), leftovers(cache));
        Path txt = Files.writeString(tmp.resolve("readme.txt"), "x");
        assertThrows(PackageFormatException.class, () -> cache.add(PackageCache.AddRequest.of(txt)));
    }

    static List<Path> leftovers(PackageCache cache) throws IOException {
        try (Stream<Path> s = Files.list(cache.pkgsDir())) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }
}
