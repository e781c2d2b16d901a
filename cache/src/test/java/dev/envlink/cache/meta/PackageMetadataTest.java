package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every archive of the conformance corpus, extracted by conda's own cph, read back. */
@DisabledOnOs(OS.WINDOWS)
class PackageMetadataTest {

    @TempDir
    Path tmp;

    static Stream<String> archives() throws IOException {
        return Corpus.archives().stream().map(p -> p.getFileName().toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("archives")
    void everyCorpusPackage(String archive) throws Exception {
        Path pkg = Corpus.extract(Corpus.packages().resolve(archive), tmp);
        PackageMetadata m = PackageMetadata.read(pkg);

        // the file name is name-version-build
        String dist = archive.replaceFirst("(\\.tar\\.bz2|\\.conda)$", "");
        assertEquals(dist, m.index().dist());
        assertEquals(Optional.empty(), m.repodataRecord());

        // every listed path is there as described
        for (PathEntry e : m.paths().paths()) {
            Path f = pkg.resolve(e.path());
            switch (e.type()) {
                case SOFTLINK -> assertTrue(Files.isSymbolicLink(f), e.path());
                case DIRECTORY -> assertTrue(Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS), e.path());
                case HARDLINK -> {
                    assertTrue(Files.isRegularFile(f), e.path());
                    if (e.sizeInBytes() != null) {
                        assertEquals(e.sizeInBytes(), Files.size(f), e.path());
                    }
                    if (e.sha256() != null) {
                        assertEquals(e.sha256(), sha256(f), e.path());
                    }
                }
                default -> throw new AssertionError(e.type());
            }
        }
        boolean hasPathsJson = Files.exists(pkg.resolve("info/paths.json"));
        if (!hasPathsJson && !Files.exists(pkg.resolve("info/files"))) {
            assertEquals(PathsJson.empty(), m.paths());
        }
        assertEquals(Files.exists(pkg.resolve("info/link.json")), m.link().isPresent());
        if (m.index().noarch() != null && m.link().isPresent()) {
            assertEquals(m.index().noarch(), m.link().get().noarchType());
        }
    }

    @Test
    void caCertificates() throws Exception {
        PackageMetadata m = PackageMetadata.read(extract("ca-certificates-2024.7.4-hbcca054_0.conda"));
        assertEquals("ca-certificates", m.index().name());
        assertEquals("linux-64", m.index().subdir());
        assertEquals("linux", m.index().platform());
        assertEquals("x86_64", m.index().arch());
        assertEquals(List.of(
                new PathEntry("ssl/cacert.pem", PathType.HARDLINK,
                        "488ba960602bf07cc63f4ef7aec108692fec41820fc3328a8e3f3de038149aee", 291528L, null, null, false),
                // a softlink's hash and size are those of the file it points to
                new PathEntry("ssl/cert.pem", PathType.SOFTLINK,
                        "488ba960602bf07cc63f4ef7aec108692fec41820fc3328a8e3f3de038149aee", 291528L, null, null, false)),
                m.paths().paths());
    }

    @Test
    void noarchPythonPackage() throws Exception {
        PackageMetadata m = PackageMetadata.read(extract("clobber-pynoarch-1-0.1.0-pyh4616a5c_0.tar.bz2"));
        assertEquals("python", m.index().noarch());
        assertTrue(m.link().orElseThrow().isNoarchPython());
        assertEquals(List.of("site-packages/clobber/clobber.py"), m.paths().paths().stream().map(PathEntry::path).toList());
    }

    @Test
    void symlinkPackage() throws Exception {
        PackageMetadata m = PackageMetadata.read(extract("symlink-test-1.0.0-0.conda"));
        assertEquals(PathsJson.empty(), m.paths()); // neither paths.json nor files
        assertEquals(Optional.empty(), m.link());
    }

    @Test
    void infoOnlyPackage() throws Exception {
        PackageMetadata m = PackageMetadata.read(extract("info-only-1.0.0-0.conda"));
        assertEquals(new IndexJson("info-only", "1.0.0", "0", 0, List.of(), List.of(), null, null, null, null, null,
                null, Map.of("name", "info-only", "version", "1.0.0", "build", "0", "build_number", 0L)), m.index());
        assertEquals(PathsJson.empty(), m.paths());
    }

    @Test
    void clobberWithSymlink() throws Exception {
        PackageMetadata m = PackageMetadata.read(extract("clobber-with-symlink-a-0.1.0-h4616a5c_0.conda"));
        assertEquals(PathType.SOFTLINK, m.paths().find("lib/clobber.so").orElseThrow().type());
        assertEquals(PathType.HARDLINK, m.paths().find("lib/clobber-2.txt").orElseThrow().type());
    }

    @Test
    void readsRepodataRecordWhenPresent() throws Exception {
        Path pkg = extract("empty-0.1.0-h4616a5c_0.conda");
        PackageMetadata m = PackageMetadata.read(pkg);
        RepodataRecord.fromIndex(m.index(), "empty-0.1.0-h4616a5c_0.conda", "file:///x", "file:///", null, null, 1538)
                .write(pkg.resolve("info"));
        assertEquals("file:///x", PackageMetadata.read(pkg).repodataRecord().orElseThrow().url());
    }

    @Test
    void brokenIndexNamesPackageAndFile() throws Exception {
        Path pkg = extract("clobber-fd-1-0.1.0-h4616a5c_0.conda");
        Files.writeString(pkg.resolve("info/index.json"), "{\"name\": \"clobber-fd-1\",\n \"version\": }");
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> PackageMetadata.read(pkg));
        assertTrue(e.getMessage().startsWith(pkg.toAbsolutePath() + ": info/index.json: malformed JSON at line 2 column"),
                e.getMessage());
    }

    @Test
    void brokenPathsNamesPackageAndFile() throws Exception {
        Path pkg = extract("clobber-fd-1-0.1.0-h4616a5c_0.conda");
        Files.writeString(pkg.resolve("info/paths.json"),
                "{\"paths_version\": 1, \"paths\": [{\"_path\": \"../outside\", \"path_type\": \"hardlink\"}]}");
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> PackageMetadata.read(pkg));
        assertEquals("info/paths.json", e.entry());
        assertTrue(e.getMessage().contains("unsafe path \"../outside\""), e.getMessage());
    }

    @Test
    void missingIndex() throws IOException {
        Path pkg = tmp.resolve("x-1-0");
        Files.createDirectories(pkg.resolve("info"));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> PackageMetadata.read(pkg));
        assertEquals("info/index.json", e.entry());
        assertFalse(e.getMessage().isEmpty());
    }

    private Path extract(String archive) throws Exception {
        return Corpus.extract(Corpus.packages().resolve(archive), tmp);
    }

    private static String sha256(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
