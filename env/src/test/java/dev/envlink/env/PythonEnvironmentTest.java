package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageCache;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.linux.Fiemap;
import dev.envlink.testing.conda.CondaPackageBuilder;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * An environment from many real files: this machine's Python installation packaged with the
 * testing builder (plus a script whose shebang holds the placeholder and a binary with the
 * placeholder in a C string), installed at new prefixes: reflinks on Btrfs, hardlinks on ext4,
 * copies across mounts; python runs from the new prefix; placeholder files are new files.
 */
@EnabledOnOs(OS.LINUX)
class PythonEnvironmentTest {
    /** conda-build's long placeholder style, so a binary can take a longer real prefix. */
    static final String PLACEHOLDER = "/opt/conda-bld/_h_env_" + "placehold_".repeat(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static Path pythonConda;
    static String version;
    static int payloadFiles;

    @BeforeAll
    static void buildPythonPackage() throws Exception {
        List<String> out = run(List.of("python3", "-c",
                "import os, sys, sysconfig; print(os.path.realpath(sys.executable)); "
                        + "print(sysconfig.get_paths()['stdlib']); print(sysconfig.get_config_var('LIBDIR')); "
                        + "print('%d.%d' % sys.version_info[:2])"));
        version = out.get(3);
        Path root = Files.createDirectories(work.resolve("python-root"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("lib"));
        run(List.of("cp", "-a", out.get(0), root.resolve("bin/python" + version).toString()));
        run(List.of("sh", "-c", "tar -C \"$1\" --exclude=site-packages --exclude=dist-packages --exclude=python"
                + version + "/test -cf - python" + version + " | tar -C \"$2\" -xf -", "sh",
                Path.of(out.get(1)).getParent().toString(), root.resolve("lib").toString()));
        run(List.of("sh", "-c", "cp -a \"$1\"/libpython*.so* \"$2\" 2>/dev/null || true", "sh", out.get(2),
                root.resolve("lib").toString()));
        try (var s = Files.walk(root)) {
            payloadFiles = (int) s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p)).count();
        }
        byte[] binary = ("\u007fELF-like header\0" + PLACEHOLDER + "/lib:" + PLACEHOLDER + "/lib64\0tail\0")
                .getBytes(StandardCharsets.UTF_8);
        pythonConda = CondaPackageBuilder.create("python", version + ".0", "h_test_0")
                .fromDirectory(root)
                .textFileWithPrefix("bin/hello-prefix", "#!" + PLACEHOLDER + "/bin/python" + version
                        + "\nimport json, sys\nprint(sys.prefix)\nprint(json.dumps({'ok': True}))\n", PLACEHOLDER, 0755)
                .binaryFileWithPrefix("share/demo/paths.bin", binary, 0644, PLACEHOLDER)
                .writeConda(Files.createDirectories(work.resolve("channel")));
        Files.setPosixFilePermissions(pythonConda, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }

    @Test
    void reflinksOnBtrfsHardlinksOnExt4CopiesAcross(@MountedFs(value = FsType.BTRFS, sizeMiB = 1024) Path btrfs,
                                                     @MountedFs(value = FsType.EXT4, sizeMiB = 1024) Path ext4)
            throws Exception {
        // Btrfs: cache and environment on one reflink filesystem.
        JsonNode rec = installAndCheck(btrfs.resolve("cache"), btrfs.resolve("envs/py"));
        assertMethods(rec, "reflink");
        // The placeholder files are new files: no extent shared with the cache.
        assertEquals(0, Fiemap.sharedBytes(btrfs.resolve("envs/py/share/demo/paths.bin")));
        Path pyInEnv = btrfs.resolve("envs/py/lib/python" + version + "/json/decoder.py");
        assertTrue(Fiemap.sharedBytes(pyInEnv) > 0, "a reflinked file shares its extents");

        // ext4: hardlinks.
        JsonNode rec4 = installAndCheck(ext4.resolve("cache"), ext4.resolve("envs/py"));
        assertMethods(rec4, "hardlink");

        // Cache on Btrfs, environment on ext4: copies.
        JsonNode across = installAndCheck(btrfs.resolve("cache"), ext4.resolve("envs/across"));
        assertMethods(across, "copy");
    }

    private JsonNode installAndCheck(Path cacheRoot, Path prefix) throws Exception {
        PackageCache cache = PackageCache.open(cacheRoot);
        CacheEntry entry = cache.add(PackageCache.AddRequest.of(pythonConda)).entry();
        Installer installer = new Installer(LinkOptions.defaults(), "test", "envlink test");
        InstallReport r = installer.install(prefix, List.of(new Installer.Request(entry, "python")), false);
        assertEquals(2, r.rewritten(), "the script and the binary are rewritten");

        List<String> py = run(List.of(prefix.resolve("bin/python" + version).toString(), "-I", "-S", "-c",
                "import sys, json, decimal; print(sys.prefix); print(json.__file__)"));
        assertEquals(prefix.toString(), py.get(0));
        assertTrue(py.get(1).startsWith(prefix.toString()), py.toString());
        List<String> hello = run(List.of(prefix.resolve("bin/hello-prefix").toString()));
        assertEquals(List.of(prefix.toString(), "{\"ok\": true}"), hello);

        byte[] bin = Files.readAllBytes(prefix.resolve("share/demo/paths.bin"));
        String text = new String(bin, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(prefix + "/lib:" + prefix + "/lib64\0"), "binary prefix replaced");
        assertFalse(text.contains(PLACEHOLDER));
        assertEquals(Files.size(entry.path().resolve("share/demo/paths.bin")), bin.length, "padded to its size");
        String script = Files.readString(entry.path().resolve("bin/hello-prefix"));
        assertTrue(script.contains(PLACEHOLDER), "the cache keeps the placeholder");

        JsonNode rec = JSON.readTree(prefix.resolve("conda-meta/" + entry.dist() + ".json").toFile());
        assertEquals(payloadFiles + 2, rec.path("files").size());
        for (JsonNode p : rec.path("paths_data").path("paths")) {
            if (p.has("prefix_placeholder")) {
                assertTrue(p.has("sha256_in_prefix"), p.toString());
                assertFalse(Files.isSameFile(prefix.resolve(p.path("_path").asText()),
                        entry.path().resolve(p.path("_path").asText())));
            }
        }
        assertTrue(new Verifier().verify(prefix).ok(), "a fresh install verifies");
        return rec;
    }

    private static void assertMethods(JsonNode rec, String expected) {
        Map<String, Integer> count = new java.util.TreeMap<>(Fixture.methods(rec).counts());
        assertEquals(2, count.getOrDefault("rewritten", 0), count.toString());
        int others = count.entrySet().stream().filter(e -> !e.getKey().equals(expected)
                && !e.getKey().equals("rewritten") && !e.getKey().equals("symlink")).mapToInt(Map.Entry::getValue).sum();
        assertEquals(0, others, "every other file by " + expected + ": " + count);
        assertTrue(count.getOrDefault(expected, 0) > 1000, count.toString());
    }

    static List<String> run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return new ArrayList<>(out.lines().toList());
    }
}
