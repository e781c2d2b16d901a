package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallerTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private JsonNode record(Path prefix, String dist) throws IOException {
        return JSON.readTree(prefix.resolve("conda-meta/" + dist + ".json").toFile());
    }

    @Test
    void clobberHasADeterministicWinnerAndRemovalRestoresTheLoser() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = tmp.resolve("env");
        InstallReport r = fx.install(prefix, "clobber-1-0.1.0-h4616a5c_0.tar.bz2", "clobber-2-0.1.0-h4616a5c_0.tar.bz2");
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("clobber.txt") && w.contains("clobber-1-0.1.0")
                && w.contains("clobber-2-0.1.0")), r.warnings().toString());
        Path clobberTxt = prefix.resolve("clobber.txt");
        String fromTwo = Files.readString(clobberTxt);
        String fromOne = Files.readString(fx.entry("clobber-1-0.1.0-h4616a5c_0.tar.bz2").path().resolve("clobber.txt"));
        assertEquals(Files.readString(fx.entry("clobber-2-0.1.0-h4616a5c_0.tar.bz2").path().resolve("clobber.txt")), fromTwo);
        assertFalse(fromOne.equals(fromTwo), "the corpus packages differ in clobber.txt");
        assertEquals("clobber-1-0.1.0-h4616a5c_0",
                record(prefix, "clobber-2-0.1.0-h4616a5c_0").path("envlink").path("clobbered").path("clobber.txt").asText());

        fx.installer.remove(prefix, List.of("clobber-2"), false);
        assertEquals(fromOne, Files.readString(clobberTxt), "removing the winner restores the loser's file");
        assertFalse(Files.exists(prefix.resolve("conda-meta/clobber-2-0.1.0-h4616a5c_0.json")));
        assertTrue(Files.exists(prefix.resolve("conda-meta/clobber-1-0.1.0-h4616a5c_0.json")));
    }

    /**
     * The corpus' python vs pypy variants: switching clobber-python from its cpython build (which
     * owns bin/python) to its pypy build (no files; clobber-pypy owns bin/python) in one
     * transaction hands the path over without a clobber.
     */
    @Test
    void switchingTheVariantHandsThePathOverInOneTransaction() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = tmp.resolve("env");
        fx.install(prefix, "clobber-python-0.1.0-cpython.conda");
        assertEquals("cpython\n", Files.readString(prefix.resolve("bin/python")));
        InstallReport r = fx.install(prefix, "clobber-python-0.1.0-pypy.conda", "clobber-pypy-0.1.0-h4616a5c_0.conda");
        assertEquals(List.of("clobber-python-0.1.0-cpython"), r.removed());
        assertEquals(List.of(), r.warnings(), "the old owner goes in the same transaction: no clobber");
        assertEquals("pypy\n", Files.readString(prefix.resolve("bin/python")));
        assertEquals(List.of("bin/python"), JSON.convertValue(record(prefix, "clobber-pypy-0.1.0-h4616a5c_0").path("files"),
                List.class));
        assertEquals(0, record(prefix, "clobber-python-0.1.0-pypy").path("files").size());
        fx.installer.remove(prefix, List.of("clobber-pypy"), false);
        assertFalse(Files.exists(prefix.resolve("bin/python"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void updateReplacesThePackageInOneTransaction() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = tmp.resolve("env");
        fx.install(prefix, "clobber-1-0.1.0-h4616a5c_0.tar.bz2");
        InstallReport r = fx.install(prefix, "clobber-1-0.2.0-h4616a5c_0.tar.bz2");
        assertEquals(List.of("clobber-1-0.1.0-h4616a5c_0"), r.removed());
        assertEquals(List.of("clobber-1-0.2.0-h4616a5c_0"), r.added());
        assertFalse(Files.exists(prefix.resolve("conda-meta/clobber-1-0.1.0-h4616a5c_0.json")));
        JsonNode rec = record(prefix, "clobber-1-0.2.0-h4616a5c_0");
        for (JsonNode f : rec.path("files")) {
            Path placed = prefix.resolve(f.asText());
            assertTrue(Files.exists(placed), f.asText());
            assertEquals(Files.readString(fx.entry("clobber-1-0.2.0-h4616a5c_0.tar.bz2").path().resolve(f.asText())),
                    Files.readString(placed));
        }
        String history = Files.readString(prefix.resolve("conda-meta/history"));
        assertTrue(history.contains("-") && history.contains("::clobber-1-0.1.0-h4616a5c_0"), history);
        assertTrue(history.contains("+") && history.contains("::clobber-1-0.2.0-h4616a5c_0"), history);
        assertEquals(List.of("clobber-1-0.2.0-h4616a5c_0"),
                fx.install(prefix, "clobber-1-0.2.0-h4616a5c_0.tar.bz2").unchanged());
    }

    @Test
    void fileAndDirectoryConflictsResolveToTheLaterPackage() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path a = tmp.resolve("a");
        fx.install(a, "clobber-fd-1-0.1.0-h4616a5c_0.conda", "clobber-fd-2-0.1.0-h4616a5c_0.conda",
                "clobber-fd-3-0.1.0-h4616a5c_0.conda");
        assertTrue(Files.isDirectory(a.resolve("clobber")));
        Path b = tmp.resolve("b");
        fx.install(b, "clobber-fd-rev-1-0.1.0-h4616a5c_0.conda", "clobber-fd-rev-2-0.1.0-h4616a5c_0.conda",
                "clobber-fd-rev-3-0.1.0-h4616a5c_0.conda");
        assertTrue(Files.isRegularFile(b.resolve("clobber")));
        // Across transactions: the directory of an upgrade replaces the old package's layout.
        Path c = tmp.resolve("c");
        fx.install(c, "clobber-directory-upgrade-0.1.0-h4616a5c_0.conda");
        fx.install(c, "clobber-directory-upgrade-0.2.0-h4616a5c_0.conda");
        for (JsonNode f : record(c, "clobber-directory-upgrade-0.2.0-h4616a5c_0").path("files")) {
            assertTrue(Files.exists(c.resolve(f.asText()), java.nio.file.LinkOption.NOFOLLOW_LINKS), f.asText());
        }
        assertEquals(List.of(), leftovers(c));
    }

    @Test
    void recordsHaveTheFieldsCondaWrites() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = tmp.resolve("env");
        fx.install(prefix, "ca-certificates-2024.7.4-hbcca054_0.conda", "symlink-test-1.0.0-0.conda");
        // The keys every real record of the corpus has (written by conda or micromamba).
        Path realDir = Fixture.corpus().resolveSibling("conda-meta");
        Set<String> common = null;
        Set<String> pathKeys = new HashSet<>();
        try (Stream<Path> s = Files.list(realDir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.size(p) == 0) {
                    continue; // one corpus file is empty
                }
                JsonNode n = JSON.readTree(p.toFile());
                Set<String> keys = new HashSet<>();
                n.fieldNames().forEachRemaining(keys::add);
                if (common == null) {
                    common = keys;
                } else {
                    common.retainAll(keys);
                }
                n.path("paths_data").path("paths").forEach(e -> e.fieldNames().forEachRemaining(pathKeys::add));
            }
        }
        JsonNode ours = record(prefix, "ca-certificates-2024.7.4-hbcca054_0");
        for (String key : common) {
            assertTrue(ours.has(key), "missing " + key + " in " + ours);
        }
        for (String key : List.of("requested_spec", "package_tarball_full_path")) {
            assertTrue(ours.has(key), key);
        }
        assertEquals(1, ours.path("paths_data").path("paths_version").asInt());
        assertEquals(1, ours.path("link").path("type").asInt());
        assertTrue(ours.path("extracted_package_dir").asText().endsWith("ca-certificates-2024.7.4-hbcca054_0"));
        Set<String> ourPathKeys = new HashSet<>();
        ours.path("paths_data").path("paths").forEach(e -> e.fieldNames().forEachRemaining(ourPathKeys::add));
        assertTrue(pathKeys.containsAll(ourPathKeys), "unknown paths_data keys: " + ourPathKeys);
        // The files list and paths_data agree, and the method actually used is recorded per file.
        List<String> files = new ArrayList<>();
        ours.path("files").forEach(f -> files.add(f.asText()));
        assertEquals(files.size(), ours.path("paths_data").path("paths").size());
        RecordedMethods methods = Fixture.methods(ours);
        for (String f : files) {
            assertTrue(methods.of(f) != null, f);
        }
        // Keys sorted like conda's json.dump(sort_keys=True).
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = ours.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(null);
        assertEquals(sorted, keys);
        JsonNode sym = record(prefix, "symlink-test-1.0.0-0");
        assertEquals("symlink", Fixture.methods(sym).of("lib/liblink.so"));
        assertTrue(Files.isSymbolicLink(prefix.resolve("lib/liblink.so")));
    }

    @Test
    void theCacheIsNeverModified() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        List<String> all = List.of("ca-certificates-2024.7.4-hbcca054_0.conda", "clobber-1-0.1.0-h4616a5c_0.tar.bz2",
                "clobber-2-0.1.0-h4616a5c_0.tar.bz2", "symlink-test-1.0.0-0.conda", "link-scripts-0.1.0-h4616a5c_0.conda");
        for (String a : all) {
            fx.entry(a);
        }
        Map<String, String> before = Fixture.snapshot(fx.cache.pkgsDir());
        Path prefix = tmp.resolve("env");
        fx.install(prefix, all.toArray(String[]::new));
        fx.installer.remove(prefix, List.of("clobber-2", "symlink-test"), false);
        fx.install(prefix, "clobber-2-0.2.0-h4616a5c_0.tar.bz2");
        Map<String, String> after = Fixture.snapshot(fx.cache.pkgsDir());
        after.keySet().removeIf(k -> k.startsWith("clobber-2-0.2.0"));
        assertEquals(before, after);
    }

    @Test
    void dryRunChangesNothing() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = tmp.resolve("env");
        fx.install(prefix, "clobber-1-0.1.0-h4616a5c_0.tar.bz2");
        Map<String, String> before = Fixture.snapshot(prefix);
        InstallReport r = fx.installer.install(prefix, List.of(new Installer.Request(
                fx.entry("clobber-2-0.1.0-h4616a5c_0.tar.bz2"), "clobber-2")), true);
        assertTrue(r.dryRun());
        assertEquals(List.of("clobber-2-0.1.0-h4616a5c_0"), r.added());
        assertEquals(before, Fixture.snapshot(prefix));
    }

    @Test
    void removingAnUnknownPackageIsAClearError() throws Exception {
        Fixture fx = new Fixture(tmp.resolve("cache"));
        Path prefix = tmp.resolve("env");
        fx.install(prefix, "clobber-1-0.1.0-h4616a5c_0.tar.bz2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fx.installer.remove(prefix, List.of("nope"), false));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("clobber-1"), e.getMessage());
    }

    static List<Path> leftovers(Path prefix) throws IOException {
        try (Stream<Path> s = Files.list(prefix.resolve("conda-meta"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(".envlink-")).toList();
        }
    }
}
