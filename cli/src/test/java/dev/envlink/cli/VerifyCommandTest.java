package dev.envlink.cli;

import static dev.envlink.cli.Fixtures.HELLO;
import static dev.envlink.cli.Fixtures.HELLO_DATA;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * envlink verify: an edit through a hardlink damages the cache entry too; --repair re-extracts
 * the entry and places the package again. Linux only (hardlinks from auto mode on ext4 /tmp).
 */
@EnabledOnOs(OS.LINUX)
class VerifyCommandTest {
    private static final String GREETING = "share/hello-data/greeting.txt";

    @Test
    void cleanInstallVerifies(@TempDir Path tmp) {
        Fixtures.Envlink envlink = Fixtures.Envlink.in(tmp);
        Path prefix = tmp.resolve("env");
        envlink.installExamples(prefix);

        Cli.Result r = envlink.expect(ExitCodes.OK, "verify", "--prefix", prefix.toString(), "--json");

        JsonNode j = r.json();
        assertTrue(j.path("ok").asBoolean(false), r.describe());
        assertEquals(2, j.path("packages").asInt(), r.describe());
        assertEquals(List.of(), Fixtures.texts(j.path("problems")), r.describe());
        Cli.Result text = envlink.expect(ExitCodes.OK, "verify", "--prefix", prefix.toString());
        assertTrue(text.out().contains("2 packages, 6 files checked: 0 problems"), text.describe());
    }

    @Test
    void editThroughAHardlinkDamagesTheCacheAndRepairRestoresBoth(@TempDir Path tmp) throws Exception {
        Fixtures.Envlink envlink = Fixtures.Envlink.in(tmp);
        Path prefix = tmp.resolve("env");
        envlink.installExamples(prefix);
        Path entry = envlink.entry(HELLO_DATA);
        Path inPrefix = prefix.resolve(GREETING);
        Path inCache = entry.resolve(GREETING);
        assertTrue(Files.isSameFile(inPrefix, inCache),
                "auto mode on the temporary directory's filesystem must hardlink (ext4 expected)");
        byte[] original = Files.readAllBytes(inPrefix);

        Files.writeString(inPrefix, "edited in the environment\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Cli.Result r = envlink.run("verify", "--prefix", prefix.toString());
        assertEquals(ExitCodes.DAMAGED, r.exitCode(), r.describe());
        assertTrue(r.out().contains(HELLO_DATA + ": " + GREETING + ": modified"), r.describe());
        assertTrue(r.out().contains("hardlink into the cache"), r.describe());
        assertTrue(r.out().contains("cache entry " + entry + " is damaged"), r.describe());
        assertTrue(r.out().contains("1 problems"), r.describe());

        Cli.Result json = envlink.run("verify", "--prefix", prefix.toString(), "--json");
        assertEquals(ExitCodes.DAMAGED, json.exitCode(), json.describe());
        JsonNode problem = json.json().path("problems").path(0);
        assertEquals(1, json.json().path("problems").size(), json.describe());
        assertEquals(HELLO_DATA, problem.path("package").asText(), json.describe());
        assertEquals(GREETING, problem.path("path").asText(), json.describe());
        assertTrue(problem.path("cacheDamaged").asBoolean(false), json.describe());
        assertEquals(entry.toString(), problem.path("cacheEntry").asText(), json.describe());
        assertFalse(json.json().path("ok").asBoolean(true), json.describe());

        // The cache sees the same damage.
        Cli.Result cacheVerify = envlink.run("cache", "verify");
        assertEquals(ExitCodes.DAMAGED, cacheVerify.exitCode(), cacheVerify.describe());
        assertTrue(cacheVerify.out().contains(HELLO_DATA + ": damaged"), cacheVerify.describe());

        Cli.Result repair = envlink.run("verify", "--prefix", prefix.toString(), "--repair");
        assertEquals(ExitCodes.OK, repair.exitCode(), repair.describe());
        assertTrue(repair.out().contains("repaired cache entry " + entry), repair.describe());
        assertTrue(repair.out().contains("placed hello-data again"), repair.describe());
        assertTrue(repair.out().contains("all repaired"), repair.describe());

        assertArrayEquals(original, Files.readAllBytes(inPrefix), "content of " + inPrefix);
        assertArrayEquals(original, Files.readAllBytes(entry.resolve(GREETING)), "content of the cache entry");
        envlink.expect(ExitCodes.OK, "cache", "verify", "--full");
        envlink.expect(ExitCodes.OK, "verify", "--prefix", prefix.toString());
        assertEquals(List.of("hello", "hello-data"), Fixtures.listedNames(prefix));
        assertTrue(Fixtures.runHello(prefix).contains(new String(original, StandardCharsets.UTF_8)));
    }

    @Test
    void editOfTheRewrittenFileLeavesTheCacheAloneAndIsRepaired(@TempDir Path tmp) throws Exception {
        Fixtures.Envlink envlink = Fixtures.Envlink.in(tmp);
        Path prefix = tmp.resolve("env");
        envlink.installExamples(prefix);
        Path script = prefix.resolve(Fixtures.REWRITTEN_FILE);
        byte[] original = Files.readAllBytes(script);
        Files.writeString(script, "# edited\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        Cli.Result r = envlink.run("verify", "--prefix", prefix.toString(), "--json");

        assertEquals(ExitCodes.DAMAGED, r.exitCode(), r.describe());
        JsonNode problem = r.json().path("problems").path(0);
        assertEquals(HELLO, problem.path("package").asText(), r.describe());
        assertEquals(Fixtures.REWRITTEN_FILE, problem.path("path").asText(), r.describe());
        assertFalse(problem.path("cacheDamaged").asBoolean(true), "a rewritten file is not the cache's: " + r.describe());
        envlink.expect(ExitCodes.OK, "cache", "verify", "--full");

        Cli.Result repair = envlink.expect(ExitCodes.OK, "verify", "--prefix", prefix.toString(), "--repair", "--json");
        assertEquals(List.of(), Fixtures.texts(repair.json().path("repairedCacheEntries")), repair.describe());
        assertEquals(List.of("hello"), Fixtures.texts(repair.json().path("placedAgain")), repair.describe());
        assertTrue(repair.json().path("ok").asBoolean(false), repair.describe());
        assertArrayEquals(original, Files.readAllBytes(script));
    }

    @Test
    void missingFileIsReported(@TempDir Path tmp) throws Exception {
        Fixtures.Envlink envlink = Fixtures.Envlink.in(tmp);
        Path prefix = tmp.resolve("env");
        envlink.installExamples(prefix);
        Files.delete(prefix.resolve("share/hello/README.txt"));

        Cli.Result r = envlink.run("verify", "--prefix", prefix.toString(), "--json");

        assertEquals(ExitCodes.DAMAGED, r.exitCode(), r.describe());
        assertEquals("share/hello/README.txt", r.json().path("problems").path(0).path("path").asText(), r.describe());
        assertEquals("MISSING", r.json().path("problems").path(0).path("kind").asText(), r.describe());
        envlink.expect(ExitCodes.OK, "verify", "--prefix", prefix.toString(), "--repair");
        assertTrue(Files.isRegularFile(prefix.resolve("share/hello/README.txt")));
    }
}
