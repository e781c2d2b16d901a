package dev.envlink.cli;

import static dev.envlink.cli.Fixtures.HELLO;
import static dev.envlink.cli.Fixtures.HELLO_DATA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * install --lockfile with a pixi lock file (format v6, laid out like rattler's v6 test cases)
 * whose packages live at https://conda.anaconda.org/example/noarch/..., fetched offline through
 * a --mirror to a file:// directory. Linux only: bin/hello is a shell script.
 */
@EnabledOnOs(OS.LINUX)
class LockFileInstallTest {
    private static final String CHANNEL = "https://conda.anaconda.org/example";
    private static final String HELLO_URL = CHANNEL + "/noarch/" + HELLO + ".conda";
    private static final String HELLO_DATA_URL = CHANNEL + "/noarch/" + HELLO_DATA + ".tar.bz2";
    private static final String PYPI_URL = "https://files.pythonhosted.org/packages/f9/9b/"
            + "335f9764261e915ed497fcdeb11df5dfd6f7bf257d4a6a2a686d80da4d54/requests-2.32.3-py3-none-any.whl";

    /** A v6 lock file: one environment, linux-64, the two example packages and a PyPI package. */
    static String lockFile(String helloDataSha256) throws IOException {
        return "version: 6\n"
                + "environments:\n"
                + "  default:\n"
                + "    channels:\n"
                + "    - url: " + CHANNEL + "/\n"
                + "    indexes:\n"
                + "    - https://pypi.org/simple\n"
                + "    packages:\n"
                + "      linux-64:\n"
                + "      - conda: " + HELLO_URL + "\n"
                + "      - conda: " + HELLO_DATA_URL + "\n"
                + "      - pypi: " + PYPI_URL + "\n"
                + "packages:\n"
                + "- conda: " + HELLO_URL + "\n"
                + "  sha256: " + Fixtures.sha256(Fixtures.hello()) + "\n"
                + "  md5: " + Fixtures.md5(Fixtures.hello()) + "\n"
                + "  depends:\n"
                + "  - hello-data\n"
                + "  license: BSD-3-Clause\n"
                + "  size: " + Files.size(Fixtures.hello()) + "\n"
                + "  timestamp: 1704164645000\n"
                + "- conda: " + HELLO_DATA_URL + "\n"
                + "  sha256: " + helloDataSha256 + "\n"
                + "  md5: " + Fixtures.md5(Fixtures.helloData()) + "\n"
                + "  license: BSD-3-Clause\n"
                + "  size: " + Files.size(Fixtures.helloData()) + "\n"
                + "  timestamp: 1704164645000\n"
                + "- pypi: " + PYPI_URL + "\n"
                + "  name: requests\n"
                + "  version: 2.32.3\n"
                + "  sha256: 70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6\n"
                + "  requires_dist:\n"
                + "  - charset-normalizer>=2,<4\n"
                + "  - idna>=2.5,<4\n"
                + "  requires_python: '>=3.8'\n";
    }

    /** A directory laid out like the channel: noarch/ holding both archives. */
    static Path mirror(Path dir) throws IOException {
        Path noarch = Files.createDirectories(dir.resolve("noarch"));
        Files.copy(Fixtures.hello(), noarch.resolve(Fixtures.hello().getFileName()));
        Files.copy(Fixtures.helloData(), noarch.resolve(Fixtures.helloData().getFileName()));
        return dir;
    }

    @Test
    void installsOfflineThroughAFileMirrorAndListsThePypiPackage(@TempDir Path tmp) throws Exception {
        Fixtures.Envlink envlink = Fixtures.Envlink.in(tmp);
        Path prefix = tmp.resolve("env");
        Path lock = tmp.resolve("pixi.lock");
        Files.writeString(lock, lockFile(Fixtures.sha256(Fixtures.helloData())));
        String mirror = CHANNEL + "=" + mirror(tmp.resolve("mirror")).toUri();

        Cli.Result r = envlink.expect(ExitCodes.OK, "install", "--prefix", prefix.toString(), "--lockfile",
                lock.toString(), "--platform", "linux-64", "--mirror", mirror);

        assertTrue(r.out().contains("  + " + HELLO), r.describe());
        assertTrue(r.out().contains("  + " + HELLO_DATA), r.describe());
        assertTrue(r.out().contains("not installed (pypi): requests"), "the PyPI package must be reported: " + r.describe());
        assertEquals(List.of("hello", "hello-data"), Fixtures.listedNames(prefix));
        assertEquals("hello from " + prefix, Fixtures.runHello(prefix).lines().findFirst().orElseThrow());

        // Records name where the package comes from, not the mirror, with the lock file's checksums.
        JsonNode record = new ObjectMapper().readTree(prefix.resolve("conda-meta/" + HELLO + ".json").toFile());
        assertEquals(HELLO_URL, record.path("url").asText(), record.toString());
        assertEquals(CHANNEL, record.path("channel").asText(), record.toString());
        assertEquals(Fixtures.sha256(Fixtures.hello()), record.path("sha256").asText(), record.toString());
        envlink.expect(ExitCodes.OK, "verify", "--prefix", prefix.toString());

        // Again, as JSON: both unchanged, the PyPI package still listed as not installed.
        Cli.Result again = envlink.expect(ExitCodes.OK, "install", "--prefix", prefix.toString(), "--lockfile",
                lock.toString(), "--platform", "linux-64", "--mirror", mirror, "--json");
        JsonNode j = again.json();
        assertEquals(List.of(HELLO, HELLO_DATA), Fixtures.texts(j.path("unchanged")), again.describe());
        assertEquals(1, j.path("unsupported").size(), again.describe());
        JsonNode pypi = j.path("unsupported").path(0);
        assertEquals("pypi", pypi.path("kind").asText(), again.describe());
        assertEquals("requests", pypi.path("name").asText(), again.describe());
        assertEquals(PYPI_URL, pypi.path("location").asText(), again.describe());
        assertTrue(pypi.path("reason").asText().contains("pip"), again.describe());
    }

    @Test
    void wrongSha256InTheLockInstallsNothing(@TempDir Path tmp) throws Exception {
        Fixtures.Envlink envlink = Fixtures.Envlink.in(tmp);
        Path prefix = tmp.resolve("env");
        Path lock = tmp.resolve("pixi.lock");
        String wrong = "5f".repeat(32);
        String actual = Fixtures.sha256(Fixtures.helloData());
        Files.writeString(lock, lockFile(wrong));
        String mirror = CHANNEL + "=" + mirror(tmp.resolve("mirror")).toUri();

        Cli.Result r = envlink.run("install", "--prefix", prefix.toString(), "--lockfile", lock.toString(),
                "--platform", "linux-64", "--mirror", mirror);

        assertEquals(ExitCodes.FAILURE, r.exitCode(), r.describe());
        assertTrue(r.err().contains(HELLO_DATA + ".tar.bz2"), "the message names the file: " + r.describe());
        assertTrue(r.err().contains(wrong), "the message gives the expected sha256: " + r.describe());
        assertTrue(r.err().contains(actual), "the message gives the actual sha256: " + r.describe());
        assertFalse(r.err().contains("Exception"), "one clear line, no stack trace: " + r.describe());
        assertEquals(List.of(), Fixtures.records(prefix), "nothing may be installed");
        assertEquals(List.of(), Fixtures.payload(prefix), "nothing may be placed");
        assertFalse(envlink.cachedDists().contains(HELLO_DATA), "the cache must not keep the mismatching package");
        assertFalse(Files.exists(envlink.entry(HELLO_DATA)));
        assertFalse(Files.exists(envlink.cacheDir().resolve("pkgs/" + HELLO_DATA + ".tar.bz2")));
        // What the download left behind is not a damaged entry either.
        envlink.expect(ExitCodes.OK, "cache", "verify");
    }
}
