package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * probe and link on real loop-mounted filesystems. Each {@code @MountedFs} parameter is a fresh
 * mount; the tests are skipped where mounts are impossible, and fail then under
 * ENVLINK_REQUIRE_FS_TESTS=1.
 */
@EnabledOnOs(OS.LINUX)
class MountedFsCliTest {

    @Test
    void probeAcrossFilesystemsFindsOnlyCopy(@MountedFs(FsType.BTRFS) Path btrfs, @MountedFs(FsType.EXT4) Path ext4)
            throws IOException {
        Map<String, String> btrfsBefore = Trees.listing(btrfs);
        Map<String, String> ext4Before = Trees.listing(ext4);

        Cli.Result r = Cli.run("probe", btrfs.toString(), ext4.toString(), "--json");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        JsonNode j = r.json();
        assertEquals("btrfs", j.path("source").path("type").asText(), r.describe());
        assertEquals("ext4", j.path("target").path("type").asText(), r.describe());
        assertEquals(btrfs.toString(), j.path("source").path("path").asText());
        assertEquals(ext4.toString(), j.path("target").path("path").asText());
        assertNotEquals(j.path("source").path("device").asText(), j.path("target").path("device").asText());
        assertFalse(j.path("sameDevice").asBoolean(true), r.describe());
        assertEquals("temporary file", j.path("sample").asText());

        for (String m : List.of("reflink", "hardlink")) {
            JsonNode s = method(j, m);
            assertFalse(s.path("works").asBoolean(true), m + ": " + r.describe());
            assertEquals("DECLINED", s.path("state").asText(), m + ": " + r.describe());
            assertEquals("CROSS_DEVICE", s.path("reason").asText(), m + ": " + r.describe());
            assertTrue(s.path("detail").asText().contains("EXDEV"), m + ": " + r.describe());
        }
        JsonNode copy = method(j, "copy");
        assertTrue(copy.path("works").asBoolean(false), r.describe());
        assertEquals("WORKS", copy.path("state").asText());
        assertTrue(copy.path("reason").isNull(), r.describe());
        assertEquals("linux", copy.path("provider").asText(), r.describe());
        assertEquals("copy", j.path("autoWouldUse").asText(), r.describe());

        // The trial files are removed from both sides.
        assertEquals(btrfsBefore, Trees.listing(btrfs), "probe leftovers on the source");
        assertEquals(ext4Before, Trees.listing(ext4), "probe leftovers on the target");
    }

    @Test
    void probeWithinBtrfsFindsReflink(@MountedFs(FsType.BTRFS) Path btrfs) throws IOException {
        Cli.Result r = Cli.run("probe", btrfs.toString(), "--json");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        JsonNode j = r.json();
        assertEquals("btrfs", j.path("source").path("type").asText(), r.describe());
        assertEquals("btrfs", j.path("target").path("type").asText(), r.describe());
        assertTrue(j.path("sameDevice").asBoolean(false), r.describe());
        JsonNode reflink = method(j, "reflink");
        assertTrue(reflink.path("works").asBoolean(false), r.describe());
        assertEquals("linux", reflink.path("provider").asText(), r.describe());
        assertTrue(method(j, "hardlink").path("works").asBoolean(false), r.describe());
        assertTrue(method(j, "copy").path("works").asBoolean(false), r.describe());
        assertEquals("reflink", j.path("autoWouldUse").asText(), r.describe());
        assertEquals(Map.of(), Trees.listing(btrfs), "probe leftovers");
    }

    @Test
    void probeTextAcrossFilesystemsGivesReasonAndAdvice(@MountedFs(FsType.BTRFS) Path btrfs,
                                                         @MountedFs(FsType.EXT4) Path ext4) {
        Cli.Result r = Cli.run("probe", btrfs.toString(), ext4.toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  reflink\\s+no: CROSS_DEVICE\\n.*"), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  hardlink\\s+no: CROSS_DEVICE\\n.*"), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  copy\\s+works\\n.*"), r.describe());
        assertTrue(r.out().contains("same device  no"), r.describe());
        assertTrue(r.out().contains("auto would use: copy"), r.describe());
        assertTrue(r.out().contains("advice: put the cache and the target on one filesystem"), r.describe());
    }

    @Test
    void probeOnXfsWithoutReflinkFallsToHardlink(@MountedFs(FsType.XFS_NO_REFLINK) Path xfs) throws IOException {
        Cli.Result r = Cli.run("probe", xfs.toString(), "--json");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        JsonNode j = r.json();
        assertEquals("xfs", j.path("source").path("type").asText(), r.describe());
        JsonNode reflink = method(j, "reflink");
        assertEquals("DECLINED", reflink.path("state").asText(), r.describe());
        assertEquals("UNSUPPORTED_BY_FILESYSTEM", reflink.path("reason").asText(), r.describe());
        assertTrue(method(j, "hardlink").path("works").asBoolean(false), r.describe());
        assertEquals("hardlink", j.path("autoWouldUse").asText(), r.describe());
    }

    @Test
    void linkWithinBtrfsReflinksEveryFile(@MountedFs(FsType.BTRFS) Path btrfs) throws IOException,
            InterruptedException {
        Path src = Trees.create(btrfs.resolve("pkgs/foo-1.0"));
        Path dst = btrfs.resolve("envs/test");

        Cli.Result r = Cli.run("link", src.toString(), dst.toString(), "--json");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        JsonNode j = r.json();
        JsonNode m = j.path("methods");
        assertEquals(Trees.FILES.size(), m.path("reflink").path("files").asLong(), r.describe());
        assertEquals(Trees.totalBytes(), m.path("reflink").path("bytes").asLong(), r.describe());
        assertEquals(0, m.path("hardlink").path("files").asLong(-1), r.describe());
        assertEquals(0, m.path("copy").path("files").asLong(-1), r.describe());
        assertEquals(Trees.FILES.size(), j.path("files").asLong(), r.describe());
        assertEquals(1, j.path("symlinks").asLong(), r.describe());
        assertTrue(j.path("fallbacks").isEmpty(), r.describe());

        Trees.assertSameContent(src, dst);
        Trees.assertNewInodes(src, dst);
        // FIEMAP must show the clone's data extents as shared with the source: a real reflink.
        Path big = dst.resolve("lib/libfoo.so");
        String frag = filefrag(big);
        assertTrue(frag.contains("shared"), "filefrag -v " + big + ":\n" + frag);

        // Copy-on-write: changing the clone leaves the source alone.
        byte[] before = Files.readAllBytes(src.resolve("lib/libfoo.so"));
        Files.writeString(big, "changed", StandardCharsets.UTF_8);
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(src.resolve("lib/libfoo.so"))));
    }

    @Test
    void strictReflinkOnXfsWithoutReflinkExitsThree(@MountedFs(FsType.XFS_NO_REFLINK) Path xfs) throws IOException {
        Path src = Trees.create(xfs.resolve("pkgs/foo-1.0"));
        Path dst = xfs.resolve("envs/test");

        Cli.Result r = Cli.run("link", "--strict", "--mode", "reflink", src.toString(), dst.toString());

        assertEquals(ExitCodes.STRICT, r.exitCode(), r.describe());
        assertTrue(r.err().contains("UNSUPPORTED_BY_FILESYSTEM"), r.describe());
        assertTrue(r.err().startsWith("envlink: reflink is not possible here and --strict forbids a fallback"),
                r.describe());
        assertTrue(r.err().contains("advice: reflinks need Btrfs, XFS made with -m reflink=1"), r.describe());
        assertFalse(r.err().contains("Exception"), "no stack trace: " + r.describe());
        assertEquals("", r.out(), r.describe());
        try (Stream<Path> s = Files.walk(xfs.resolve("envs"))) {
            List<Path> files = s.filter(f -> Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
            assertEquals(List.of(), files, "strict mode must not fall back to copies");
        }

        // Without --strict the same command falls back to copies and says why. (--replace: the failed
        // run may already have recreated the tree's symlink, which is placed in parallel.)
        Cli.Result lenient = Cli.run("link", "--mode", "reflink", "--replace", "--json", src.toString(),
                dst.toString());
        assertEquals(ExitCodes.OK, lenient.exitCode(), lenient.describe());
        JsonNode j = lenient.json();
        assertEquals(Trees.FILES.size(), j.path("methods").path("copy").path("files").asLong(), lenient.describe());
        assertEquals(0, j.path("methods").path("hardlink").path("files").asLong(-1),
                "a named mode falls back to copy only: " + lenient.describe());
        JsonNode fallback = j.path("fallbacks").path(0);
        assertEquals("reflink", fallback.path("wanted").asText(), lenient.describe());
        assertEquals("copy", fallback.path("used").asText(), lenient.describe());
        assertEquals("UNSUPPORTED_BY_FILESYSTEM", fallback.path("reason").asText(), lenient.describe());
        assertEquals(Trees.FILES.size(), fallback.path("files").asLong(), lenient.describe());
        Trees.assertSameContent(src, dst);
    }

    @Test
    void linkFromBtrfsToExt4ExplainsTheCopies(@MountedFs(FsType.BTRFS) Path btrfs, @MountedFs(FsType.EXT4) Path ext4)
            throws IOException {
        Path src = Trees.create(btrfs.resolve("pkgs/foo-1.0"));
        Path dst = ext4.resolve("envs/test");

        Cli.Result r = Cli.run("link", src.toString(), dst.toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertTrue(r.out().contains("CROSS_DEVICE"), r.describe());
        assertTrue(r.out().contains("one filesystem"), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  copy\\s+" + Trees.FILES.size() + " files.*"), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  reflink -> copy: " + Trees.FILES.size()
                + " files \\([^)]*\\): CROSS_DEVICE \\(source and destination are on different filesystems\\)\\n.*"),
                r.describe());
        assertTrue(r.out().contains("advice: put the cache and the target on one filesystem to avoid copies"),
                r.describe());
        Trees.assertSameContent(src, dst);
        Trees.assertNewInodes(src, dst);
    }

    @Test
    void strictHardlinkAcrossFilesystemsExitsThree(@MountedFs(FsType.BTRFS) Path btrfs,
                                                   @MountedFs(FsType.EXT4) Path ext4) throws IOException {
        Path src = Trees.create(btrfs.resolve("pkgs/foo-1.0"));

        Cli.Result r = Cli.run("link", "--strict", "-m", "hardlink", src.toString(), ext4.resolve("env").toString());

        assertEquals(ExitCodes.STRICT, r.exitCode(), r.describe());
        assertTrue(r.err().contains("reason: CROSS_DEVICE"), r.describe());
        assertTrue(r.err().contains("one filesystem"), r.describe());
    }

    private static JsonNode method(JsonNode probe, String label) {
        List<String> seen = new ArrayList<>();
        for (JsonNode m : probe.path("methods")) {
            seen.add(m.path("method").asText());
            if (m.path("method").asText().equals(label)) {
                return m;
            }
        }
        throw new AssertionError("no method " + label + " in " + seen + ": " + probe);
    }

    /** filefrag ships with e2fsprogs, which the EXT4 mounts need anyway. */
    private static String filefrag(Path file) throws IOException, InterruptedException {
        Optional<Path> tool = Stream.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")
                .map(d -> Path.of(d, "filefrag")).filter(Files::isExecutable).findFirst();
        assertTrue(tool.isPresent(), "filefrag (e2fsprogs) is needed to check for shared extents");
        Path log = Files.createTempFile("filefrag-", ".log");
        try {
            Process p = new ProcessBuilder(tool.get().toString(), "-v", file.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "filefrag timed out");
            String out = Files.readString(log);
            assertEquals(0, p.exitValue(), "filefrag failed: " + out);
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
