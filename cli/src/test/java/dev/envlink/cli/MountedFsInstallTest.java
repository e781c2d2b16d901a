package dev.envlink.cli;

import static dev.envlink.cli.Fixtures.HELLO;
import static dev.envlink.cli.Fixtures.HELLO_DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * install, list and du with the cache and the environment on real loop-mounted filesystems:
 * reflinks within Btrfs, and a strict reflink install refused across filesystems. Skipped where
 * mounts are impossible, failed then under ENVLINK_REQUIRE_FS_TESTS=1.
 */
@EnabledOnOs(OS.LINUX)
class MountedFsInstallTest {
    private static final String BIG = "share/hello-data/big.txt";

    @Test
    void installWithinBtrfsReflinksAndDuSeesTheSharedExtents(@MountedFs(FsType.BTRFS) Path btrfs,
                                                             @TempDir Path tmp) throws Exception {
        Fixtures.Envlink envlink = new Fixtures.Envlink(btrfs.resolve("cache"), Fixtures.Envlink.in(tmp).config());
        Path prefix = btrfs.resolve("env");

        Cli.Result r = envlink.installExamples(prefix, "--json");

        JsonNode methods = r.json().path("link").path("methods");
        assertEquals(Fixtures.LINKED_FILES.size(), methods.path("reflink").path("files").asLong(), r.describe());
        assertEquals(0, methods.path("hardlink").path("files").asLong(-1), r.describe());
        assertEquals(0, methods.path("copy").path("files").asLong(-1), r.describe());
        assertEquals(0, r.json().path("link").path("fallbacks").size(), r.describe());
        assertEquals(1, r.json().path("rewritten").asLong(), r.describe());
        for (String f : Fixtures.LINKED_FILES) {
            String dist = f.startsWith("share/hello-data/") ? HELLO_DATA : HELLO;
            assertFalse(Files.isSameFile(prefix.resolve(f), envlink.entry(dist).resolve(f)),
                    f + " is a reflink: a new inode");
        }
        JsonNode record = new ObjectMapper().readTree(prefix.resolve("conda-meta/" + HELLO_DATA + ".json").toFile());
        assertEquals("reflink", dev.envlink.env.RecordedMethods.of(new com.fasterxml.jackson.databind.ObjectMapper().convertValue(record, java.util.Map.class)).of(BIG), record.toString());
        assertEquals("hello from " + prefix, Fixtures.runHello(prefix).lines().findFirst().orElseThrow());

        Cli.Result list = Cli.run("list", "--prefix", prefix.toString(), "--json");
        assertEquals(ExitCodes.OK, list.exitCode(), list.describe());
        assertEquals(2, list.json().path("packages").path(1).path("methods").path("reflink").asInt(), list.describe());

        Cli.Result du = Cli.run("du", "--prefix", prefix.toString(), "--json");
        assertEquals(ExitCodes.OK, du.exitCode(), du.describe());
        JsonNode usage = du.json().path("environments").path(0);
        assertTrue(usage.path("sharedByReflink").asLong() >= Files.size(prefix.resolve(BIG)),
                "big.txt's extents are shared with the cache: " + du.describe());
        assertEquals(0, usage.path("sharedByHardlink").asLong(-1), du.describe());
        assertTrue(usage.path("apparentBytes").asLong() > usage.path("sharedByReflink").asLong(), du.describe());

        // A strict hardlink install works on Btrfs too, and shares the cache's inodes.
        Path hardlinked = btrfs.resolve("env-hardlink");
        Cli.Result h = envlink.installExamples(hardlinked, "--link-mode", "hardlink", "--strict", "--json");
        JsonNode hm = h.json().path("link").path("methods");
        assertEquals(Fixtures.LINKED_FILES.size(), hm.path("hardlink").path("files").asLong(), h.describe());
        assertEquals(0, hm.path("reflink").path("files").asLong(-1), h.describe());
        assertEquals("hardlink", h.json().path("link").path("mode").asText(), "the mode asked for: " + h.describe());
        assertTrue(h.json().path("link").path("strict").asBoolean(false), h.describe());
        assertTrue(Files.isSameFile(hardlinked.resolve(BIG), envlink.entry(HELLO_DATA).resolve(BIG)));
        Cli.Result hdu = Cli.run("du", "--prefix", hardlinked.toString(), "--json");
        assertTrue(hdu.json().path("environments").path(0).path("sharedByHardlink").asLong() >= Files.size(
                hardlinked.resolve(BIG)), hdu.describe());
        envlink.expect(ExitCodes.OK, "verify", "--prefix", prefix.toString());
        envlink.expect(ExitCodes.OK, "verify", "--prefix", hardlinked.toString());
    }

    @Test
    void strictReflinkFromBtrfsCacheToExt4PrefixExitsThreeAndInstallsNothing(@MountedFs(FsType.BTRFS) Path btrfs,
                                                                             @MountedFs(FsType.EXT4) Path ext4,
                                                                             @TempDir Path tmp) throws Exception {
        Fixtures.Envlink envlink = new Fixtures.Envlink(btrfs.resolve("cache"), Fixtures.Envlink.in(tmp).config());
        Path prefix = ext4.resolve("env");

        Cli.Result r = envlink.run("install", "--prefix", prefix.toString(), "--link-mode", "reflink", "--strict",
                Fixtures.hello().toString(), Fixtures.helloData().toString());

        assertEquals(ExitCodes.STRICT, r.exitCode(), r.describe());
        assertTrue(r.err().contains("CROSS_DEVICE"), r.describe());
        assertTrue(r.err().contains("--strict"), r.describe());
        assertFalse(r.err().contains("Exception"), "no stack trace: " + r.describe());
        assertEquals(List.of(), Fixtures.records(prefix), "no package records after a failed install");
        assertEquals(List.of(), Fixtures.payload(prefix), "the transaction must be rolled back");
        assertTrue(Files.isDirectory(envlink.entry(HELLO)), "the cache keeps what it extracted");

        // Without --strict the same install copies, and says why.
        Cli.Result lenient = envlink.installExamples(prefix, "--link-mode", "reflink", "--json");
        JsonNode link = lenient.json().path("link");
        assertEquals(Fixtures.LINKED_FILES.size(), link.path("methods").path("copy").path("files").asLong(),
                lenient.describe());
        assertEquals(0, link.path("methods").path("hardlink").path("files").asLong(-1), lenient.describe());
        assertEquals("CROSS_DEVICE", link.path("fallbacks").path(0).path("reason").asText(), lenient.describe());
        assertEquals(List.of(HELLO + ".json", HELLO_DATA + ".json"), Fixtures.records(prefix));
        assertEquals("hello from " + prefix, Fixtures.runHello(prefix).lines().findFirst().orElseThrow());
    }
}
