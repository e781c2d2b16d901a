package dev.envlink.cache.meta;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared conformance corpus ({@code ../shared/conformance} from the project root; tests run in
 * the module directory, so {@code ../../shared/conformance}; {@code -Denvlink.conformance=DIR}
 * overrides) and extraction of its archives with Debian's {@code cph}.
 *
 * <p>When the corpus or {@code cph} is missing the test is skipped, or fails when
 * {@code ENVLINK_REQUIRE_FS_TESTS=1}.
 */
final class Corpus {
    private Corpus() {
    }

    static Path dir() {
        Path p = Path.of(System.getProperty("envlink.conformance", "../../shared/conformance"));
        if (!Files.isDirectory(p)) {
            unavailable("conformance corpus missing at " + p.toAbsolutePath().normalize());
        }
        return p;
    }

    static Path packageMetadata(String name) {
        return dir().resolve("package-metadata").resolve(name);
    }

    static Path condaMeta() {
        return dir().resolve("conda-meta");
    }

    static Path packages() {
        return dir().resolve("packages");
    }

    static List<Path> archives() throws IOException {
        try (var s = Files.list(packages())) {
            return s.filter(p -> p.toString().endsWith(".conda") || p.toString().endsWith(".tar.bz2")).sorted()
                    .toList();
        }
    }

    private static void unavailable(String why) {
        if ("1".equals(System.getenv("ENVLINK_REQUIRE_FS_TESTS"))) {
            throw new AssertionError(why + " (ENVLINK_REQUIRE_FS_TESTS=1)");
        }
        Assumptions.abort(why);
    }

    /** {@code info/} copied into a fresh package directory {@code tmp/name}, from single files. */
    static Path packageDirWith(Path tmp, String name, Path... infoFiles) throws IOException {
        Path pkg = tmp.resolve(name);
        Files.createDirectories(pkg.resolve("info"));
        for (Path f : infoFiles) {
            String target = f.getFileName().toString().replaceFirst("^.*-(index|paths|link)\\.json$", "$1.json");
            Files.copy(f, pkg.resolve("info").resolve(target));
        }
        return pkg;
    }

    /**
     * Extracts a package archive with {@code cph x ARCHIVE --dest DIR} into {@code tmp/<archive
     * name>} and returns that directory. A {@code .conda} is first re-zipped flat (cph looks its
     * components up by exact name, and one corpus archive nests them in a directory); one without a
     * {@code pkg-} component is extracted with {@code --info}.
     */
    static Path extract(Path archive, Path tmp) throws IOException, InterruptedException {
        String name = archive.getFileName().toString();
        Path dest = tmp.resolve(name.replaceFirst("(\\.tar\\.bz2|\\.conda)$", ""));
        Files.createDirectories(dest);
        List<String> cmd = new ArrayList<>(List.of(cph(), "x"));
        Path input = archive;
        if (name.endsWith(".conda")) {
            // cph derives the component names from the archive's file name: keep it
            input = Files.createDirectories(tmp.resolve("flat")).resolve(name);
            boolean hasPkg = flatten(archive, input);
            if (!hasPkg) {
                cmd.add("--info");
            }
        }
        cmd.addAll(List.of(input.toString(), "--dest", dest.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("cph timed out on " + archive);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("cph failed on " + archive + ":\n" + new String(out, StandardCharsets.UTF_8));
        }
        return dest;
    }

    private static String cphPath;

    private static synchronized String cph() {
        if (cphPath == null) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                Path c = Path.of(dir.isEmpty() ? "." : dir, "cph");
                if (Files.isExecutable(c)) {
                    cphPath = c.toString();
                    break;
                }
            }
            if (cphPath == null) {
                unavailable("cph (conda-package-handling) is not on PATH; apt-get install conda-package-handling");
            }
        }
        return cphPath;
    }

    /** Copies the zip with every entry renamed to its last path segment; true if it has a pkg- part. */
    private static boolean flatten(Path in, Path out) throws IOException {
        boolean hasPkg = false;
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(in));
                ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
            ZipEntry e;
            while ((e = zin.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                String base = e.getName().substring(e.getName().lastIndexOf('/') + 1);
                hasPkg |= base.startsWith("pkg-");
                zout.putNextEntry(new ZipEntry(base));
                copy(zin, zout);
                zout.closeEntry();
            }
        }
        return hasPkg;
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}
