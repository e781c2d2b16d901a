package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** envlink link on the ordinary temp directory, run in-process. */
class LinkCommandTest {

    @TempDir
    Path tmp;

    @Test
    void copyModeJsonReportsEveryFileAsCopied() throws IOException {
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("env");

        Cli.Result r = Cli.run("link", "--mode", "copy", "--json", src.toString(), dst.toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertEquals("", r.err(), r.describe());
        JsonNode j = r.json();
        assertEquals(src.toAbsolutePath().toString(), j.path("source").asText());
        assertEquals(dst.toAbsolutePath().toString(), j.path("target").asText());
        assertEquals("copy", j.path("mode").asText());
        assertFalse(j.path("strict").asBoolean(true));
        assertEquals(Trees.FILES.size(), j.path("methods").path("copy").path("files").asLong(), r.describe());
        assertEquals(Trees.totalBytes(), j.path("methods").path("copy").path("bytes").asLong(), r.describe());
        for (String m : new String[] {"reflink", "hardlink", "symlink"}) {
            assertEquals(0, j.path("methods").path(m).path("files").asLong(-1), m + " in " + r.describe());
        }
        assertEquals(Set.of("reflink", "hardlink", "symlink", "copy"), fieldNames(j.path("methods")));
        assertEquals(Trees.FILES.size(), j.path("files").asLong());
        assertEquals(Trees.totalBytes(), j.path("bytes").asLong());
        assertEquals(Trees.DIRECTORIES, j.path("directories").asLong());
        assertEquals(1, j.path("symlinks").asLong());
        assertTrue(j.path("fallbacks").isArray() && j.path("fallbacks").isEmpty(), r.describe());
        assertTrue(j.path("skipped").isArray() && j.path("skipped").isEmpty(), r.describe());
        assertTrue(j.path("seconds").isNumber() && j.path("seconds").asDouble() >= 0, r.describe());

        Trees.assertSameContent(src, dst);
        Trees.assertNewInodes(src, dst);
    }

    @Test
    void textOutputSummarisesMethods() throws IOException {
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("env");

        Cli.Result r = Cli.run("link", "-m", "copy", src.toString(), dst.toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertTrue(r.out().startsWith("Linked " + Trees.FILES.size() + " files ("), r.describe());
        assertTrue(r.out().matches("(?s).*\\n  copy\\s+" + Trees.FILES.size() + " files.*"), r.describe());
        assertTrue(r.out().contains(Trees.DIRECTORIES + " directories, 1 symlinks recreated"), r.describe());
        assertFalse(r.out().contains("Fallbacks:"), r.describe());
        Trees.assertSameContent(src, dst);
    }

    @Test
    void existingDestinationNeedsReplace() throws IOException {
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("env");
        Cli.Result first = Cli.run("link", "--mode", "copy", "--json", src.toString(), dst.toString());
        assertEquals(ExitCodes.OK, first.exitCode(), first.describe());

        // The package changes; linking over the old files must be refused without --replace ...
        Path changed = src.resolve("lib/python/pkg/__init__.py");
        Files.writeString(changed, "VERSION = 2\n", StandardCharsets.UTF_8);
        Cli.Result again = Cli.run("link", "--mode", "copy", "--json", src.toString(), dst.toString());

        assertEquals(ExitCodes.FAILURE, again.exitCode(), again.describe());
        assertTrue(again.err().startsWith("envlink: " + dst), "names a destination file: " + again.describe());
        assertTrue(again.err().contains("--replace"), again.describe());
        assertFalse(again.err().contains("Exception"), "no stack trace: " + again.describe());
        assertEquals("", again.out(), "no report on failure: " + again.describe());
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(changed),
                Files.readAllBytes(dst.resolve("lib/python/pkg/__init__.py"))), "existing files must be left alone");

        // ... and done with it.
        Cli.Result replaced = Cli.run("link", "--mode", "copy", "--replace", "--json", src.toString(), dst.toString());

        assertEquals(ExitCodes.OK, replaced.exitCode(), replaced.describe());
        assertEquals(Trees.FILES.size(), replaced.json().path("methods").path("copy").path("files").asLong());
        assertEquals(1, replaced.json().path("symlinks").asLong());
        Trees.assertSameContent(src, dst);
        assertArrayEquals(Files.readAllBytes(changed), Files.readAllBytes(dst.resolve("lib/python/pkg/__init__.py")));
        try (var s = Files.list(dst.resolve("lib/python/pkg"))) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".envlink-")),
                    "no temporary files left behind");
        }
    }

    @Test
    void singleFileIntoADirectory() throws IOException {
        Path file = tmp.resolve("data.bin");
        Files.write(file, new byte[] {1, 2, 3, 4});
        Path dir = Files.createDirectory(tmp.resolve("out"));

        Cli.Result r = Cli.run("link", "--mode", "copy", "--json", file.toString(), dir.toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertEquals(1, r.json().path("methods").path("copy").path("files").asLong());
        assertEquals(4, r.json().path("bytes").asLong());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, Files.readAllBytes(dir.resolve("data.bin")));
    }

    @Test
    void autoModeOnOneFilesystemNeverCopiesAndReportsWhatItUsed() throws IOException {
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("env");

        Cli.Result r = Cli.run("link", "--json", src.toString(), dst.toString());

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        JsonNode m = r.json().path("methods");
        assertEquals("auto", r.json().path("mode").asText());
        // Whatever the temp filesystem supports, source and target share it, so a hardlink at worst.
        assertEquals(Trees.FILES.size(), m.path("reflink").path("files").asLong()
                + m.path("hardlink").path("files").asLong(), r.describe());
        assertEquals(0, m.path("copy").path("files").asLong(), r.describe());
        Trees.assertSameContent(src, dst);
    }

    @Test
    void linkingATreeIntoItselfFails() throws IOException {
        Path src = Trees.create(tmp.resolve("src"));

        Cli.Result r = Cli.run("link", "--mode", "copy", src.toString(), src.resolve("inner").toString());

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.describe());
        assertTrue(r.err().contains("into itself"), r.describe());
        assertFalse(Files.exists(src.resolve("inner")));
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
