package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the shaded cli/target/envlink.jar as a real subprocess (maven-failsafe-plugin, after
 * {@code package}): what users run, with the merged META-INF/services and the jar manifest.
 */
class EnvlinkJarIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String RESTRICTED_WARNING = "WARNING: A restricted method";
    private static final long TIMEOUT_SECONDS = 120;
    /** No standard input for the subprocess; NUL on Windows (the CI matrix runs this there too). */
    private static final String NULL_DEVICE =
            System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null";

    private static Path jar;

    @BeforeAll
    static void findJar() {
        jar = Path.of(System.getProperty("envlink.jar", "target/envlink.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), "the shaded jar must be built before the integration tests: " + jar);
    }

    record Run(List<String> command, int exitCode, String out, String err) {
        JsonNode json() throws IOException {
            return MAPPER.readTree(out);
        }

        String describe() {
            return String.join(" ", command) + " -> exit " + exitCode + "\n--- stdout ---\n" + out
                    + "\n--- stderr ---\n" + err;
        }
    }

    /** The java launcher of the JVM running this test. */
    private static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Run run(Path java, List<String> jvmArgs, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmArgs);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(List.of(args));
        return exec(command);
    }

    private static Run run(String... args) throws IOException, InterruptedException {
        return run(currentJava(), List.of(), args);
    }

    private static Run exec(List<String> command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("envlink-it-", ".out");
        Path err = Files.createTempFile("envlink-it-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File(NULL_DEVICE)));
            pb.environment().remove("JAVA_TOOL_OPTIONS"); // its "Picked up ..." line would pollute stderr
            pb.environment().remove("JDK_JAVA_OPTIONS");
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " timed out; stderr: " + Files.readString(err));
            }
            return new Run(command, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static JsonNode provider(JsonNode info, String id) {
        for (JsonNode p : info.path("providers")) {
            if (p.path("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no provider " + id + " in " + info);
    }

    /** On Linux: linux and portable available; macos and windows listed, unavailable, with their causes. */
    private static void assertLinuxProvidersAvailable(Run r) throws IOException {
        assertEquals(0, r.exitCode(), r.describe());
        JsonNode j = r.json();
        List<String> ids = new ArrayList<>();
        j.path("providers").forEach(p -> ids.add(p.path("id").asText()));
        assertEquals(List.of("linux", "macos", "windows", "portable"), ids, r.describe());
        assertTrue(provider(j, "linux").path("available").asBoolean(false), r.describe());
        assertTrue(provider(j, "linux").path("cause").isNull(), r.describe());
        assertTrue(provider(j, "portable").path("available").asBoolean(false), r.describe());
        assertFalse(provider(j, "macos").path("available").asBoolean(true), r.describe());
        assertEquals("not macOS (os.name=Linux)", provider(j, "macos").path("cause").asText(), r.describe());
        assertFalse(provider(j, "windows").path("available").asBoolean(true), r.describe());
        assertEquals("not Windows (os.name=Linux)", provider(j, "windows").path("cause").asText(), r.describe());
        assertTrue(j.path("loadFailures").isEmpty(), r.describe());
    }

    /** UpgradeOldClassFiles (a build step) left no class file too old for the start-up archive. */
    @Test
    void everyClassFileIsNewEnoughForTheStartupArchive() throws IOException {
        int classes = 0;
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (var e : java.util.Collections.list(jf.entries())) {
                if (!e.getName().endsWith(".class")) {
                    continue;
                }
                byte[] head;
                try (InputStream in = jf.getInputStream(e)) {
                    head = in.readNBytes(8);
                }
                int major = ((head[6] & 0xff) << 8) | (head[7] & 0xff);
                assertTrue(major >= 50, e.getName() + " has class file version " + major);
                classes++;
            }
        }
        assertTrue(classes > 1000, "classes checked: " + classes);
    }

    /** The JVM archives picocli's classes: none needs the old verifier any more. */
    @Test
    void aDynamicArchiveOfARunSkipsNoClassOfTheJarForVerification(@TempDir Path tmp) throws Exception {
        Run r = run(currentJava(), List.of("-XX:ArchiveClassesAtExit=" + tmp.resolve("a.jsa"), "-Xlog:cds=warning"),
                "install", "--help");
        assertEquals(0, r.exitCode(), r.describe());
        String all = r.out() + r.err();
        assertTrue(Files.size(tmp.resolve("a.jsa")) > 0, r.describe());
        assertTrue(all.contains("Usage: envlink install"), all);
        // The JDK's own generated reflection accessors are version 49 too: only the jar's classes count.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "Skipping (\\S+): Failed over class verification|Pre JDK 6 class not supported by CDS: \\S+ (\\S+)")
                .matcher(all);
        List<String> skipped = new ArrayList<>();
        try (JarFile jf = new JarFile(jar.toFile())) {
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                if (jf.getJarEntry(name + ".class") != null) {
                    skipped.add(name);
                }
            }
        }
        assertEquals(List.of(), skipped, all);
        if (Runtime.version().feature() < 18) {
            // The check can see a skip: Java 17's generated accessors are reported in the same run.
            assertTrue(all.contains("Pre JDK 6 class not supported by CDS"), all);
        }
    }

    /**
     * The jar holds the classes each module was just built with: a plain jar left newer than the
     * cli's classes once made shade merge stale copies of other modules' classes ahead of them.
     */
    @Test
    void jarHoldsTheClassesOfEveryModuleAsBuilt() throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Class<?> c : List.of(dev.envlink.link.BatchLinker.class, dev.envlink.link.linux.LinuxLinkProvider.class,
                    dev.envlink.cache.PackageCache.class, dev.envlink.env.Installer.class, Main.class)) {
                String name = c.getName().replace('.', '/') + ".class";
                byte[] built;
                try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
                    built = in.readAllBytes();
                }
                byte[] shaded;
                try (InputStream in = jf.getInputStream(jf.getEntry(name))) {
                    shaded = in.readAllBytes();
                }
                assertTrue(java.util.Arrays.equals(built, shaded), name + " in " + jar + " is not the one its module built");
            }
        }
    }

    @Test
    void jarMergesAllServiceFilesAndSetsTheManifest() throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            var entry = jf.getJarEntry("META-INF/services/dev.envlink.link.LinkProvider");
            assertTrue(entry != null, "services file missing from " + jar);
            List<String> lines;
            try (InputStream in = jf.getInputStream(entry)) {
                lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                        .filter(l -> !l.isEmpty() && !l.startsWith("#")).sorted().toList();
            }
            assertEquals(List.of("dev.envlink.link.PortableLinkProvider", "dev.envlink.link.linux.LinuxLinkProvider",
                    "dev.envlink.link.macos.MacosLinkProvider", "dev.envlink.link.windows.WindowsLinkProvider"), lines);
            for (String c : lines) {
                assertTrue(jf.getJarEntry(c.replace('.', '/') + ".class") != null, c + " is shaded in");
            }
            Manifest mf = jf.getManifest();
            assertEquals("dev.envlink.cli.Main", mf.getMainAttributes().getValue("Main-Class"));
            assertEquals("ALL-UNNAMED", mf.getMainAttributes().getValue("Enable-Native-Access"));
            assertTrue(jf.getJarEntry("picocli/CommandLine.class") != null, "picocli is shaded in");
        }
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void infoJsonFindsAllProvidersWithLinuxAvailable() throws Exception {
        Run r = run("info", "--json");

        assertLinuxProvidersAvailable(r);
        assertEquals(System.getProperty("java.home"), r.json().path("java").path("home").asText());
        assertFalse(r.err().contains(RESTRICTED_WARNING), r.describe());
    }

    @Test
    void noNativeSystemPropertyReachesTheJar() throws Exception {
        Run r = run(currentJava(), List.of("-Denvlink.noNative=true"), "info", "--json");

        assertEquals(0, r.exitCode(), r.describe());
        for (String id : List.of("linux", "macos", "windows")) {
            JsonNode p = provider(r.json(), id);
            assertFalse(p.path("available").asBoolean(true), r.describe());
            assertTrue(p.path("cause").asText().contains("envlink.noNative"), id + ": " + r.describe());
        }
    }

    @Test
    void versionPrintsTheProjectVersion() throws Exception {
        Run r = run("--version");

        assertEquals(0, r.exitCode(), r.describe());
        String expected = System.getProperty("envlink.expectedVersion");
        String first = r.out().lines().findFirst().orElse("");
        if (expected != null) {
            assertEquals("envlink " + expected, first, r.describe());
        }
        assertTrue(first.matches("envlink \\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?"), r.describe());
        assertEquals("", r.err(), r.describe());
    }

    @Test
    void linkATreeAndPropagateExitCodes(@TempDir Path tmp) throws Exception {
        Path src = Trees.create(tmp.resolve("src"));
        Path dst = tmp.resolve("env");

        Run r = run("link", "--mode", "copy", "--json", src.toString(), dst.toString());

        assertEquals(0, r.exitCode(), r.describe());
        assertEquals(Trees.FILES.size(), r.json().path("methods").path("copy").path("files").asLong(), r.describe());
        assertEquals(1, r.json().path("symlinks").asLong(), r.describe());
        Trees.assertSameContent(src, dst);

        // main() must hand the documented exit codes to the OS.
        Run again = run("link", "--mode", "copy", src.toString(), dst.toString());
        assertEquals(1, again.exitCode(), again.describe());
        assertTrue(again.err().contains("--replace"), again.describe());
        Run strictAuto = run("link", "--strict", src.toString(), tmp.resolve("other").toString());
        assertEquals(2, strictAuto.exitCode(), strictAuto.describe());
        Run unknown = run("--no-such-option");
        assertEquals(2, unknown.exitCode(), unknown.describe());
        Run replaced = run("link", "--mode", "copy", "--replace", src.toString(), dst.toString());
        assertEquals(0, replaced.exitCode(), replaced.describe());
        assertTrue(replaced.out().startsWith("Linked " + Trees.FILES.size() + " files"), replaced.describe());
    }

    /** /usr/lib/jvm/temurin-25* with a java launcher, if installed. */
    private static Optional<Path> temurin25() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(jvms, "temurin-25*")) {
            for (Path home : ds) {
                Path java = home.resolve("bin/java");
                if (Files.isExecutable(java)) {
                    return Optional.of(java);
                }
            }
        }
        return Optional.empty();
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void temurin25RunsTheJarWithoutNativeAccessWarnings() throws Exception {
        Optional<Path> java25 = temurin25();
        Assumptions.assumeTrue(java25.isPresent(), "no JVM matching /usr/lib/jvm/temurin-25* is installed");

        Run r = run(java25.get(), List.of(), "info", "--json");

        assertLinuxProvidersAvailable(r);
        assertTrue(r.json().path("java").path("version").asText().startsWith("25"), r.describe());
        assertFalse(r.err().contains(RESTRICTED_WARNING), "Enable-Native-Access must silence JNA's System.load: "
                + r.describe());
        assertEquals("", r.err(), r.describe());

        // Control: without the manifest (plain -cp) the same JVM does warn, so the check above can fail.
        Run viaClassPath = exec(List.of(java25.get().toString(), "-cp", jar.toString(), Main.class.getName(),
                "info", "--json"));
        assertEquals(0, viaClassPath.exitCode(), viaClassPath.describe());
        assertTrue(viaClassPath.err().contains(RESTRICTED_WARNING), viaClassPath.describe());
    }
}
