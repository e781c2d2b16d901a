package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** --help of the environment commands documents their key options and arguments. */
class EnvCommandsHelpTest {

    static Stream<Arguments> commands() {
        return Stream.of(
                Arguments.of("install", List.of("--prefix", "ARCHIVE|URL", "--explicit", "--lockfile", "--environment",
                        "--platform", "--mirror", "--dry-run", "--link-mode", "--strict", "--jobs", "--cache-dir",
                        "--config", "--json", "@EXPLICIT", "rolled back")),
                Arguments.of("remove", List.of("--prefix", "NAME", "--dry-run", "--json", "clobbered")),
                Arguments.of("list", List.of("--prefix", "--json", "conda-meta")),
                Arguments.of("verify", List.of("--prefix", "--repair", "--json", "hardlink into the package cache",
                        "re-extracts")),
                Arguments.of("du", List.of("--prefix", "--json", "repeatable", "FIEMAP", "shared")));
    }

    @ParameterizedTest(name = "envlink {0} --help")
    @MethodSource("commands")
    void helpMentionsTheKeyOptions(String command, List<String> expected) {
        Cli.Result r = Cli.run(command, "--help");

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertTrue(r.out().startsWith("Usage: envlink " + command), r.describe());
        String flat = r.out().replaceAll("\\s+", " ");
        for (String s : expected) {
            assertTrue(flat.contains(s), "'" + s + "' missing from " + r.describe());
        }
        assertTrue(r.out().contains("-p, --prefix=DIR"), r.describe());
    }
}
