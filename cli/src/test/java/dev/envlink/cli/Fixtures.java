package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Packages and helpers for the environment command tests: the project's example packages, the
 * shared conformance corpus, checksums, tree snapshots, and {@link Envlink}, which runs envlink
 * with a private package cache and an empty configuration file (never the user's).
 */
final class Fixtures {
    /** The example packages' names in the cache ({@code name-version-build}). */
    static final String HELLO = "hello-1.0-0";
    static final String HELLO_DATA = "hello-data-1.0-0";
    /** Regular files the two example packages place by linking (bin/hello is rewritten instead). */
    static final List<String> LINKED_FILES = List.of("share/hello/README.txt", "lib/libhello.so.1",
            "share/hello-data/greeting.txt", "share/hello-data/big.txt");
    /** The file holding the prefix placeholder. */
    static final String REWRITTEN_FILE = "bin/hello";
    /** The symlink of the hello package. */
    static final String SYMLINK = "lib/libhello.so";

    private Fixtures() {
    }

    /** {@code examples/packages} of the project (tests run in the module directory). */
    static Path examples() {
        for (Path p : List.of(Path.of("../examples/packages"), Path.of("examples/packages"))) {
            if (Files.isRegularFile(p.resolve(HELLO + ".conda"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new AssertionError("examples/packages not found from " + Path.of("").toAbsolutePath());
    }

    static Path hello() {
        return examples().resolve(HELLO + ".conda");
    }

    static Path helloData() {
        return examples().resolve(HELLO_DATA + ".tar.bz2");
    }

    /**
     * The conformance corpus' packages ({@code ../../shared/conformance/packages} from the module
     * directory, or {@code -Denvlink.conformance=DIR}). Missing: the test is skipped, or failed
     * under ENVLINK_REQUIRE_FS_TESTS=1.
     */
    static Path conformancePackages() {
        Path p = Path.of(System.getProperty("envlink.conformance", "../../shared/conformance")).resolve("packages")
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            String why = "conformance corpus missing at " + p;
            if ("1".equals(System.getenv("ENVLINK_REQUIRE_FS_TESTS"))) {
                throw new AssertionError(why + " (ENVLINK_REQUIRE_FS_TESTS=1)");
            }
            Assumptions.abort(why);
        }
        return p;
    }

    /** Every .conda and .tar.bz2 file of a directory, sorted. */
    static List<Path> archives(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (Files.isRegularFile(p) && (n.endsWith(".conda") || n.endsWith(".tar.bz2"))) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    static String distOf(Path archive) {
        String n = archive.getFileName().toString();
        return n.endsWith(".conda") ? n.substring(0, n.length() - ".conda".length())
                : n.substring(0, n.length() - ".tar.bz2".length());
    }

    static String sha256(Path file) throws IOException {
        return digest("SHA-256", file);
    }

    static String md5(Path file) throws IOException {
        return digest("MD5", file);
    }

    private static String digest(String algorithm, Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Everything under root (itself excluded) as relative path to a description: {@code d} for
     * directories, {@code l -> target} for symlinks, {@code f <sha256> <mode>} for files. Two equal
     * snapshots mean nothing was added, removed or changed.
     */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "l -> " + Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.put(rel, "d");
                } else {
                    out.put(rel, "f " + sha256(p) + " " + Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                }
            }
        }
        return out;
    }

    /** The names of the package records in conda-meta/ (none when there is no conda-meta). */
    static List<String> records(Path prefix) throws IOException {
        Path meta = prefix.resolve("conda-meta");
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(meta)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(meta, "*.json")) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".")) {
                    out.add(p.getFileName().toString());
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Regular files and symlinks of the prefix outside conda-meta/, relative paths, sorted. */
    static List<String> payload(Path prefix) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(prefix)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(prefix)) {
            s.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> prefix.relativize(p).toString().replace('\\', '/'))
                    .filter(r -> !r.startsWith("conda-meta/"))
                    .sorted().forEach(out::add);
        }
        return out;
    }

    /** The names in {@code list --prefix P --json}. */
    static List<String> listedNames(Path prefix) {
        Cli.Result r = Cli.run("list", "--prefix", prefix.toString(), "--json");
        assertEquals(ExitCodes.OK, r.exitCode(), r.describe());
        List<String> names = new ArrayList<>();
        r.json().path("packages").forEach(p -> names.add(p.path("name").asText()));
        return names;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Runs {@code P/bin/hello} and returns its stdout; fails the test unless it exits 0. */
    static String runHello(Path prefix) throws IOException, InterruptedException {
        Path exe = prefix.resolve(REWRITTEN_FILE);
        assertTrue(Files.isExecutable(exe), exe + " is not executable");
        Process p = new ProcessBuilder(exe.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), exe + " timed out");
        assertEquals(0, p.exitValue(), exe + " failed:\n" + out);
        return out;
    }

    /** envlink with {@code --cache-dir} and {@code --config} (an empty YAML file) on every cache-using command. */
    record Envlink(Path cacheDir, Path config) {

        /** A cache at {@code dir/cache} (created on first use) and an empty config at {@code dir/config.yaml}. */
        static Envlink in(Path dir) {
            try {
                Files.createDirectories(dir);
                Path config = dir.resolve("config.yaml");
                if (!Files.exists(config)) {
                    Files.writeString(config, "# empty: envlink's defaults\n");
                }
                return new Envlink(dir.resolve("cache"), config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Runs {@code args} followed by {@code --cache-dir DIR --config FILE}. */
        Cli.Result run(String... args) {
            List<String> all = new ArrayList<>(Arrays.asList(args));
            all.addAll(List.of("--cache-dir", cacheDir.toString(), "--config", config.toString()));
            return Cli.run(all.toArray(String[]::new));
        }

        /** Runs and asserts the exit code. */
        Cli.Result expect(int exitCode, String... args) {
            Cli.Result r = run(args);
            assertEquals(exitCode, r.exitCode(), r.describe());
            return r;
        }

        /** {@code install --prefix P} of the two example packages; exit 0 asserted. */
        Cli.Result installExamples(Path prefix, String... extra) {
            List<String> all = new ArrayList<>(List.of("install", "--prefix", prefix.toString()));
            all.addAll(Arrays.asList(extra));
            all.add(hello().toString());
            all.add(helloData().toString());
            return expect(ExitCodes.OK, all.toArray(String[]::new));
        }

        Path entry(String dist) {
            return cacheDir.resolve("pkgs").resolve(dist);
        }

        /** The dists of {@code cache list --json}. */
        List<String> cachedDists() {
            Cli.Result r = expect(ExitCodes.OK, "cache", "list", "--json");
            List<String> out = new ArrayList<>();
            r.json().path("packages").forEach(p -> out.add(p.path("dist").asText()));
            out.sort(null);
            return out;
        }
    }
}
