package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import dev.envlink.cache.meta.LinkJson.EntryPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkJsonTest {

    @TempDir
    Path tmp;

    private LinkJson real(String file) throws IOException {
        Path pkg = Corpus.packageDirWith(tmp, file, Corpus.packageMetadata(file));
        return LinkJson.read(pkg.resolve("info")).orElseThrow();
    }

    private Path pkgWith(String fileName, String json) throws IOException {
        Path pkg = tmp.resolve("pkg-1-0");
        Files.createDirectories(pkg.resolve("info"));
        Files.writeString(pkg.resolve("info").resolve(fileName), json);
        return pkg;
    }

    @Test
    void jupyterlabEntryPoints() throws IOException {
        LinkJson l = real("jupyterlab-link.json");
        assertEquals(1, l.packageMetadataVersion());
        assertEquals("python", l.noarchType());
        assertTrue(l.isNoarchPython());
        assertEquals(List.of(
                new EntryPoint("jlpm", "jupyterlab.jlpmapp", "main"),
                new EntryPoint("jupyter-lab", "jupyterlab.labapp", "main"),
                new EntryPoint("jupyter-labextension", "jupyterlab.labextensions", "main"),
                new EntryPoint("jupyter-labhub", "jupyterlab.labhubapp", "main")), l.entryPoints());
        assertEquals("jlpm = jupyterlab.jlpmapp:main", l.entryPoints().get(0).toString());
        assertEquals(List.of("noarch", "package_metadata_version"), List.copyOf(l.raw().keySet()));
    }

    @Test
    void setuptoolsPythonWithoutEntryPoints() throws IOException {
        LinkJson l = real("setuptools-link.json");
        assertEquals("python", l.noarchType());
        assertEquals(List.of(), l.entryPoints());
        assertEquals(1, l.packageMetadataVersion());
    }

    @Test
    void tzdataGeneric() throws IOException {
        LinkJson l = real("tzdata-link.json");
        assertEquals("generic", l.noarchType());
        assertFalse(l.isNoarchPython());
        assertEquals(List.of(), l.entryPoints());
    }

    @Test
    void absentIsEmpty() throws IOException {
        Path pkg = tmp.resolve("p");
        Files.createDirectories(pkg.resolve("info"));
        assertEquals(Optional.empty(), LinkJson.read(pkg.resolve("info")));
    }

    @Test
    void olderPackageMetadataJsonIsRead() throws IOException {
        Path pkg = pkgWith("package_metadata.json",
                "{\"noarch\": {\"type\": \"python\", \"entry_points\": [\"tool=pkg.cli:run\"]}, \"package_metadata_version\": 1}");
        LinkJson l = LinkJson.read(pkg.resolve("info")).orElseThrow();
        assertEquals(List.of(new EntryPoint("tool", "pkg.cli", "run")), l.entryPoints());
    }

    @Test
    void defaultsAndUnknownFields() throws IOException {
        Path pkg = pkgWith("link.json", "{\"preferred_env\": \"x\", \"noarch\": {\"type\": \"python\", \"future\": 1}}");
        LinkJson l = LinkJson.read(pkg.resolve("info")).orElseThrow();
        assertEquals(1, l.packageMetadataVersion());
        assertEquals("x", l.raw().get("preferred_env"));
        LinkJson none = LinkJson.read(pkgWith("link.json", "{\"package_metadata_version\": 2}").resolve("info")).orElseThrow();
        assertNull(none.noarchType());
        assertEquals(2, none.packageMetadataVersion());
    }

    @Test
    void entryPointParsingFollowsConda() {
        assertEquals(new EntryPoint("jupyter", "jupyterlab.jupyterapp", "main"), EntryPoint.parse("jupyter=jupyterlab.jupyterapp:main"));
        assertEquals(new EntryPoint("a", "b.c", "d.e"), EntryPoint.parse("  a  =  b.c : d.e "));
        // conda splits at the last ':' and then the last '='
        assertEquals(new EntryPoint("x = y", "m", "f"), EntryPoint.parse("x = y = m:f"));
        assertThrows(IllegalArgumentException.class, () -> EntryPoint.parse("no-colon = mod"));
        assertThrows(IllegalArgumentException.class, () -> EntryPoint.parse("mod:func"));
        assertThrows(IllegalArgumentException.class, () -> EntryPoint.parse(" = mod:func"));
        assertThrows(IllegalArgumentException.class, () -> EntryPoint.parse("cmd = :func"));
        assertThrows(IllegalArgumentException.class, () -> EntryPoint.parse("../../bin/evil = m:f"));
        assertThrows(IllegalArgumentException.class, () -> EntryPoint.parse("a\\b = m:f"));
    }

    @Test
    void badFiles() throws IOException {
        assertBad("{\"noarch\": {\"type\": \"python\", \"entry_points\": [\"good = a:b\", \"bad\"]}}",
                "noarch.entry_points[1] \"bad\"");
        assertBad("{\"noarch\": \"python\"}", "field \"noarch\" must be an object");
        assertBad("{\"noarch\": {\"entry_points\": \"a = b:c\"}}", "field \"entry_points\" of \"noarch\" must be a list of strings");
        assertBad("{\"noarch\": {\"type\": 3}}", "field \"type\" of \"noarch\" must be a string");
        assertBad("{\"noarch\": ", "malformed JSON at line 1");
        assertBad("{\"package_metadata_version\": \"1\"}", "field \"package_metadata_version\" must be an integer");
    }

    private void assertBad(String json, String text) throws IOException {
        Path pkg = pkgWith("link.json", json);
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> LinkJson.read(pkg.resolve("info")));
        assertTrue(e.getMessage().startsWith(pkg + ": info/link.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
        Files.delete(pkg.resolve("info/link.json"));
    }
}
