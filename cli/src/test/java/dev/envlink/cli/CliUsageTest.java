package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Help, version and command-line errors, run in-process. */
class CliUsageTest {

    static Stream<Arguments> helpCommands() {
        return Stream.of(
                Arguments.of(List.of("--help"), "Usage: envlink", List.of(0, 1, 2, 3, 4)),
                Arguments.of(List.of("-h"), "Usage: envlink", List.of(0, 1, 2, 3, 4)),
                Arguments.of(List.of("install", "--help"), "Usage: envlink install", List.of(0, 1, 2, 3)),
                Arguments.of(List.of("remove", "--help"), "Usage: envlink remove", List.of(0, 1, 2)),
                Arguments.of(List.of("list", "--help"), "Usage: envlink list", List.of(0, 1, 2)),
                Arguments.of(List.of("verify", "--help"), "Usage: envlink verify", List.of(0, 1, 2, 4)),
                Arguments.of(List.of("du", "--help"), "Usage: envlink du", List.of(0, 1, 2)),
                Arguments.of(List.of("cache", "--help"), "Usage: envlink cache", List.of(0, 1, 2, 4)),
                Arguments.of(List.of("cache", "add", "--help"), "Usage: envlink cache add", List.of(0, 1, 2)),
                Arguments.of(List.of("cache", "list", "--help"), "Usage: envlink cache list", List.of(0, 1, 2)),
                Arguments.of(List.of("cache", "verify", "--help"), "Usage: envlink cache verify", List.of(0, 1, 2, 4)),
                Arguments.of(List.of("cache", "clean", "--help"), "Usage: envlink cache clean", List.of(0, 1, 2)),
                Arguments.of(List.of("cache", "dir", "--help"), "Usage: envlink cache dir", List.of(0, 1, 2)),
                Arguments.of(List.of("link", "--help"), "Usage: envlink link", List.of(0, 1, 2, 3)),
                Arguments.of(List.of("probe", "--help"), "Usage: envlink probe", List.of(0, 1, 2)),
                Arguments.of(List.of("info", "--help"), "Usage: envlink info", List.of(0, 1, 2)));
    }

    @ParameterizedTest(name = "envlink {0}")
    @MethodSource("helpCommands")
    void helpExitsZeroAndListsExitCodes(List<String> args, String usageLine, List<Integer> codes) {
        Cli.Result r = Cli.run(args.toArray(String[]::new));

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertTrue(r.out().startsWith(usageLine), r.describe());
        assertTrue(r.out().contains("Exit codes:"), r.describe());
        assertEquals(codes, Cli.exitCodesListed(r.out()), "exit codes listed by " + r.describe());
        assertEquals("", r.err(), "help goes to stdout only");
    }

    @Test
    void topLevelHelpListsEverySubcommand() {
        Cli.Result r = Cli.run("--help");
        for (String sub : List.of("link", "probe", "info")) {
            assertTrue(r.out().matches("(?s).*\\n\\s+" + sub + "\\s+\\S.*"), sub + " missing from " + r.describe());
        }
    }

    @Test
    void linkHelpDocumentsEveryOption() {
        String help = Cli.run("link", "--help").out();
        for (String option : List.of("--mode", "--strict", "--replace", "--jobs", "--json", "SRC", "DST")) {
            assertTrue(help.contains(option), option + " missing from link --help:\n" + help);
        }
        assertTrue(help.contains("auto, reflink, hardlink or copy (default: auto)"), help);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--version", "-V"})
    void versionPrintsTheFilteredProjectVersion(String flag) {
        Cli.Result r = Cli.run(flag);

        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        List<String> lines = r.out().lines().toList();
        // version.properties is filtered by Maven: neither the placeholder nor "unknown" may leak out.
        assertTrue(lines.get(0).matches("envlink \\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), r.describe());
        assertEquals("envlink " + Version.get(), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Java " + System.getProperty("java.version"))),
                r.describe());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("OS ")), r.describe());
    }

    @Test
    void subcommandVersionIsTheSame() {
        assertEquals(Cli.run("--version").out(), Cli.run("info", "--version").out());
    }

    @ParameterizedTest(name = "envlink {0}")
    @MethodSource("usageErrors")
    void commandLineErrorsExitTwo(List<String> args, String expectedInStderr) {
        Cli.Result r = Cli.run(args.toArray(String[]::new));

        assertEquals(ExitCodes.USAGE, r.exitCode(), r.describe());
        assertTrue(r.err().contains(expectedInStderr), r.describe());
        assertEquals("", r.out(), r.describe());
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of(List.of("--bogus"), "Unknown option: '--bogus'"),
                Arguments.of(List.of("link", "--bogus", "a", "b"), "Unknown option: '--bogus'"),
                Arguments.of(List.of("probe", "--frobnicate", "."), "Unknown option: '--frobnicate'"),
                Arguments.of(List.of("info", "-x"), "Unknown option: '-x'"),
                Arguments.of(List.of("nosuchcommand"), "nosuchcommand"),
                Arguments.of(List.of(), "a subcommand is required"),
                Arguments.of(List.of("link", "onlyone"), "DST"),
                Arguments.of(List.of("link", "--mode", "symlink", "a", "b"), "--mode"),
                Arguments.of(List.of("link", "--jobs", "many", "a", "b"), "--jobs"));
    }

    @Test
    void strictWithAutoModeIsAUsageError(@TempDir Path tmp) throws IOException {
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");

        Cli.Result r = Cli.run("link", "--strict", src.toString(), dst.toString());

        assertEquals(ExitCodes.USAGE, r.exitCode(), r.describe());
        assertTrue(r.err().startsWith("envlink: "), r.describe());
        assertTrue(r.err().contains("--strict needs --mode reflink, hardlink or copy"), r.describe());
        assertEquals(1, r.err().lines().count(), "one clear line, no stack trace: " + r.describe());
        assertFalse(Files.exists(dst), "nothing may be linked");

        Cli.Result explicitAuto = Cli.run("link", "--strict", "--mode", "auto", src.toString(), dst.toString());
        assertEquals(ExitCodes.USAGE, explicitAuto.exitCode(), explicitAuto.describe());
        assertFalse(Files.exists(dst), "nothing may be linked");
    }

    @Test
    void zeroJobsIsAUsageError(@TempDir Path tmp) throws IOException {
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("dst");

        Cli.Result r = Cli.run("link", "-j", "0", src.toString(), dst.toString());

        assertEquals(ExitCodes.USAGE, r.exitCode(), r.describe());
        assertTrue(r.err().contains("parallelism must be at least 1"), r.describe());
        assertFalse(Files.exists(dst), "nothing may be linked");
    }

    @Test
    void missingSourceFailsNamingThePath(@TempDir Path tmp) {
        Path src = tmp.resolve("no-such-package");
        Path dst = tmp.resolve("env");

        Cli.Result r = Cli.run("link", src.toString(), dst.toString());

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.describe());
        assertTrue(r.err().startsWith("envlink: " + src), r.describe());
        assertTrue(r.err().contains("does not exist"), r.describe());
        assertFalse(r.err().contains("Exception"), "no stack trace: " + r.describe());
        assertEquals("", r.out(), r.describe());
        assertFalse(Files.exists(dst), "the destination must not be created");
    }

    @Test
    void probeOfAMissingDirectoryFailsNamingIt(@TempDir Path tmp) {
        Path dir = tmp.resolve("nothing-here");

        Cli.Result r = Cli.run("probe", dir.toString());

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.describe());
        assertTrue(r.err().contains(dir.toString()), r.describe());
    }

    @Test
    void caseInsensitiveModes(@TempDir Path tmp) throws IOException {
        Path src = Trees.create(tmp.resolve("src"));
        Cli.Result r = Cli.run("link", "--mode", "COPY", "--json", src.toString(), tmp.resolve("dst").toString());
        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        assertEquals("copy", r.json().path("mode").asText());
    }

    /** The written-out subcommand names are the ones the classes declare. */
    @Test
    void subcommandNamesMatchTheirAnnotations() {
        EnvlinkCommand.SUBCOMMANDS.forEach((name, c) ->
                assertEquals(c.getAnnotation(picocli.CommandLine.Command.class).name(), name, c.getName()));
    }

    /** Only the named subcommand's model is built (picocli reflection is costly); help builds all. */
    @Test
    void onlyTheNamedSubcommandIsBuilt() {
        assertEquals(List.of("install"), List.copyOf(Main.commandLine("install", "--prefix", "x").getSubcommands().keySet()));
        assertEquals(List.copyOf(EnvlinkCommand.SUBCOMMANDS.keySet()),
                List.copyOf(Main.commandLine("--help").getSubcommands().keySet()));
        assertEquals(List.copyOf(EnvlinkCommand.SUBCOMMANDS.keySet()),
                List.copyOf(Main.commandLine("instal").getSubcommands().keySet()), "a typo gets the full tree's advice");
        assertTrue(Main.commandLine("cache", "dir").getSubcommands().get("cache").getSubcommands().containsKey("dir"));
        assertEquals(List.of(), List.copyOf(Main.commandLine("--version").getSubcommands().keySet()),
                "--version needs no subcommand");
        Cli.Result v = Cli.run("--version");
        assertEquals(ExitCodes.OK, v.exitCode(), v.describe());
        assertTrue(v.out().startsWith("envlink "), v.describe());
        assertEquals(List.copyOf(EnvlinkCommand.SUBCOMMANDS.keySet()),
                List.copyOf(Main.commandLine("--version", "install").getSubcommands().keySet()));
    }
}
