package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** envlink du on hardlinked and copied installs in the temporary directory (ext4 on Linux CI). */
@EnabledOnOs(OS.LINUX)
class DuCommandTest {

    @Test
    void hardlinkedInstallSharesItsLinkedBytes(@TempDir Path tmp) throws IOException {
        Fixtures.Envlink envlink = Fixtures.Envlink.in(tmp);
        Path linked = tmp.resolve("linked");
        Path copied = tmp.resolve("copied");
        JsonNode install = envlink.installExamples(linked, "--json").json();
        long hardlinkedBytes = install.path("link").path("methods").path("hardlink").path("bytes").asLong();
        assertTrue(hardlinkedBytes > 200_000, "big.txt must have been hardlinked: " + install);
        envlink.installExamples(copied, "--link-mode", "copy", "--strict");

        Cli.Result r = Cli.run("du", "--prefix", linked.toString(), "--prefix", copied.toString(), "--json");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        JsonNode envs = r.json().path("environments");
        assertEquals(2, envs.size(), r.describe());

        JsonNode l = envs.path(0);
        assertEquals(linked.toString(), l.path("prefix").asText(), r.describe());
        assertEquals(apparentSize(linked), l.path("apparentBytes").asLong(), r.describe());
        assertTrue(l.path("apparentBytes").asLong() > 0, r.describe());
        assertEquals(hardlinkedBytes, l.path("sharedByHardlink").asLong(), r.describe());
        assertEquals(0, l.path("sharedByReflink").asLong(-1), "ext4 has no reflinks: " + r.describe());
        assertEquals(l.path("apparentBytes").asLong() - hardlinkedBytes, l.path("exclusiveBytes").asLong(), r.describe());
        assertEquals(regularFiles(linked), l.path("files").asLong(), r.describe());

        JsonNode c = envs.path(1);
        assertEquals(copied.toString(), c.path("prefix").asText(), r.describe());
        assertEquals(0, c.path("sharedByHardlink").asLong(-1), "copies share nothing: " + r.describe());
        assertEquals(c.path("apparentBytes").asLong(), c.path("exclusiveBytes").asLong(), r.describe());

        Cli.Result text = Cli.run("du", "--prefix", linked.toString());
        assertEquals(ExitCodes.OK, text.exitCode(), text.describe());
        assertTrue(text.out().contains("hardlinked"), text.describe());
        assertTrue(text.out().contains(linked.toString()), text.describe());
    }

    @Test
    void missingPrefixFailsNamingIt(@TempDir Path tmp) {
        Path missing = tmp.resolve("nothing-here");

        Cli.Result r = Cli.run("du", "--prefix", missing.toString());

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.describe());
        assertTrue(r.err().contains(missing.toString()), r.describe());
    }

    private static long apparentSize(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).sum();
        }
    }

    private static long regularFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).count();
        }
    }
}
