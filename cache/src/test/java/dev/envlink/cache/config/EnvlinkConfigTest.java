package dev.envlink.cache.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvlinkConfigTest {

    @TempDir
    Path tmp;

    private Env env() {
        return Env.of(Map.of("SCRATCH", "/scratch", "USER", "ada"), "Linux", Path.of("/home/ada"));
    }

    private Path file(String yaml) throws IOException {
        Path f = tmp.resolve("config.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private EnvlinkConfig load(String yaml) throws IOException {
        return EnvlinkConfig.load(file(yaml), env());
    }

    private ConfigException fails(String yaml) throws IOException {
        Path f = file(yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> EnvlinkConfig.load(f, env()));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertEquals(f, e.file());
        return e;
    }

    @Test
    void fullFile() throws IOException {
        EnvlinkConfig c = load("""
                # envlink settings
                cache_dir: /data/envlink-cache
                read_only_layers:
                  - /opt/shared/cache
                  - "/mnt/team cache"
                link_mode: reflink
                mirrors:
                  https://conda.anaconda.org/conda-forge: https://mirror.example/conda-forge
                  "https://repo.anaconda.com/pkgs/main": file:///srv/mirror/main
                """);
        assertEquals(Optional.of(Path.of("/data/envlink-cache")), c.cacheDir());
        assertEquals(List.of(Path.of("/opt/shared/cache"), Path.of("/mnt/team cache")), c.readOnlyLayers());
        assertEquals(Optional.of("reflink"), c.linkMode());
        assertEquals(List.of("https://conda.anaconda.org/conda-forge", "https://repo.anaconda.com/pkgs/main"),
                List.copyOf(c.mirrors().keySet()));
        assertEquals("file:///srv/mirror/main", c.mirrors().get("https://repo.anaconda.com/pkgs/main"));
    }

    @Test
    void mirrorsKeepFileOrder() throws IOException {
        StringBuilder yaml = new StringBuilder("mirrors:\n");
        List<String> keys = List.of("https://z.example/a", "https://a.example/b", "https://m.example/c",
                "https://b.example/d", "https://y.example/e", "https://c.example/f", "https://x.example/g",
                "https://d.example/h", "https://w.example/i", "https://e.example/j");
        for (String k : keys) {
            yaml.append("  ").append(k).append(": file:///mirror/").append(k.substring(8)).append('\n');
        }
        assertEquals(keys, List.copyOf(load(yaml.toString()).mirrors().keySet()));
    }

    @Test
    void emptyFileAndCommentsOnly() throws IOException {
        assertEquals(EnvlinkConfig.empty(), load(""));
        assertEquals(EnvlinkConfig.empty(), load("# nothing yet\n\n   # really\n"));
        assertEquals(EnvlinkConfig.empty(), load("---\n"));
        assertTrue(EnvlinkConfig.empty().isEmpty());
    }

    @Test
    void keysWithoutValuesAreUnset() throws IOException {
        EnvlinkConfig c = load("cache_dir:\nread_only_layers:\nlink_mode: ~\nmirrors: null\n");
        assertEquals(EnvlinkConfig.empty(), c);
    }

    @Test
    void homeAndVariablesAreExpanded() throws IOException {
        EnvlinkConfig c = load("""
                cache_dir: ~/envlink/cache
                read_only_layers: ["${SCRATCH}/envlink/${USER}", "~", '~/x/${USER}']
                """);
        assertEquals(Optional.of(Path.of("/home/ada/envlink/cache")), c.cacheDir());
        assertEquals(List.of(Path.of("/scratch/envlink/ada"), Path.of("/home/ada"), Path.of("/home/ada/x/ada")),
                c.readOnlyLayers());
    }

    @Test
    void relativePathsAreRelativeToTheFile() throws IOException {
        EnvlinkConfig c = load("cache_dir: cache\nread_only_layers: [../layers/one, ./two]\n");
        Path dir = tmp.toAbsolutePath();
        assertEquals(Optional.of(dir.resolve("cache")), c.cacheDir());
        assertEquals(List.of(dir.getParent().resolve("layers/one"), dir.resolve("two")), c.readOnlyLayers());
    }

    @Test
    void unknownKeyNamesKeyFileAndLine() throws IOException {
        ConfigException e = fails("cache_dir: /c\n\nlink_mode: copy\ncache-dir: /d\n");
        assertEquals("cache-dir", e.key());
        assertEquals(4, e.line());
        assertEquals(tmp.resolve("config.yaml") + ":4: unknown key \"cache-dir\", did you mean \"cache_dir\"?"
                + " (known keys: cache_dir, read_only_layers, link_mode, mirrors)", e.getMessage());
        ConfigException far = fails("colour: blue\n");
        assertEquals(tmp.resolve("config.yaml") + ":1: unknown key \"colour\""
                + " (known keys: cache_dir, read_only_layers, link_mode, mirrors)", far.getMessage());
    }

    @Test
    void wrongTypes() throws IOException {
        ConfigException e = fails("cache_dir: [a, b]\n");
        assertEquals("cache_dir", e.key());
        assertEquals(1, e.line());
        assertTrue(e.getMessage().endsWith(":1: cache_dir must be a path (a string), not a list"), e.getMessage());

        e = fails("\nread_only_layers: /one/path\n");
        assertTrue(e.getMessage().endsWith(":2: read_only_layers must be a list of paths, not a string"), e.getMessage());
        e = fails("read_only_layers:\n  - /a\n  - 42\n");
        assertTrue(e.getMessage().endsWith(":3: read_only_layers must be a list of paths; item 2 is a number"), e.getMessage());
        e = fails("link_mode: symlink\n");
        assertTrue(e.getMessage().endsWith(":1: link_mode must be one of auto, reflink, hardlink, copy, not \"symlink\""),
                e.getMessage());
        e = fails("link_mode: true\n");
        assertTrue(e.getMessage().endsWith("not a boolean"), e.getMessage());
        e = fails("mirrors:\n  - https://a\n");
        assertTrue(e.getMessage().contains("mirrors must be a mapping of URL prefix to URL prefix, not a list"), e.getMessage());
        e = fails("mirrors:\n  https://a.example/x: 3\n");
        assertTrue(e.getMessage().contains(":2: mirrors: the mirror of \"https://a.example/x\" must be a URL (a string), not a number"),
                e.getMessage());
        e = fails("mirrors:\n  https://a.example/x: not a url\n");
        assertTrue(e.getMessage().contains("\"not a url\""), e.getMessage());
        e = fails("mirrors:\n  relative/path: https://b.example\n");
        assertTrue(e.getMessage().contains("is not an absolute URL"), e.getMessage());
        e = fails("- cache_dir: /x\n");
        assertTrue(e.getMessage().contains("the file must be a mapping of keys"), e.getMessage());
        e = fails("just a string\n");
        assertTrue(e.getMessage().contains("the file must be a mapping of keys"), e.getMessage());
    }

    @Test
    void linkModeIsCaseInsensitive() throws IOException {
        assertEquals(Optional.of("hardlink"), load("link_mode: HardLink\n").linkMode());
        for (String m : EnvlinkConfig.LINK_MODES) {
            assertEquals(Optional.of(m), load("link_mode: " + m + "\n").linkMode());
        }
    }

    @Test
    void duplicates() throws IOException {
        ConfigException e = fails("cache_dir: /a\ncache_dir: /b\n");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("duplicate key \"cache_dir\""), e.getMessage());
        e = fails("mirrors:\n  https://a.example: https://b.example\n  https://a.example: https://c.example\n");
        assertTrue(e.getMessage().contains(":3: mirrors: duplicate prefix \"https://a.example\""), e.getMessage());
    }

    @Test
    void undefinedVariable() throws IOException {
        ConfigException e = fails("cache_dir: ${NOPE}/cache\n");
        assertTrue(e.getMessage().endsWith(":1: cache_dir: \"${NOPE}/cache\" uses ${NOPE}, but that environment variable is not set"),
                e.getMessage());
        e = fails("cache_dir: ~bob/cache\n");
        assertTrue(e.getMessage().contains("only ~ and ~/"), e.getMessage());
    }

    @Test
    void invalidYaml() throws IOException {
        ConfigException e = fails("cache_dir: /a\nread_only_layers: [/b, /c\nlink_mode: copy\n");
        assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
        assertTrue(e.line() >= 2, e.getMessage());
        e = fails("cache_dir: /a\n  bad indentation: x\n");
        assertTrue(e.getMessage().contains("invalid YAML"), e.getMessage());
    }

    @Test
    void multipleDocuments() throws IOException {
        ConfigException e = fails("cache_dir: /a\n---\ncache_dir: /b\n");
        assertTrue(e.getMessage().contains("only one YAML document"), e.getMessage());
    }

    @Test
    void missingFile() {
        Path f = tmp.resolve("absent.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> EnvlinkConfig.load(f, env()));
        assertEquals(f + ": configuration file does not exist", e.getMessage());
    }

    @Test
    void recordValidation() {
        assertThrows(IllegalArgumentException.class,
                () -> new EnvlinkConfig(Optional.empty(), List.of(), Optional.of("fast"), Map.of()));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("https://b", "https://1");
        m.put("https://a", "https://2");
        EnvlinkConfig c = new EnvlinkConfig(null, null, null, m);
        m.clear();
        assertEquals(List.of("https://b", "https://a"), List.copyOf(c.mirrors().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> c.mirrors().put("x", "y"));
    }
}
