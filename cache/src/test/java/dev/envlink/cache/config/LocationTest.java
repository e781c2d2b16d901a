package dev.envlink.cache.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.envlink.cache.config.CacheLocation.Rule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the configuration file and the cache are, for every OS and every rule. */
class LocationTest {

    private static final Path LINUX_HOME = Path.of("/home/ada");
    private static final Path MAC_HOME = Path.of("/Users/ada");
    private static final Path WIN_HOME = Path.of("C:\\Users\\ada");

    private static Env linux(String... kv) {
        return Env.of(vars(kv), "Linux", LINUX_HOME);
    }

    private static Env mac(String... kv) {
        return Env.of(vars(kv), "Mac OS X", MAC_HOME);
    }

    private static Env windows(String... kv) {
        return Env.of(vars(kv), "Windows 11", WIN_HOME);
    }

    private static Map<String, String> vars(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    // ---- Env ----

    @Test
    void osFamilies() {
        assertEquals(Env.Os.LINUX, linux().os());
        assertEquals(Env.Os.MACOS, mac().os());
        assertEquals(Env.Os.WINDOWS, windows().os());
        assertEquals(Env.Os.LINUX, Env.of(Map.of(), "FreeBSD", LINUX_HOME).os());
        assertEquals(Env.Os.MACOS, Env.of(Map.of(), "Darwin", MAC_HOME).os());
        assertEquals(null, linux("A", "").getNonEmpty("A"));
        assertEquals("", linux("A", "").get("A"));
    }

    @Test
    void systemEnv() {
        Env s = Env.system();
        assertEquals(System.getenv("PATH"), s.get("PATH"));
        assertEquals(Path.of(System.getProperty("user.home")), s.home());
        assertEquals(System.getProperty("os.name"), s.osName());
    }

    // ---- configuration file ----

    @Test
    void configFromEnvironmentVariableWins() {
        assertEquals(Path.of("/etc/envlink.yaml"),
                EnvlinkConfig.defaultLocation(linux("ENVLINK_CONFIG", "/etc/envlink.yaml", "XDG_CONFIG_HOME", "/xdg")));
        assertEquals(Path.of("/home/ada/my.yaml"), EnvlinkConfig.defaultLocation(linux("ENVLINK_CONFIG", "~/my.yaml")));
        assertEquals(Path.of("D:\\conf.yaml"), EnvlinkConfig.defaultLocation(windows("ENVLINK_CONFIG", "D:\\conf.yaml")));
    }

    @Test
    void linuxConfig() {
        assertEquals(Path.of("/xdg/envlink/config.yaml"), EnvlinkConfig.defaultLocation(linux("XDG_CONFIG_HOME", "/xdg")));
        assertEquals(Path.of("/home/ada/.config/envlink/config.yaml"), EnvlinkConfig.defaultLocation(linux()));
        // empty or relative XDG_CONFIG_HOME is ignored (XDG base directory spec)
        assertEquals(Path.of("/home/ada/.config/envlink/config.yaml"), EnvlinkConfig.defaultLocation(linux("XDG_CONFIG_HOME", "")));
        assertEquals(Path.of("/home/ada/.config/envlink/config.yaml"),
                EnvlinkConfig.defaultLocation(linux("XDG_CONFIG_HOME", "relative/dir")));
        assertEquals(Path.of("/home/ada/.config/envlink/config.yaml"), EnvlinkConfig.defaultLocation(linux("ENVLINK_CONFIG", "")));
    }

    @Test
    void macConfig() {
        assertEquals(Path.of("/Users/ada/Library/Application Support/envlink/config.yaml"),
                EnvlinkConfig.defaultLocation(mac("XDG_CONFIG_HOME", "/ignored")));
    }

    @Test
    void windowsConfig() {
        Path appData = Path.of("C:\\Users\\ada\\AppData\\Roaming");
        assertEquals(appData.resolve("envlink").resolve("config.yaml"),
                EnvlinkConfig.defaultLocation(windows("APPDATA", appData.toString())));
        assertEquals(WIN_HOME.resolve("AppData").resolve("Roaming").resolve("envlink").resolve("config.yaml"),
                EnvlinkConfig.defaultLocation(windows()));
    }

    @Test
    void loadDefault(@TempDir Path tmp) throws IOException {
        Env env = Env.of(Map.of("XDG_CONFIG_HOME", tmp.toString()), "Linux", tmp);
        assertEquals(EnvlinkConfig.empty(), EnvlinkConfig.loadDefault(env)); // no file: empty
        Path f = tmp.resolve("envlink/config.yaml");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "link_mode: copy\n");
        assertEquals(Optional.of("copy"), EnvlinkConfig.loadDefault(env).linkMode());
        Files.writeString(f, "link_mod: copy\n");
        ConfigException e = assertThrows(ConfigException.class, () -> EnvlinkConfig.loadDefault(env));
        assertEquals(f, e.file());
        // ENVLINK_CONFIG naming a file that does not exist: empty as well
        assertEquals(EnvlinkConfig.empty(),
                EnvlinkConfig.loadDefault(Env.of(Map.of("ENVLINK_CONFIG", tmp.resolve("none.yaml").toString()), "Linux", tmp)));
    }

    // ---- cache directory ----

    private static final EnvlinkConfig CONFIGURED = new EnvlinkConfig(Optional.of(Path.of("/from/config")), List.of(),
            Optional.empty(), Map.of());
    private static final Path CONFIG_FILE = Path.of("/home/ada/.config/envlink/config.yaml");

    @Test
    void commandLineWinsOverEverything() {
        CacheLocation l = CacheLocation.resolve(Optional.of(Path.of("/from/cli")),
                linux("ENVLINK_CACHE_DIR", "/from/env", "XDG_CACHE_HOME", "/xdg"), CONFIGURED, CONFIG_FILE);
        assertEquals(new CacheLocation(Path.of("/from/cli"), Rule.COMMAND_LINE, "from --cache-dir"), l);
    }

    @Test
    void environmentWinsOverConfigAndDefault() {
        CacheLocation l = CacheLocation.resolve(Optional.empty(), linux("ENVLINK_CACHE_DIR", "/from/env"), CONFIGURED,
                CONFIG_FILE);
        assertEquals(new CacheLocation(Path.of("/from/env"), Rule.ENVIRONMENT, "from ENVLINK_CACHE_DIR"), l);
        assertEquals(Path.of("/home/ada/c"),
                CacheLocation.resolve(Optional.empty(), linux("ENVLINK_CACHE_DIR", "~/c"), CONFIGURED, CONFIG_FILE).path());
    }

    @Test
    void emptyEnvironmentVariableIsUnset() {
        CacheLocation l = CacheLocation.resolve(Optional.empty(), linux("ENVLINK_CACHE_DIR", ""), CONFIGURED, CONFIG_FILE);
        assertEquals(Rule.CONFIG_FILE, l.rule());
    }

    @Test
    void configWinsOverDefault() {
        CacheLocation l = CacheLocation.resolve(Optional.empty(), linux("XDG_CACHE_HOME", "/xdg"), CONFIGURED, CONFIG_FILE);
        assertEquals(new CacheLocation(Path.of("/from/config"), Rule.CONFIG_FILE,
                "cache_dir in /home/ada/.config/envlink/config.yaml"), l);
        assertEquals("cache_dir in the configuration file",
                CacheLocation.resolve(Optional.empty(), linux(), CONFIGURED, null).detail());
    }

    @Test
    void configFromFileEndToEnd(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("config.yaml");
        Files.writeString(f, "cache_dir: ~/big/cache\n");
        Env env = Env.of(Map.of("ENVLINK_CONFIG", f.toString()), "Linux", LINUX_HOME);
        Path location = EnvlinkConfig.defaultLocation(env);
        CacheLocation l = CacheLocation.resolve(Optional.empty(), env, EnvlinkConfig.loadDefault(env), location);
        assertEquals(new CacheLocation(Path.of("/home/ada/big/cache"), Rule.CONFIG_FILE, "cache_dir in " + f), l);
    }

    @Test
    void linuxDefault() {
        assertEquals(new CacheLocation(Path.of("/xdg/cache/envlink"), Rule.OS_DEFAULT, "default: $XDG_CACHE_HOME/envlink"),
                CacheLocation.resolve(Optional.empty(), linux("XDG_CACHE_HOME", "/xdg/cache"), EnvlinkConfig.empty(), CONFIG_FILE));
        assertEquals(new CacheLocation(Path.of("/home/ada/.cache/envlink"), Rule.OS_DEFAULT, "default: ~/.cache/envlink"),
                CacheLocation.resolve(Optional.empty(), linux(), EnvlinkConfig.empty(), CONFIG_FILE));
        assertEquals(Path.of("/home/ada/.cache/envlink"),
                CacheLocation.resolve(Optional.empty(), linux("XDG_CACHE_HOME", "rel"), EnvlinkConfig.empty(), null).path());
        assertEquals(Path.of("/home/ada/.cache/envlink"),
                CacheLocation.resolve(Optional.empty(), linux("XDG_CACHE_HOME", ""), null, null).path());
    }

    @Test
    void macDefault() {
        assertEquals(new CacheLocation(Path.of("/Users/ada/Library/Caches/envlink"), Rule.OS_DEFAULT,
                "default for macOS: ~/Library/Caches/envlink"),
                CacheLocation.resolve(Optional.empty(), mac("XDG_CACHE_HOME", "/ignored"), EnvlinkConfig.empty(), CONFIG_FILE));
    }

    @Test
    void windowsDefault() {
        Path local = Path.of("C:\\Users\\ada\\AppData\\Local");
        assertEquals(new CacheLocation(local.resolve("envlink"), Rule.OS_DEFAULT, "default for Windows: %LOCALAPPDATA%\\envlink"),
                CacheLocation.resolve(Optional.empty(), windows("LOCALAPPDATA", local.toString()), EnvlinkConfig.empty(), null));
        CacheLocation noVar = CacheLocation.resolve(Optional.empty(), windows(), EnvlinkConfig.empty(), null);
        assertEquals(WIN_HOME.resolve("AppData").resolve("Local").resolve("envlink"), noVar.path());
        assertEquals(Rule.OS_DEFAULT, noVar.rule());
    }

    @Test
    void osDefaultIgnoresOverrides() {
        assertEquals(Path.of("/home/ada/.cache/envlink"), CacheLocation.osDefault(linux("ENVLINK_CACHE_DIR", "/x")).path());
    }
}
