package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The "done when": a real directory tree, this machine's Python installation (binary,
 * shared library and standard library, a few thousand files), linked by `envlink link` gives
 * reflinks on Btrfs, hardlinks on ext4 and copies across mounts, and the linked Python runs from
 * its new place and imports its standard library from there.
 */
@EnabledOnOs(OS.LINUX)
class PythonInstallationTest {
    private static PythonLayout python;

    /** Where the machine's python3 keeps its pieces. */
    record PythonLayout(Path executable, Path stdlib, Path libdir, String version) {
    }

    @BeforeAll
    static void findPython() throws Exception {
        List<String> out = run(List.of("python3", "-c",
                "import os, sys, sysconfig; print(os.path.realpath(sys.executable)); "
                        + "print(sysconfig.get_paths()['stdlib']); print(sysconfig.get_config_var('LIBDIR')); "
                        + "print('%d.%d' % sys.version_info[:2])"));
        python = new PythonLayout(Path.of(out.get(0)), Path.of(out.get(1)), Path.of(out.get(2)), out.get(3));
    }

    @Test
    void reflinksOnBtrfsHardlinksOnExt4CopiesAcross(@MountedFs(value = FsType.BTRFS, sizeMiB = 1024) Path btrfs,
                                                     @MountedFs(value = FsType.EXT4, sizeMiB = 1024) Path ext4)
            throws Exception {
        Path cacheOnBtrfs = installCopy(btrfs.resolve("cache/python"));
        Path cacheOnExt4 = installCopy(ext4.resolve("cache/python"));
        long files;
        try (var s = Files.walk(cacheOnBtrfs)) {
            files = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).count();
        }
        assertTrue(files > 1000, "expected a real installation, found " + files + " files");

        JsonNode onBtrfs = link(cacheOnBtrfs, btrfs.resolve("envs/a"));
        assertEquals(files, onBtrfs.path("methods").path("reflink").path("files").asLong(), onBtrfs.toString());
        assertRuns(btrfs.resolve("envs/a"));

        JsonNode onExt4 = link(cacheOnExt4, ext4.resolve("envs/a"));
        assertEquals(files, onExt4.path("methods").path("hardlink").path("files").asLong(), onExt4.toString());
        assertEquals("UNSUPPORTED_BY_FILESYSTEM", onExt4.path("fallbacks").path(0).path("reason").asText());
        assertRuns(ext4.resolve("envs/a"));

        JsonNode across = link(cacheOnBtrfs, ext4.resolve("envs/b"));
        assertEquals(files, across.path("methods").path("copy").path("files").asLong(), across.toString());
        for (JsonNode f : across.path("fallbacks")) {
            assertEquals("CROSS_DEVICE", f.path("reason").asText(), across.toString());
        }
        assertRuns(ext4.resolve("envs/b"));
    }

    private static JsonNode link(Path src, Path dst) throws IOException {
        Cli.Result r = Cli.run("link", src.toString(), dst.toString(), "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        return r.json();
    }

    /** The linked python starts, reports the new prefix and imports modules from it. */
    private static void assertRuns(Path prefix) throws Exception {
        Path exe = prefix.resolve("bin/python" + python.version());
        List<String> out = run(List.of(exe.toString(), "-I", "-S", "-c",
                "import sys, json, decimal, sqlite3; print(sys.prefix); print(json.__file__); "
                        + "print(json.dumps({'ok': str(decimal.Decimal('1.5') * 2)}))"));
        assertEquals(prefix.toString(), out.get(0), out.toString());
        assertTrue(out.get(1).startsWith(prefix.toString()), "json imported from elsewhere: " + out);
        assertEquals("{\"ok\": \"3.0\"}", out.get(2));
    }

    /** A relocatable slice of the installation: the binary, libpython, the stdlib without tests. */
    private static Path installCopy(Path prefix) throws Exception {
        Files.createDirectories(prefix.resolve("bin"));
        Files.createDirectories(prefix.resolve("lib"));
        run(List.of("cp", "-a", python.executable().toString(),
                prefix.resolve("bin/python" + python.version()).toString()));
        run(List.of("sh", "-c", "tar -C \"$1\" --exclude=site-packages --exclude=dist-packages --exclude="
                + "python" + python.version() + "/test -cf - python" + python.version()
                + " | tar -C \"$2\" -xf -", "sh", python.stdlib().getParent().toString(),
                prefix.resolve("lib").toString()));
        run(List.of("sh", "-c", "cp -a \"$1\"/libpython*.so* \"$2\" 2>/dev/null || true", "sh",
                python.libdir().toString(), prefix.resolve("lib").toString()));
        return prefix;
    }

    private static List<String> run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + " failed:\n" + out);
        return new ArrayList<>(out.lines().toList());
    }
}
