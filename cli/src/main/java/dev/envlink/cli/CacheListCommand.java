package dev.envlink.cli;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageCache;
import dev.envlink.cache.ValidationMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** envlink cache list. */
@Command(name = "list", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Lists the packages in the cache and its read-only layers.",
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class CacheListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    CacheOptions cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        PackageCache pc = cache.open(ValidationMode.SKIP);
        List<CacheEntry> entries = pc.list();
        var out = spec.commandLine().getOut();
        if (json.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (CacheEntry e : entries) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dist", e.dist());
                m.put("path", e.path().toString());
                m.put("layer", e.layer().toString());
                m.put("writable", e.writable());
                m.put("archive", e.archive().map(Object::toString).orElse(null));
                list.add(m);
            }
            Json.print(out, Map.of("cache", pc.root().toString(), "packages", list));
            return ExitCodes.OK;
        }
        for (CacheEntry e : entries) {
            out.printf("%-50s %s%n", e.dist(), e.writable() ? e.path() : e.path() + " (read-only layer)");
        }
        out.printf("%d packages in %s%n", entries.size(), pc.root());
        out.flush();
        return ExitCodes.OK;
    }
}
