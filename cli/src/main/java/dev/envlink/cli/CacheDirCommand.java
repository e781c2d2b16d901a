package dev.envlink.cli;

import dev.envlink.cache.config.CacheLocation;
import dev.envlink.cache.config.Env;
import dev.envlink.cache.config.EnvlinkConfig;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** envlink cache dir: where the cache is and which rule chose it. */
@Command(name = "dir", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Prints the cache directory and the rule that chose it (--cache-dir, ENVLINK_CACHE_DIR, "
                + "the config file's cache_dir, or the OS default).",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class CacheDirCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CacheOptions cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        Env env = Env.system();
        EnvlinkConfig config = cache.config(env);
        CacheLocation loc = cache.location(env, config);
        var out = spec.commandLine().getOut();
        if (json.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", loc.path().toString());
            m.put("rule", loc.rule().name());
            m.put("detail", loc.detail());
            m.put("readOnlyLayers", config.readOnlyLayers().stream().map(Object::toString).toList());
            Json.print(out, m);
        } else {
            out.println(loc.path());
            out.println("  chosen by: " + loc.detail());
            config.readOnlyLayers().forEach(l -> out.println("  read-only layer: " + l));
            out.flush();
        }
        return ExitCodes.OK;
    }
}
