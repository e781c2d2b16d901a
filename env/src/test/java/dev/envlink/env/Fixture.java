package dev.envlink.env;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.FileHashes;
import dev.envlink.cache.PackageCache;
import dev.envlink.link.LinkOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** A cache filled from the conformance corpus, and helpers to install from it and snapshot trees. */
final class Fixture {
    final PackageCache cache;
    final Installer installer;

    Fixture(Path cacheRoot) throws IOException {
        this(cacheRoot, LinkOptions.defaults());
    }

    Fixture(Path cacheRoot, LinkOptions options) throws IOException {
        this.cache = PackageCache.open(cacheRoot);
        this.installer = new Installer(options, "test", "envlink test");
    }

    static Path corpus() {
        Path p = Path.of(System.getProperty("envlink.conformance", "../../shared/conformance")).resolve("packages");
        if (!Files.isDirectory(p)) {
            if ("1".equals(System.getenv("ENVLINK_REQUIRE_FS_TESTS"))) {
                throw new AssertionError("conformance corpus missing at " + p.toAbsolutePath());
            }
            Assumptions.abort("conformance corpus missing at " + p.toAbsolutePath());
        }
        return p;
    }

    CacheEntry entry(String fileName) throws IOException {
        return cache.add(PackageCache.AddRequest.of(corpus().resolve(fileName))).entry();
    }

    InstallReport install(Path prefix, String... fileNames) throws IOException {
        List<Installer.Request> rs = new ArrayList<>();
        for (String f : fileNames) {
            CacheEntry e = entry(f);
            rs.add(new Installer.Request(e, e.dist()));
        }
        return installer.install(prefix, rs, false);
    }

    /** The link methods a record (read as a tree) keeps for its files. */
    static RecordedMethods methods(com.fasterxml.jackson.databind.JsonNode record) {
        return RecordedMethods.of(new com.fasterxml.jackson.databind.ObjectMapper().convertValue(record, Map.class));
    }

    /** Relative path -> type and content hash (symlinks: target text), conda-meta/history excluded. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String rel = root.relativize(p).toString();
                if (rel.isEmpty() || rel.equals("conda-meta/history") || rel.endsWith(".envlink.lock")) {
                    continue;
                }
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link:" + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "dir");
                } else {
                    out.put(rel, "file:" + FileHashes.sha256(p) + ":" + Files.getPosixFilePermissions(p));
                }
            }
        }
        return out;
    }
}
