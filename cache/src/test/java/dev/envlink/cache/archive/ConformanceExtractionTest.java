package dev.envlink.cache.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every real package of the conformance corpus, extracted by {@link PackageExtractor} and by
 * Debian's {@code cph x}: the trees must be equal (paths, types, symlink targets, contents, modes,
 * file mtimes, hard-link structure).
 *
 * <p>Intentional differences, handled here: {@code cph} 2.0 cannot find components under a
 * directory prefix inside the ZIP (ca-certificates), so it is given a copy with the prefix removed
 * (same bytes); and {@code cph} refuses a .conda without a pkg component (info-only), as
 * envlink does (rattler also reports its content section missing).
 */
class ConformanceExtractionTest {
    /** Packages that both tools must refuse. */
    private static final Set<String> REFUSED = Set.of("info-only-1.0.0-0.conda");

    @TempDir
    Path tmp;

    static Path corpus() {
        Path p = Path.of(System.getProperty("envlink.conformance", "../../shared/conformance")).resolve("packages");
        if (!Files.isDirectory(p)) {
            if (Cph.required()) {
                throw new AssertionError("conformance corpus missing at " + p.toAbsolutePath());
            }
            Assumptions.abort("conformance corpus missing at " + p.toAbsolutePath());
        }
        return p;
    }

    static List<Path> packages() throws IOException {
        try (Stream<Path> s = Files.list(corpus())) {
            return s.filter(p -> PackageFormat.of(p).isPresent()).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> sameTreeAsCph() throws IOException {
        Cph.assumeInstalled();
        List<Path> all = packages();
        assertTrue(all.size() >= 30, "expected the whole corpus, found " + all);
        return all.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> compare(p)));
    }

    private void compare(Path archive) throws IOException {
        String name = archive.getFileName().toString();
        Path ours = Files.createDirectories(tmp.resolve("ours").resolve(name));
        Path theirs = tmp.resolve("cph").resolve(name);
        PackageExtractor extractor = new PackageExtractor(ExtractLimits.defaults());
        if (REFUSED.contains(name)) {
            // A metadata-only .conda (no pkg- component): cph refuses it, envlink installs it as a
            // package without payload, which is what the package means.
            extractor.extract(archive, ours);
            try (Stream<Path> s = Files.list(ours)) {
                assertEquals(List.of(ours.resolve("info")), s.toList());
            }
            assertTrue(Files.isRegularFile(ours.resolve("info/index.json")));
            Cph.Result r = Cph.extract(archive, theirs);
            assertNotEquals(0, r.exitCode(), "cph accepted " + name + ": " + r.output());
            return;
        }
        ExtractResult result = extractor.extract(archive, ours);
        Path forCph = hasZipDirectoryPrefix(archive) ? withoutZipPrefix(archive) : archive;
        Cph.Result r = Cph.extract(forCph, theirs);
        assertEquals(0, r.exitCode(), () -> "cph x " + forCph + " failed: " + r.output());

        TreeSnapshot a = TreeSnapshot.of(ours);
        TreeSnapshot b = TreeSnapshot.of(theirs);
        assertEquals(strip(b), strip(a), "tree differs from cph's: " + name);
        for (Map.Entry<String, TreeSnapshot.Node> e : a.nodes().entrySet()) {
            TreeSnapshot.Node mine = e.getValue();
            TreeSnapshot.Node cph = b.nodes().get(e.getKey());
            if (mine.type() == TreeSnapshot.Type.FILE) {
                // cph (Python tarfile) sets float seconds; compare to the millisecond
                assertEquals(cph.mtimeMillis(), mine.mtimeMillis(), "mtime of " + e.getKey() + " in " + name);
            }
        }
        assertEquals(hardlinkGroups(b), hardlinkGroups(a), "hard-link structure of " + name);
        long files = a.nodes().values().stream().filter(n -> n.type() == TreeSnapshot.Type.FILE).count();
        long symlinks = a.nodes().values().stream().filter(n -> n.type() == TreeSnapshot.Type.SYMLINK).count();
        long dirs = a.nodes().values().stream().filter(n -> n.type() == TreeSnapshot.Type.DIRECTORY).count();
        assertEquals(files, result.files() + result.hardlinks(), "files counted for " + name);
        assertEquals(symlinks, result.symlinks());
        assertEquals(dirs, result.directories());
    }

    private static Map<String, TreeSnapshot.Node> strip(TreeSnapshot t) {
        Map<String, TreeSnapshot.Node> m = new TreeMap<>();
        t.nodes().forEach((k, v) -> m.put(k, v.withoutTimes()));
        return m;
    }

    /** Paths grouped by inode, only groups of two or more (tar hard links). */
    private static Set<Set<String>> hardlinkGroups(TreeSnapshot t) {
        Map<Object, Set<String>> byInode = new java.util.HashMap<>();
        t.nodes().forEach((k, v) -> {
            if (v.type() == TreeSnapshot.Type.FILE) {
                byInode.computeIfAbsent(v.inode(), x -> new java.util.TreeSet<>()).add(k);
            }
        });
        Set<Set<String>> groups = new java.util.HashSet<>();
        byInode.values().stream().filter(g -> g.size() > 1).forEach(groups::add);
        return groups;
    }

    private static boolean hasZipDirectoryPrefix(Path archive) throws IOException {
        if (PackageFormat.of(archive).orElseThrow() != PackageFormat.CONDA) {
            return false;
        }
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            return zip.stream().anyMatch(e -> !e.isDirectory() && e.getName().contains("/"));
        }
    }

    /** The same ZIP entries (same bytes) at the top level, for cph 2.0 which needs them there. */
    private Path withoutZipPrefix(Path archive) throws IOException {
        Path out = Files.createDirectories(tmp.resolve("flat")).resolve(archive.getFileName());
        try (ZipFile zip = new ZipFile(archive.toFile());
                ZipOutputStream zos = new ZipOutputStream(Files.newOutputStream(out))) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                if (e.isDirectory()) {
                    continue;
                }
                byte[] data;
                try (InputStream in = zip.getInputStream(e)) {
                    data = in.readAllBytes();
                }
                ZipEntry flat = new ZipEntry(e.getName().substring(e.getName().lastIndexOf('/') + 1));
                flat.setMethod(ZipEntry.STORED);
                flat.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                flat.setCrc(crc.getValue());
                zos.putNextEntry(flat);
                zos.write(data);
                zos.closeEntry();
            }
        }
        return out;
    }

    @Test
    void realArchivesWithZipPrefixZip64AndHardlinks() throws IOException {
        corpus();
        PackageExtractor extractor = new PackageExtractor(ExtractLimits.defaults());

        Path ca = Files.createDirectories(tmp.resolve("ca"));
        ExtractResult r = extractor.extract(corpus().resolve("ca-certificates-2024.7.4-hbcca054_0.conda"), ca);
        assertEquals("cacert.pem", Files.readSymbolicLink(ca.resolve("ssl/cert.pem")).toString());
        assertTrue(Files.size(ca.resolve("ssl/cacert.pem")) > 200_000);
        assertTrue(Files.isRegularFile(ca.resolve("info/index.json")));
        assertEquals(1, r.symlinks());

        Path links = Files.createDirectories(tmp.resolve("links"));
        r = extractor.extract(corpus().resolve("symlink-test-1.0.0-0.conda"), links);
        assertEquals(1, r.hardlinks());
        assertEquals(Files.readAttributes(links.resolve("lib/libreal.so.1"), "unix:ino").get("ino"),
                Files.readAttributes(links.resolve("lib/libhard.so"), "unix:ino").get("ino"));
        assertEquals("real library bytes", Files.readString(links.resolve("lib/libhard.so")).trim());
        assertEquals("libreal.so.1", Files.readSymbolicLink(links.resolve("lib/liblink.so")).toString());

        Path zip64 = Files.createDirectories(tmp.resolve("zip64"));
        extractor.extract(corpus().resolve("zip64-test-1.0.0-0.conda"), zip64);
        assertTrue(Files.isRegularFile(zip64.resolve("bin/hello.txt")));

        Path dots = Files.createDirectories(tmp.resolve("dots"));
        extractor.extract(corpus().resolve("dotslash-test-1.0.0-0.conda"), dots);
        assertEquals(Set.of("info", "lib"), Set.copyOf(list(dots)));

        Path sparse = Files.createDirectories(tmp.resolve("sparse"));
        extractor.extract(corpus().resolve("sparse-test-1.0.0-0.conda"), sparse);
        assertEquals(150_000, Files.size(sparse.resolve("lib/blob.bin")));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = new ArrayList<>();
            s.forEach(p -> names.add(p.getFileName().toString()));
            return names;
        }
    }
}
