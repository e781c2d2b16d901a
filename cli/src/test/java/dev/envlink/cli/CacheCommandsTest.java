package dev.envlink.cli;

import static dev.envlink.cli.Fixtures.HELLO;
import static dev.envlink.cli.Fixtures.HELLO_DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * envlink cache add|list|verify|clean|dir on a private cache filled with every package of the
 * conformance corpus (real packages built by conda tooling). The filled cache is made once and
 * shared by the tests that leave it as it was; tests that change entries fill their own cache with
 * a few packages.
 */
class CacheCommandsTest {
    @TempDir
    static Path shared;

    private static List<Path> corpus;
    private static Fixtures.Envlink filled;
    private static Cli.Result addAll;

    @BeforeAll
    static void fillTheCache() throws IOException {
        corpus = Fixtures.archives(Fixtures.conformancePackages());
        assertTrue(corpus.size() >= 30, "conformance corpus too small: " + corpus);
        filled = Fixtures.Envlink.in(shared.resolve("filled"));
        List<String> args = new ArrayList<>(List.of("cache", "add", "--json"));
        corpus.forEach(p -> args.add(p.toString()));
        addAll = filled.run(args.toArray(String[]::new));
    }

    private List<String> corpusDists() {
        List<String> out = new ArrayList<>();
        corpus.forEach(p -> out.add(Fixtures.distOf(p)));
        out.sort(null);
        return out;
    }

    /** A private cache holding the first {@code n} packages of the corpus. */
    private static Fixtures.Envlink cacheWith(Path tmp, int n) {
        Fixtures.Envlink e = Fixtures.Envlink.in(tmp);
        List<String> args = new ArrayList<>(List.of("cache", "add"));
        corpus.subList(0, n).forEach(p -> args.add(p.toString()));
        e.expect(ExitCodes.OK, args.toArray(String[]::new));
        return e;
    }

    private static List<String> distsOf(List<Path> archives) {
        List<String> out = new ArrayList<>();
        archives.forEach(p -> out.add(Fixtures.distOf(p)));
        out.sort(null);
        return out;
    }

    @Test
    void addsEveryConformancePackage() {
        assertEquals(ExitCodes.OK, addAll.exitCode(), addAll.describe());
        JsonNode added = addAll.json().path("packages");
        assertEquals(corpus.size(), added.size(), addAll.describe());
        TreeSet<String> dists = new TreeSet<>();
        for (JsonNode p : added) {
            assertEquals("EXTRACTED", p.path("outcome").asText(), addAll.describe());
            assertTrue(p.path("writable").asBoolean(false), addAll.describe());
            assertTrue(Files.isDirectory(Path.of(p.path("path").asText()).resolve("info")), p.toString());
            dists.add(p.path("dist").asText());
        }
        assertEquals(corpusDists(), new ArrayList<>(dists));

        Cli.Result list = filled.expect(ExitCodes.OK, "cache", "list", "--json");
        assertEquals(corpus.size(), list.json().path("packages").size(), list.describe());
        assertEquals(filled.cacheDir().toString(), list.json().path("cache").asText(), list.describe());
        assertEquals(corpusDists(), filled.cachedDists());
        for (JsonNode p : list.json().path("packages")) {
            assertTrue(Files.isRegularFile(Path.of(p.path("archive").asText())), "archive kept: " + p);
        }
        Cli.Result text = filled.expect(ExitCodes.OK, "cache", "list");
        assertTrue(text.out().contains(corpus.size() + " packages in " + filled.cacheDir()), text.describe());
    }

    @Test
    void addingAgainReusesTheEntries() {
        Path one = corpus.get(0);

        Cli.Result r = filled.expect(ExitCodes.OK, "cache", "add", one.toString(), "--json");

        assertEquals("REUSED", r.json().path("packages").path(0).path("outcome").asText(), r.describe());
        assertEquals(corpusDists(), filled.cachedDists());
    }

    @Test
    void wrongSha256AddsNothingAndNamesTheArchive(@TempDir Path tmp) throws IOException {
        String wrong = "ab".repeat(32);

        Cli.Result r = filled.run("cache", "add", "--sha256", wrong, Fixtures.hello().toString());

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.describe());
        assertTrue(r.err().contains(Fixtures.hello().toString()), "names the archive: " + r.describe());
        assertTrue(r.err().contains(wrong), r.describe());
        assertTrue(r.err().contains(Fixtures.sha256(Fixtures.hello())), r.describe());
        assertFalse(Files.exists(filled.entry(HELLO)));
        assertFalse(Files.exists(filled.cacheDir().resolve("pkgs/" + HELLO + ".conda")));
        assertEquals(corpusDists(), filled.cachedDists(), "nothing added: " + r.describe());

        // The right checksum is accepted (in a cache of its own: the filled one stays as it is).
        Fixtures.Envlink other = Fixtures.Envlink.in(tmp);
        other.expect(ExitCodes.OK, "cache", "add", "--sha256", Fixtures.sha256(Fixtures.hello()),
                Fixtures.hello().toString());
        assertEquals(List.of(HELLO), other.cachedDists());
    }

    @Test
    void verifyFindsAndRepairsACorruptedFile(@TempDir Path tmp) throws IOException {
        filled.expect(ExitCodes.OK, "cache", "verify");
        Cli.Result full = filled.expect(ExitCodes.OK, "cache", "verify", "--full", "--json");
        assertEquals(corpus.size(), full.json().path("checked").asInt(), full.describe());
        assertTrue(full.json().path("ok").asBoolean(false), full.describe());

        Fixtures.Envlink own = cacheWith(tmp, 3);
        Path victim = firstPayloadFile(own.cacheDir().resolve("pkgs"));
        String dist = own.cacheDir().resolve("pkgs").relativize(victim).getName(0).toString();
        byte[] original = Files.readAllBytes(victim);
        Files.writeString(victim, "corrupted", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Cli.Result damaged = own.run("cache", "verify");
        assertEquals(ExitCodes.DAMAGED, damaged.exitCode(), damaged.describe());
        assertTrue(damaged.out().contains(dist + ": damaged"), damaged.describe());
        assertTrue(damaged.out().contains("1 damaged, 0 repaired"), damaged.describe());

        Cli.Result json = own.run("cache", "verify", "--json");
        assertEquals(ExitCodes.DAMAGED, json.exitCode(), json.describe());
        assertEquals(dist, json.json().path("damaged").path(0).path("dist").asText(), json.describe());

        Cli.Result repair = own.run("cache", "verify", "--repair");
        assertEquals(ExitCodes.OK, repair.exitCode(), repair.describe());
        assertTrue(repair.out().contains("repaired: re-extracted from"), repair.describe());
        assertArrayEquals(original, Files.readAllBytes(victim), "content of " + victim);
        own.expect(ExitCodes.OK, "cache", "verify", "--full");
        assertEquals(distsOf(corpus.subList(0, 3)), own.cachedDists());
    }

    @Test
    void dirReportsTheCommandLineRule(@TempDir Path tmp) {
        Cli.Result r = filled.expect(ExitCodes.OK, "cache", "dir", "--json");

        assertEquals("COMMAND_LINE", r.json().path("rule").asText(), r.describe());
        assertEquals(filled.cacheDir().toString(), r.json().path("path").asText(), r.describe());
        assertEquals(0, r.json().path("readOnlyLayers").size(), r.describe());

        Cli.Result text = filled.expect(ExitCodes.OK, "cache", "dir");
        assertEquals(filled.cacheDir().toString(), text.out().lines().findFirst().orElse(""), text.describe());
    }

    @Test
    void configFileThatDoesNotExistIsAnError(@TempDir Path tmp) {
        Path missing = tmp.resolve("no-such-config.yaml");

        Cli.Result r = Cli.run("cache", "dir", "--cache-dir", tmp.resolve("cache").toString(), "--config",
                missing.toString());

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.describe());
        assertTrue(r.err().contains(missing.toString()), r.describe());
    }

    @Test
    void cleanRemovesLeftoversOfInterruptedRuns() throws IOException {
        Path leftover = filled.cacheDir().resolve("pkgs/.tmp-foo-1-0-1a-2b");
        Files.createDirectories(leftover.resolve("share/foo"));
        Files.writeString(leftover.resolve("share/foo/half-written"), "x");

        Cli.Result r = filled.expect(ExitCodes.OK, "cache", "clean", "--json");

        assertFalse(Files.exists(leftover, LinkOption.NOFOLLOW_LINKS), leftover + " must be gone: " + r.describe());
        assertEquals(List.of(leftover.toString()), Fixtures.texts(r.json().path("leftoversRemoved")), r.describe());
        assertEquals(List.of(), Fixtures.texts(r.json().path("entriesRemoved")), r.describe());
        assertEquals(corpusDists(), filled.cachedDists(), "clean without --unused keeps every entry");

        Cli.Result again = filled.expect(ExitCodes.OK, "cache", "clean");
        assertTrue(again.out().contains("0 leftovers and 0 unused entries removed"), again.describe());
    }

    @Test
    void cleanUnusedKeepsWhatThePrefixUses(@TempDir Path tmp) throws IOException {
        Fixtures.Envlink own = cacheWith(tmp, 6);
        Path prefix = tmp.resolve("env");
        own.installExamples(prefix);
        // Only --prefix may keep the examples: forget the registration the install made.
        Files.delete(own.cacheDir().resolve("environments.txt"));

        Cli.Result r = own.expect(ExitCodes.OK, "cache", "clean", "--unused", "--prefix", prefix.toString(), "--json");

        TreeSet<String> removed = new TreeSet<>(Fixtures.texts(r.json().path("entriesRemoved")));
        assertEquals(new TreeSet<>(distsOf(corpus.subList(0, 6))), removed, r.describe());
        assertEquals(List.of(HELLO, HELLO_DATA), own.cachedDists());
        for (Path archive : corpus.subList(0, 6)) {
            assertFalse(Files.exists(own.cacheDir().resolve("pkgs").resolve(archive.getFileName())),
                    "archive of a removed entry is gone: " + archive.getFileName());
        }
        assertTrue(Files.isRegularFile(own.cacheDir().resolve("pkgs/" + HELLO + ".conda")));
        own.expect(ExitCodes.OK, "verify", "--prefix", prefix.toString());
        own.expect(ExitCodes.OK, "cache", "verify", "--full");

        // Without --prefix and without a registration nothing keeps them.
        Cli.Result all = own.expect(ExitCodes.OK, "cache", "clean", "--unused", "--json");
        assertEquals(List.of(HELLO, HELLO_DATA), Fixtures.texts(all.json().path("entriesRemoved")), all.describe());
        assertEquals(List.of(), own.cachedDists());
    }

    @Test
    void cleanUnusedKeepsWhatRegisteredEnvironmentsUse(@TempDir Path tmp) throws IOException {
        Fixtures.Envlink envlink = Fixtures.Envlink.in(tmp);
        Path prefix = tmp.resolve("env");
        envlink.installExamples(prefix);
        envlink.expect(ExitCodes.OK, "cache", "add", corpus.get(0).toString());

        Cli.Result r = envlink.expect(ExitCodes.OK, "cache", "clean", "--unused", "--json");

        assertEquals(List.of(Fixtures.distOf(corpus.get(0))), Fixtures.texts(r.json().path("entriesRemoved")),
                r.describe());
        assertEquals(List.of(HELLO, HELLO_DATA), envlink.cachedDists());
    }

    /** A regular file of some entry's payload (not info/), with data, in a stable order. */
    private static Path firstPayloadFile(Path pkgs) throws IOException {
        try (Stream<Path> s = Files.walk(pkgs)) {
            Optional<Path> f = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> pkgs.relativize(p).getNameCount() > 2)
                    .filter(p -> !pkgs.relativize(p).getName(1).toString().equals("info"))
                    .filter(p -> {
                        try {
                            return Files.size(p) > 0 && Files.size(p) < 1 << 20;
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .sorted().findFirst();
            return f.orElseThrow(() -> new AssertionError("no payload file in " + pkgs));
        }
    }
}
