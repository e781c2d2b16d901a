package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathsJsonTest {

    @TempDir
    Path tmp;

    private Path pkgWithPaths(String json) throws IOException {
        Path pkg = tmp.resolve("pkg-1.0-0");
        Files.createDirectories(pkg.resolve("info"));
        Files.writeString(pkg.resolve("info/paths.json"), json);
        return pkg;
    }

    private static String one(String entry) {
        return "{\"paths_version\": 1, \"paths\": [" + entry + "]}";
    }

    private PackageFormatException fails(String json) throws IOException {
        Path pkg = pkgWithPaths(json);
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> PathsJson.read(pkg.resolve("info")));
        assertTrue(e.getMessage().startsWith(pkg + ": info/paths.json: "), e.getMessage());
        return e;
    }

    @Test
    void realCondaPaths() throws IOException {
        Path pkg = Corpus.packageDirWith(tmp, "conda-22.9.0-py38haa244fe_2",
                Corpus.packageMetadata("conda-22.9.0-py38haa244fe_2-paths.json"));
        PathsJson p = PathsJson.read(pkg.resolve("info"));
        assertEquals(1, p.version());
        assertEquals(420, p.paths().size());
        assertTrue(p.paths().stream().allMatch(e -> e.type() == PathType.HARDLINK));
        assertTrue(p.paths().stream().allMatch(e -> e.sha256() != null && e.sha256().length() == 64));
        assertTrue(p.paths().stream().allMatch(e -> e.sizeInBytes() != null));
        assertTrue(p.paths().stream().noneMatch(PathEntry::noLink));

        PathEntry first = p.paths().get(0);
        assertEquals(new PathEntry("Lib/site-packages/conda-22.9.0-py3.8.egg-info/PKG-INFO", PathType.HARDLINK,
                "1323efbd9b3abb527b06435392b39de11710eb3a814e87a8174230c8f5a0826a", 1229L, null, null, false), first);
        PathEntry version = p.find("Lib/site-packages/conda/.version").orElseThrow();
        assertEquals(6L, version.sizeInBytes());
        assertFalse(version.hasPrefix());

        List<PathEntry> withPrefix = p.paths().stream().filter(PathEntry::hasPrefix).toList();
        assertEquals(7, withPrefix.size());
        assertTrue(withPrefix.stream().allMatch(e -> e.fileMode() == FileMode.TEXT));
        PathEntry activate = p.find("Scripts/activate").orElseThrow();
        assertEquals("D:\\bld\\conda_1667595064120\\_h_env", activate.prefixPlaceholder());
        assertEquals(FileMode.TEXT, activate.fileMode());
        assertEquals(213L, activate.sizeInBytes());
        assertEquals("d7148e6a9857b77f56228ed1d88890f47a7d9c206c7d8b5ae272a14a73621876", activate.sha256());
        PathEntry xsh = p.find("Lib/site-packages/xontrib/conda.xsh").orElseThrow();
        assertEquals("D:/bld/conda_1667595064120/_h_env", xsh.prefixPlaceholder());
        assertEquals(List.of("Lib/site-packages/xontrib/conda.xsh", "Scripts/activate", "Scripts/deactivate",
                "etc/fish/conf.d/conda.fish", "etc/profile.d/conda.csh", "etc/profile.d/conda.sh",
                "shell/condabin/conda-hook.ps1"), withPrefix.stream().map(PathEntry::path).toList());
    }

    @Test
    void allFieldsAndTypes() throws IOException {
        Path pkg = pkgWithPaths("""
                {"paths_version": 1, "paths": [
                  {"_path": "bin/tool", "path_type": "hardlink", "sha256": "ab", "size_in_bytes": 3,
                   "prefix_placeholder": "/build/placeholder", "file_mode": "binary"},
                  {"_path": "lib/libx.so", "path_type": "softlink"},
                  {"_path": "share/empty", "path_type": "directory"},
                  {"_path": "etc/conf", "path_type": "hardlink", "no_link": true},
                  {"_path": "etc/script", "path_type": "hardlink", "prefix_placeholder": "/p"}
                ]}
                """);
        PathsJson p = PathsJson.read(pkg.resolve("info"));
        assertEquals(List.of(
                new PathEntry("bin/tool", PathType.HARDLINK, "ab", 3L, "/build/placeholder", FileMode.BINARY, false),
                new PathEntry("lib/libx.so", PathType.SOFTLINK, null, null, null, null, false),
                new PathEntry("share/empty", PathType.DIRECTORY, null, null, null, null, false),
                new PathEntry("etc/conf", PathType.HARDLINK, null, null, null, null, true),
                // a placeholder without file_mode is text (what has_prefix implies)
                new PathEntry("etc/script", PathType.HARDLINK, null, null, "/p", FileMode.TEXT, false)), p.paths());
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        Path pkg = pkgWithPaths("""
                {"paths_version": 1, "future": {"x": 1}, "paths": [
                  {"_path": "a", "path_type": "hardlink", "sha256_in_prefix": "cd", "inode_paths": [], "executable": true}
                ]}
                """);
        assertEquals(List.of(PathEntry.file("a")), PathsJson.read(pkg.resolve("info")).paths());
    }

    @Test
    void missingVersionDefaultsToOne() throws IOException {
        assertEquals(1, PathsJson.read(pkgWithPaths("{\"paths\": []}").resolve("info")).version());
    }

    @Test
    void pathsAreNormalised() throws IOException {
        Path pkg = pkgWithPaths(one("{\"_path\": \"./lib//x/./y\", \"path_type\": \"hardlink\"}"));
        assertEquals("lib/x/y", PathsJson.read(pkg.resolve("info")).paths().get(0).path());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc/passwd", "../evil", "lib/../../evil", "a/..", "..", "\\\\server\\share",
            "C:/Windows/evil", "c:evil", "lib\\..\\..\\evil", "", ".", "./", "a\0b"})
    void unsafePathsAreRejected(String path) throws IOException {
        String quoted = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(path);
        PackageFormatException e = fails(one("{\"_path\": " + quoted + ", \"path_type\": \"hardlink\"}"));
        assertTrue(e.getMessage().contains("unsafe path"), e.getMessage());
        assertTrue(e.getMessage().contains("paths[0]"), e.getMessage());
    }

    @Test
    void dotsInNamesAreFine() throws IOException {
        Path pkg = pkgWithPaths(one("{\"_path\": \"lib/..hidden/x..y/...\", \"path_type\": \"hardlink\"}"));
        assertEquals("lib/..hidden/x..y/...", PathsJson.read(pkg.resolve("info")).paths().get(0).path());
    }

    @Test
    void badEntries() throws IOException {
        assertTrue(fails(one("{\"_path\": \"a\", \"path_type\": \"hardlnk\"}")).getMessage()
                .contains("field \"path_type\" of paths[0] (\"a\") must be \"hardlink\", \"softlink\" or \"directory\", got \"hardlnk\""));
        assertTrue(fails(one("{\"_path\": \"a\"}")).getMessage()
                .contains("missing required field \"path_type\" of paths[0] (\"a\")"));
        assertTrue(fails(one("{\"path_type\": \"hardlink\"}")).getMessage()
                .contains("missing required field \"_path\" of paths[0]"));
        assertTrue(fails(one("{\"_path\": \"a\", \"path_type\": \"hardlink\", \"size_in_bytes\": -1}")).getMessage()
                .contains("negative"));
        assertTrue(fails(one("{\"_path\": \"a\", \"path_type\": \"hardlink\", \"size_in_bytes\": \"12\"}")).getMessage()
                .contains("field \"size_in_bytes\" of paths[0] (\"a\") must be an integer"));
        assertTrue(fails(one("{\"_path\": \"a\", \"path_type\": \"hardlink\", \"prefix_placeholder\": \"/p\", \"file_mode\": \"octal\"}"))
                .getMessage().contains("must be \"text\" or \"binary\""));
        assertTrue(fails(one("{\"_path\": \"a\", \"path_type\": \"hardlink\", \"no_link\": \"yes\"}")).getMessage()
                .contains("field \"no_link\" of paths[0] (\"a\") must be true or false"));
        assertTrue(fails(one("\"a\"")).getMessage().contains("paths[0] must be an object"));
        assertTrue(fails("{\"paths_version\": 1}").getMessage().contains("missing required field \"paths\""));
        assertTrue(fails("{\"paths\": {}}").getMessage().contains("field \"paths\" must be a list"));
        assertTrue(fails("{\"paths\": [").getMessage().contains("malformed JSON at line 1"));
    }

    @Test
    void readRequiresTheFile() throws IOException {
        Path pkg = tmp.resolve("p");
        Files.createDirectories(pkg.resolve("info"));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> PathsJson.read(pkg.resolve("info")));
        assertEquals(pkg + ": info/paths.json: missing", e.getMessage());
    }

    @Test
    void loadWithoutAnyListIsEmpty() throws IOException {
        Path pkg = tmp.resolve("info-only-1.0.0-0");
        Files.createDirectories(pkg.resolve("info"));
        Files.writeString(pkg.resolve("info/index.json"), "{}");
        assertEquals(PathsJson.empty(), PathsJson.load(pkg));
    }

    @Test
    void loadPrefersPathsJsonOverLegacyFiles() throws IOException {
        Path pkg = pkgWithPaths(one("{\"_path\": \"from-paths-json\", \"path_type\": \"hardlink\"}"));
        Files.writeString(pkg.resolve("info/files"), "from-files\n");
        assertEquals(List.of(PathEntry.file("from-paths-json")), PathsJson.load(pkg).paths());
        Files.delete(pkg.resolve("info/paths.json"));
        assertEquals(List.of(PathEntry.file("from-files")), PathsJson.load(pkg).paths());
    }

    @Test
    void pathEntryInvariants() {
        assertThrows(IllegalArgumentException.class,
                () -> new PathEntry("a", PathType.HARDLINK, null, null, "/p", null, false));
        assertThrows(IllegalArgumentException.class,
                () -> new PathEntry("a", PathType.HARDLINK, null, -1L, null, null, false));
        assertNull(PathEntry.file("a").sha256());
    }

    @Test
    void defaultPlaceholder() {
        assertEquals("/opt/anaconda1anaconda2anaconda3", PathsJson.DEFAULT_PLACEHOLDER);
    }

    /**
     * The streaming fast path and the tree reader agree: same entries for good files, the same
     * error for bad ones (the fast path gives up and the tree reader explains).
     */
    @Test
    void fastPathAgreesWithTheTreeReader() throws IOException {
        List<String> docs = new java.util.ArrayList<>(List.of(
                one("{\"_path\": \"a/b\", \"path_type\": \"hardlink\", \"sha256\": \"ab\", \"size_in_bytes\": 3}"),
                one("{\"_path\": \"./x//y\", \"path_type\": \"softlink\", \"no_link\": true, \"extra\": [1, {\"a\": 2}]}"),
                one("{\"_path\": \"bin/t\", \"path_type\": \"hardlink\", \"prefix_placeholder\": \"/opt/p\"}"),
                one("{\"_path\": \"bin/b\", \"path_type\": \"hardlink\", \"prefix_placeholder\": \"/p\", \"file_mode\": \"binary\"}"),
                one("{\"_path\": \"d\", \"path_type\": \"directory\", \"sha256\": null, \"size_in_bytes\": null, \"no_link\": null}"),
                "{\"paths\": [], \"paths_version\": null}",
                "{\"paths_version\": 2, \"other\": {\"paths\": 1}, \"paths\": []}",
                // each of these must fail, with the tree reader's message
                one("{\"_path\": \"../up\", \"path_type\": \"hardlink\"}"),
                one("{\"_path\": \"/abs\", \"path_type\": \"hardlink\"}"),
                one("{\"_path\": \"a\", \"path_type\": \"pipe\"}"),
                one("{\"_path\": \"a\"}"),
                one("{\"path_type\": \"hardlink\"}"),
                one("{\"_path\": 5, \"path_type\": \"hardlink\"}"),
                one("{\"_path\": \"a\", \"path_type\": \"hardlink\", \"size_in_bytes\": -1}"),
                one("{\"_path\": \"a\", \"path_type\": \"hardlink\", \"size_in_bytes\": 1.5}"),
                one("{\"_path\": \"a\", \"path_type\": \"hardlink\", \"no_link\": \"yes\"}"),
                one("{\"_path\": \"a\", \"path_type\": \"hardlink\", \"file_mode\": \"weird\"}"),
                one("[1]"),
                "{\"paths\": {}}",
                "{\"paths_version\": \"1\", \"paths\": []}",
                "{\"paths\": []} trailing",
                "{\"paths\": [",
                "[]"));
        Path conda = Corpus.packageMetadata("conda-22.9.0-py38haa244fe_2-paths.json");
        docs.add(Files.readString(conda));
        for (String doc : docs) {
            Path info = pkgWithPaths(doc).resolve("info");
            Object fast;
            Object tree;
            try {
                fast = PathsJson.read(info);
            } catch (PackageFormatException e) {
                fast = e.getMessage();
            }
            try {
                tree = PathsJson.readTree(info);
            } catch (PackageFormatException e) {
                tree = e.getMessage();
            }
            assertEquals(tree, fast, doc.length() > 300 ? doc.substring(0, 300) : doc);
        }
        assertTrue(PathsJson.read(pkgWithPaths(docs.get(docs.size() - 1)).resolve("info")).paths().size() > 100,
                "the real conda paths.json parses");
        // ... and by the fast path itself (no fallback), like the well-formed documents above
        assertTrue(PathsJsonStream.parse(Files.readAllBytes(conda)).isPresent());
        for (int i = 0; i < 7; i++) {
            assertTrue(PathsJsonStream.parse(docs.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)).isPresent(),
                    docs.get(i));
        }
    }
}
