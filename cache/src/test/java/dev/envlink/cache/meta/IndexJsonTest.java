package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexJsonTest {

    @TempDir
    Path tmp;

    private Path pkgWithIndex(String json) throws IOException {
        Path pkg = tmp.resolve("pkg-1.0-0");
        Files.createDirectories(pkg.resolve("info"));
        Files.writeString(pkg.resolve("info/index.json"), json);
        return pkg;
    }

    private PackageFormatException fails(String json) throws IOException {
        Path pkg = pkgWithIndex(json);
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> IndexJson.read(pkg.resolve("info")));
        assertTrue(e.getMessage().contains(pkg.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("info/index.json"), e.getMessage());
        assertEquals("info/index.json", e.entry());
        assertEquals(pkg, e.archive());
        return e;
    }

    @Test
    void realCondaIndex() throws IOException {
        Path pkg = Corpus.packageDirWith(tmp, "conda-22.11.1-py38haa244fe_1",
                Corpus.packageMetadata("conda-22.11.1-py38haa244fe_1-index.json"));
        IndexJson i = IndexJson.read(pkg.resolve("info"));
        assertEquals("conda", i.name());
        assertEquals("22.11.1", i.version());
        assertEquals("py38haa244fe_1", i.build());
        assertEquals(1, i.buildNumber());
        assertEquals("conda-22.11.1-py38haa244fe_1", i.dist());
        assertEquals(12, i.depends().size());
        assertEquals("conda-package-handling >=1.3.0", i.depends().get(0));
        assertEquals("tqdm >=4", i.depends().get(11));
        assertEquals(List.of("conda-content-trust >=0.1.1", "cytoolz >=0.8.1", "conda-libmamba-solver >=22.12.0",
                "conda-env >=2.6", "conda-build >=3"), i.constrains());
        assertEquals("BSD-3-Clause", i.license());
        assertEquals("win-64", i.subdir());
        assertEquals("win", i.platform());
        assertEquals("x86_64", i.arch());
        assertNull(i.noarch());
        assertEquals(1670456742050L, i.timestamp());
        // raw keeps every field in file order, including ones not modelled
        assertEquals(List.of("arch", "build", "build_number", "constrains", "depends", "license", "md5", "name",
                "platform", "sha256", "size", "subdir", "timestamp", "version"), List.copyOf(i.raw().keySet()));
        assertEquals("9987c96161034575f5a9c2be848960c5", i.raw().get("md5"));
        assertEquals(928900L, i.raw().get("size"));
        assertEquals(1L, i.raw().get("build_number"));
    }

    @Test
    void minimalIndexGetsDefaults() throws IOException {
        Path pkg = pkgWithIndex("{\"name\": \"info-only\", \"version\": \"1.0.0\", \"build\": \"0\", \"build_number\": 0}");
        IndexJson i = IndexJson.read(pkg.resolve("info"));
        assertEquals(List.of(), i.depends());
        assertEquals(List.of(), i.constrains());
        assertNull(i.license());
        assertNull(i.subdir());
        assertNull(i.platform());
        assertNull(i.arch());
        assertNull(i.noarch());
        assertNull(i.timestamp());
        assertEquals(4, i.raw().size());
    }

    @Test
    void unknownFieldsAreIgnoredButKept() throws IOException {
        Path pkg = pkgWithIndex("""
                {"name": "x", "version": "1", "build": "0", "build_number": 0,
                 "license_family": "BSD", "track_features": "", "features": null,
                 "purls": ["pkg:pypi/x"], "nested": {"a": [1, 2.5, true, null]},
                 "depends": null, "arch": null, "platform": null}
                """);
        IndexJson i = IndexJson.read(pkg.resolve("info"));
        assertEquals("x", i.name());
        assertEquals(List.of(), i.depends());
        assertNull(i.arch());
        assertTrue(i.raw().containsKey("arch"));
        assertNull(i.raw().get("arch"));
        assertEquals("BSD", i.raw().get("license_family"));
        assertEquals(List.of("pkg:pypi/x"), i.raw().get("purls"));
        assertEquals(Map.of("a", java.util.Arrays.asList(1L, 2.5, true, null)), i.raw().get("nested"));
        assertThrows(UnsupportedOperationException.class, () -> i.raw().put("k", "v"));
    }

    @Test
    void noarchForms() throws IOException {
        String base = "\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0";
        assertEquals("python", IndexJson.read(pkgWithIndex("{" + base + ", \"noarch\": \"python\"}").resolve("info")).noarch());
        assertEquals("generic", IndexJson.read(pkgWithIndex("{" + base + ", \"noarch\": \"generic\"}").resolve("info")).noarch());
        assertEquals("generic", IndexJson.read(pkgWithIndex("{" + base + ", \"noarch\": true}").resolve("info")).noarch());
        assertNull(IndexJson.read(pkgWithIndex("{" + base + ", \"noarch\": false}").resolve("info")).noarch());
        assertTrue(fails("{" + base + ", \"noarch\": \"ruby\"}").getMessage().contains("noarch"));
    }

    @Test
    void timestampAsFloatIsTruncated() throws IOException {
        Path pkg = pkgWithIndex("{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0, \"timestamp\": 1613117294.885}");
        assertEquals(1613117294L, IndexJson.read(pkg.resolve("info")).timestamp());
    }

    @Test
    void missingName() throws IOException {
        PackageFormatException e = fails("{\"version\": \"1\", \"build\": \"0\", \"build_number\": 0}");
        assertTrue(e.getMessage().contains("missing required field \"name\""), e.getMessage());
    }

    @Test
    void missingBuildNumber() throws IOException {
        PackageFormatException e = fails("{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\"}");
        assertTrue(e.getMessage().contains("\"build_number\""), e.getMessage());
    }

    @Test
    void wrongTypes() throws IOException {
        PackageFormatException e = fails("{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", \"build_number\": \"7\"}");
        assertTrue(e.getMessage().contains("field \"build_number\" must be an integer, got the string \"7\""), e.getMessage());
        e = fails("{\"name\": \"x\", \"version\": 1.0, \"build\": \"0\", \"build_number\": 0}");
        assertTrue(e.getMessage().contains("field \"version\" must be a string, got the number 1.0"), e.getMessage());
        e = fails("{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0, \"depends\": \"python\"}");
        assertTrue(e.getMessage().contains("field \"depends\" must be a list of strings"), e.getMessage());
        e = fails("{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0, \"depends\": [\"a\", 3]}");
        assertTrue(e.getMessage().contains("field \"depends[1]\" must be a string"), e.getMessage());
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws IOException {
        PackageFormatException e = fails("{\n  \"name\": \"x\",\n  \"version\": \"1\"\n  \"build\": \"0\"\n}");
        assertTrue(e.getMessage().contains("malformed JSON at line 4 column 3"), e.getMessage());
    }

    @Test
    void truncatedJson() throws IOException {
        PackageFormatException e = fails("{\"name\": \"x\", \"version\": ");
        assertTrue(e.getMessage().contains("malformed JSON at line 1"), e.getMessage());
    }

    @Test
    void trailingGarbage() throws IOException {
        PackageFormatException e = fails("{\"name\": \"x\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0} {}");
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
    }

    @Test
    void emptyFile() throws IOException {
        assertTrue(fails("").getMessage().contains("empty"));
        assertTrue(fails("  \n").getMessage().contains("empty"));
    }

    @Test
    void notAnObject() throws IOException {
        assertTrue(fails("[1, 2]").getMessage().contains("expected an object at the top level, got a list"));
    }

    @Test
    void missingFile() throws IOException {
        Path pkg = tmp.resolve("nothing-1-0");
        Files.createDirectories(pkg.resolve("info"));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> IndexJson.read(pkg.resolve("info")));
        assertEquals(pkg + ": info/index.json: missing", e.getMessage());
    }
}
