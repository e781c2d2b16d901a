package dev.envlink.cli;

import dev.envlink.cache.PackageCache;
import dev.envlink.cache.ValidationMode;
import dev.envlink.cache.archive.ExtractLimits;
import dev.envlink.cache.config.CacheLocation;
import dev.envlink.cache.config.EnvlinkConfig;
import dev.envlink.cache.config.Env;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** --cache-dir and --config, shared by every command that uses the package cache (a mixin). */
final class CacheOptions {
    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Package cache directory (default: ENVLINK_CACHE_DIR, the config file, then the OS cache dir).")
    Path cacheDir;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (default: ENVLINK_CONFIG, then the OS config dir).")
    Path configFile;

    Path configPath(Env env) {
        return configFile != null ? configFile : EnvlinkConfig.defaultLocation(env);
    }

    EnvlinkConfig config(Env env) throws IOException {
        if (configFile != null) {
            return EnvlinkConfig.load(configFile);
        }
        return EnvlinkConfig.loadDefault(env);
    }

    CacheLocation location(Env env, EnvlinkConfig config) {
        return CacheLocation.resolve(Optional.ofNullable(cacheDir), env, config, configPath(env));
    }

    PackageCache open(ValidationMode reuse) throws IOException {
        Env env = Env.system();
        EnvlinkConfig config = config(env);
        return PackageCache.open(location(env, config).path(), config.readOnlyLayers(), ExtractLimits.defaults(), reuse);
    }
}
