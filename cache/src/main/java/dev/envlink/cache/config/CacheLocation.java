package dev.envlink.cache.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the package cache is, and which rule decided it (for {@code envlink info} and error
 * messages).
 *
 * @param path   the cache directory
 * @param rule   the rule that chose it
 * @param detail how, for people: {@code from --cache-dir}, {@code from ENVLINK_CACHE_DIR},
 *               {@code cache_dir in /home/u/.config/envlink/config.yaml},
 *               {@code default for Linux: ~/.cache/envlink}
 */
public record CacheLocation(Path path, Rule rule, String detail) {

    /** Variable overriding the configured cache directory. */
    public static final String ENV_CACHE_DIR = "ENVLINK_CACHE_DIR";

    /** The rules, highest precedence first. */
    public enum Rule {
        COMMAND_LINE,
        ENVIRONMENT,
        CONFIG_FILE,
        OS_DEFAULT
    }

    public CacheLocation {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
    }

    /**
     * The cache directory, first rule that gives one wins:
     * <ol>
     * <li>{@code --cache-dir} ({@code cliCacheDir});</li>
     * <li>{@code ENVLINK_CACHE_DIR} (a leading {@code ~} is expanded; empty counts as unset);</li>
     * <li>{@code cache_dir} of the configuration file;</li>
     * <li>the OS default, see {@link #osDefault}.</li>
     * </ol>
     *
     * @param configFile the file {@code config} was read from, for the detail text (may be null)
     */
    public static CacheLocation resolve(Optional<Path> cliCacheDir, Env env, EnvlinkConfig config, Path configFile) {
        if (cliCacheDir != null && cliCacheDir.isPresent()) {
            return new CacheLocation(cliCacheDir.get(), Rule.COMMAND_LINE, "from --cache-dir");
        }
        String fromEnv = env.getNonEmpty(ENV_CACHE_DIR);
        if (fromEnv != null) {
            return new CacheLocation(Path.of(EnvlinkConfig.expandHome(fromEnv, env)), Rule.ENVIRONMENT,
                    "from " + ENV_CACHE_DIR);
        }
        if (config != null && config.cacheDir().isPresent()) {
            return new CacheLocation(config.cacheDir().get(), Rule.CONFIG_FILE,
                    EnvlinkConfig.CACHE_DIR + " in " + (configFile != null ? configFile.toString() : "the configuration file"));
        }
        return osDefault(env);
    }

    /**
     * The OS's cache directory for envlink: Linux (and other Unix) {@code $XDG_CACHE_HOME/envlink},
     * or {@code ~/.cache/envlink} when {@code XDG_CACHE_HOME} is unset, empty or relative; macOS
     * {@code ~/Library/Caches/envlink}; Windows {@code %LOCALAPPDATA%\envlink} (or
     * {@code ~\AppData\Local\envlink} without {@code LOCALAPPDATA}).
     */
    public static CacheLocation osDefault(Env env) {
        return switch (env.os()) {
            case WINDOWS -> {
                String local = env.getNonEmpty("LOCALAPPDATA");
                if (local != null) {
                    yield new CacheLocation(Path.of(local).resolve("envlink"), Rule.OS_DEFAULT,
                            "default for Windows: %LOCALAPPDATA%\\envlink");
                }
                yield new CacheLocation(env.home().resolve("AppData").resolve("Local").resolve("envlink"),
                        Rule.OS_DEFAULT, "default for Windows: ~\\AppData\\Local\\envlink (LOCALAPPDATA is not set)");
            }
            case MACOS -> new CacheLocation(env.home().resolve("Library").resolve("Caches").resolve("envlink"),
                    Rule.OS_DEFAULT, "default for macOS: ~/Library/Caches/envlink");
            case LINUX -> {
                Path xdg = EnvlinkConfig.absoluteOrNull(env.getNonEmpty("XDG_CACHE_HOME"));
                if (xdg != null) {
                    yield new CacheLocation(xdg.resolve("envlink"), Rule.OS_DEFAULT,
                            "default: $XDG_CACHE_HOME/envlink");
                }
                yield new CacheLocation(env.home().resolve(".cache").resolve("envlink"), Rule.OS_DEFAULT,
                        "default: ~/.cache/envlink");
            }
        };
    }
}
