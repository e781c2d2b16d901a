package dev.envlink.cache.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import dev.envlink.testing.conda.CondaPackageBuilder;
import dev.envlink.testing.conda.RawEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malicious and broken archives: the right exception, naming the archive and the entry, and
 * nothing written outside the destination (a canary directory beside it stays as it was, and
 * absolute targets under /tmp are not created).
 */
class MaliciousArchiveTest {
    @TempDir
    Path tmp;
    Path dest;
    Path canary;
    Path canaryFile;
    /** An absolute path outside everything, that no test may create. */
    Path evil;
    TreeSnapshot canaryBefore;

    private final PackageExtractor extractor = new PackageExtractor(ExtractLimits.defaults());

    @BeforeEach
    void setUp() throws IOException {
        dest = Files.createDirectories(tmp.resolve("stage/dest"));
        canary = Files.createDirectories(tmp.resolve("stage/canary"));
        canaryFile = Files.writeString(canary.resolve("file"), "canary\n");
        evil = Path.of("/tmp/evil-" + UUID.randomUUID());
        canaryBefore = TreeSnapshot.of(canary);
    }

    @AfterEach
    void nothingOutside() throws IOException {
        assertFalse(Files.exists(evil, LinkOption.NOFOLLOW_LINKS), evil + " was created");
        assertEquals(canaryBefore, TreeSnapshot.of(canary), "the canary beside the destination changed");
        try (Stream<Path> s = Files.list(tmp.resolve("stage"))) {
            assertEquals(List.of("canary", "dest"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("canary\n", Files.readString(canaryFile));
    }

    private static CondaPackageBuilder pkg() {
        return CondaPackageBuilder.create("evil", "1.0", "0").file("ok.txt", "fine");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A case: what to add to the package, the entry the exception must name, words of the problem. */
    record Case(String label, Function<MaliciousArchiveTest, CondaPackageBuilder> build, String entry,
            Class<? extends PackageFormatException> type, String problem) {
        @Override
        public String toString() {
            return label;
        }
    }

    static Stream<Arguments> cases() {
        List<Case> cases = List.of(
                new Case("absolute path", t -> pkg().raw(RawEntry.file(t.evil.toString(), bytes("x"))),
                        null, UnsafeArchiveException.class, "absolute"),
                new Case("dot-dot", t -> pkg().raw(RawEntry.file("../canary/file", bytes("pwned"))),
                        "../canary/file", UnsafeArchiveException.class, ".."),
                new Case("dot-dot inside", t -> pkg().raw(RawEntry.file("a/b/../../../canary/x", bytes("pwned"))),
                        "a/b/../../../canary/x", UnsafeArchiveException.class, ".."),
                new Case("symlink then write through it (absolute)", t -> pkg()
                        .raw(RawEntry.symlink("lib", t.canary.toString()))
                        .raw(RawEntry.file("lib/file", bytes("pwned"))),
                        "lib/file", UnsafeArchiveException.class, "symlink"),
                new Case("symlink then write through it (relative)", t -> pkg()
                        .raw(RawEntry.symlink("lib", "../canary"))
                        .raw(RawEntry.file("lib/new", bytes("pwned"))),
                        "lib/new", UnsafeArchiveException.class, "symlink"),
                new Case("symlink to /etc then lib/passwd", t -> pkg()
                        .raw(RawEntry.symlink("lib", "/etc"))
                        .raw(RawEntry.file("lib/passwd", bytes("root::0:0::/:/bin/sh\n"))),
                        "lib/passwd", UnsafeArchiveException.class, "symlink"),
                new Case("nested symlink then directory through it", t -> pkg()
                        .raw(RawEntry.symlink("a/b", t.canary.toString()))
                        .raw(RawEntry.directory("a/b/c/")),
                        "a/b/c/", UnsafeArchiveException.class, "symlink"),
                new Case("symlink then hard link through it", t -> pkg()
                        .raw(RawEntry.symlink("lib", "../canary"))
                        .raw(RawEntry.hardlink("lib/link", "ok.txt")),
                        "lib/link", UnsafeArchiveException.class, "symlink"),
                new Case("symlink then symlink through it", t -> pkg()
                        .raw(RawEntry.symlink("lib", "../canary"))
                        .raw(RawEntry.symlink("lib/link", "/etc/passwd")),
                        "lib/link", UnsafeArchiveException.class, "symlink"),
                new Case("hard link to an absolute path", t -> pkg().raw(RawEntry.hardlink("h", "/etc/passwd")),
                        "h", UnsafeArchiveException.class, "absolute"),
                new Case("hard link out with dot-dot", t -> pkg().raw(RawEntry.hardlink("h", "../canary/file")),
                        "h", UnsafeArchiveException.class, ".."),
                new Case("hard link to a later entry", t -> pkg().raw(RawEntry.hardlink("h", "later"))
                        .raw(RawEntry.file("later", bytes("x"))),
                        "h", UnsafeArchiveException.class, "not an earlier regular file"),
                new Case("hard link to a symlink", t -> pkg().raw(RawEntry.symlink("s", "/etc/passwd"))
                        .raw(RawEntry.hardlink("h", "s")),
                        "h", UnsafeArchiveException.class, "not an earlier regular file"),
                new Case("hard link to a directory", t -> pkg().raw(RawEntry.directory("d/"))
                        .raw(RawEntry.hardlink("h", "d")),
                        "h", UnsafeArchiveException.class, "not an earlier regular file"),
                new Case("fifo", t -> pkg().raw(RawEntry.fifo("bin/fifo")),
                        "bin/fifo", UnsafeArchiveException.class, "FIFO"),
                new Case("character device", t -> pkg().raw(RawEntry.charDevice("dev/null", 1, 3)),
                        "dev/null", UnsafeArchiveException.class, "character device"),
                new Case("block device", t -> pkg().raw(RawEntry.blockDevice("dev/sda", 8, 0)),
                        "dev/sda", UnsafeArchiveException.class, "block device"),
                new Case("unknown entry type", t -> pkg().raw(RawEntry.ofType("label", 'V')),
                        "label", UnsafeArchiveException.class, "unsupported tar entry type 'V'"),
                new Case("file then directory of the same name", t -> pkg().raw(RawEntry.file("x", bytes("x")))
                        .raw(RawEntry.file("x/y", bytes("y"))),
                        "x/y", PackageFormatException.class, "is a file"),
                new Case("directory then file of the same name", t -> pkg().raw(RawEntry.directory("x/"))
                        .raw(RawEntry.file("x", bytes("y"))),
                        "x", PackageFormatException.class, "directory"),
                new Case("empty symlink target", t -> pkg().raw(RawEntry.symlink("s", "")),
                        "s", PackageFormatException.class, "empty target"),
                new Case("declared size larger than the data (truncated)", t -> pkg()
                        .raw(RawEntry.lyingSize("lie", 1_000_000, bytes("short"))),
                        "lie", PackageFormatException.class, "truncated"),
                new Case("huge GNU long name", t -> pkg().raw(RawEntry.hugeLongName(64L << 20)),
                        null, PackageFormatException.class, "header data"),
                new Case("huge pax record", t -> pkg()
                        .raw(RawEntry.file("p", bytes("p")).pax("comment", "c".repeat(3 << 20))),
                        null, PackageFormatException.class, "header data"));
        return Stream.of(PackageFormat.values()).flatMap(f -> cases.stream().map(c -> Arguments.of(f, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void refused(PackageFormat format, Case c) throws IOException {
        Path archive = Packages.write(c.build().apply(this), format, tmp.resolve("archives"));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> extractor.extract(archive, dest));
        assertInstanceOf(c.type(), e, e.toString());
        assertTrue(e.getMessage().contains(archive.toString()), "names the archive: " + e.getMessage());
        String entry = c.entry() == null && c.label().equals("absolute path") ? evil.toString() : c.entry();
        if (entry != null) {
            assertEquals(entry, e.entry(), e.getMessage());
            assertTrue(e.getMessage().contains(entry), e.getMessage());
        }
        assertTrue(e.getMessage().contains(c.problem()), "'" + c.problem() + "' in: " + e.getMessage());
    }

    @Test
    void symlinkAlreadyInTheDestinationIsNotFollowed() throws IOException {
        for (PackageFormat format : PackageFormat.values()) {
            Path d = Files.createDirectories(dest.resolve(format.name()));
            Files.createSymbolicLink(d.resolve("lib"), canary);
            Path archive = Packages.write(pkg().file("lib/libx.so", "x"), format, tmp.resolve("a-" + format));
            UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class, () -> extractor.extract(archive, d));
            assertEquals("lib/libx.so", e.entry());
            assertTrue(e.getMessage().contains("already in the destination"), e.getMessage());
        }
    }

    @Test
    void laterEntryReplacesASymlinkWithoutWritingThroughIt() throws IOException {
        for (PackageFormat format : PackageFormat.values()) {
            Path d = Files.createDirectories(dest.resolve(format.name()));
            Path archive = Packages.write(pkg()
                    .raw(RawEntry.symlink("x", canaryFile.toString()))
                    .raw(RawEntry.file("x", bytes("replaced"))), format, tmp.resolve("b-" + format));
            extractor.extract(archive, d);
            assertFalse(Files.isSymbolicLink(d.resolve("x")));
            assertEquals("replaced", Files.readString(d.resolve("x")));
        }
    }

    @Test
    void setuidSetgidAndStickyBitsAreDropped() throws IOException {
        Path archive = pkg().raw(RawEntry.file("bin/su", bytes("su")).mode(06755))
                .raw(RawEntry.directory("tmpdir/").mode(01777)).writeConda(tmp.resolve("c"));
        extractor.extract(archive, dest);
        assertEquals(0755, TreeSnapshot.node(dest.resolve("bin/su")).mode());
        assertEquals(0777, TreeSnapshot.node(dest.resolve("tmpdir")).mode());
    }

    @Test
    void infoFailureIsReportedWhilePkgRunsInParallel() throws IOException {
        Path archive = pkg().zeroFile("big", 64L << 20, 0644)
                .rawInfo(RawEntry.file("../canary/info-escape", bytes("x")))
                .writeConda(tmp.resolve("d"));
        UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class, () -> extractor.extract(archive, dest));
        assertEquals("../canary/info-escape", e.entry());
    }

    // ---- broken containers and streams ------------------------------------------------------------

    private PackageFormatException broken(Path archive) {
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> extractor.extract(archive, dest));
        assertTrue(e.getMessage().contains(archive.toString()), e.getMessage());
        assertFalse(e instanceof UnsafeArchiveException, e.toString());
        return e;
    }

    private static CondaPackageBuilder payload() {
        CondaPackageBuilder b = CondaPackageBuilder.create("broken", "1.0", "0").bzip2BlockSize(1);
        java.util.Random r = new java.util.Random(5);
        for (int i = 0; i < 8; i++) {
            byte[] data = new byte[60_000];
            r.nextBytes(data);
            b.file("share/f" + i, data, 0644);
        }
        return b;
    }

    @Test
    void condaWithoutPkgOrInfoComponent() throws IOException {
        // Metadata-only packages are real (conformance: info-only-1.0.0-0.conda): no payload, no error.
        extractor.extract(payload().omitPkgComponent().writeConda(tmp.resolve("e1")), dest);
        assertTrue(Files.isRegularFile(dest.resolve("info/index.json")));
        assertFalse(Files.exists(dest.resolve("share")));
        PackageFormatException e = broken(payload().omitInfoComponent().writeConda(tmp.resolve("e2")));
        assertTrue(e.getMessage().contains("no info-broken-1.0-0.tar.zst component"), e.getMessage());
    }

    @Test
    void condaComponentsUnderADirectoryPrefixWithoutMetadataJsonAndZip64() throws IOException {
        extractor.extract(payload().zipDirectoryPrefix("Users/someone/Downloads/x/").omitMetadataJson().zip64()
                .writeConda(tmp.resolve("ok")), dest);
        assertEquals(60_000, Files.size(dest.resolve("share/f7")));
    }

    @Test
    void truncatedAndCorruptStreams() throws IOException {
        for (PackageFormat f : PackageFormat.values()) {
            Map<String, CondaPackageBuilder> variants = Map.of(
                    "truncated-compressed", payload().truncateCompressed(5000),
                    "corrupt-compressed", payload().corruptCompressedAt(3000),
                    "truncated-tar", payload().truncateTar(70_000),
                    "garbage-pkg", payload().replacePkgComponent(bytes("this is not zstd at all")));
            for (Map.Entry<String, CondaPackageBuilder> v : variants.entrySet()) {
                if (f == PackageFormat.TAR_BZ2 && v.getKey().equals("garbage-pkg")) {
                    continue;
                }
                Path d = Files.createDirectories(dest.resolve(f + "-" + v.getKey()));
                Path archive = Packages.write(v.getValue(), f, tmp.resolve(f + "-" + v.getKey()));
                PackageFormatException e = assertThrows(PackageFormatException.class,
                        () -> extractor.extract(archive, d), v.getKey() + " " + f);
                assertTrue(e.getMessage().contains(archive.toString()), e.getMessage());
                assertFalse(e instanceof UnsafeArchiveException, e.toString());
                String m = e.getMessage();
                assertTrue(m.contains("corrupt") || m.contains("truncated") || m.contains("CRC"),
                        v.getKey() + " " + f + ": " + m);
            }
        }
    }

    @Test
    void garbageAndEmptyFiles() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("g"));
        for (String name : List.of("garbage-1-0.conda", "garbage-1-0.tar.bz2")) {
            Path p = Files.writeString(dir.resolve(name), "definitely not a package ".repeat(100));
            broken(p);
            Path empty = Files.write(dir.resolve("empty-" + name), new byte[0]);
            broken(empty);
        }
        // a gzip file under a .tar.bz2 name, and a .tar.bz2 under a .conda name
        Path gz = dir.resolve("gz-1-0.tar.bz2");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(bytes("hello"));
        }
        assertTrue(broken(gz).getMessage().contains("bzip2"));
        Path bz = payload().writeTarBz2(dir);
        Path renamed = Files.copy(bz, dir.resolve("renamed-1-0.conda"));
        assertTrue(broken(renamed).getMessage().contains("ZIP"));
    }
}
