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
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** envlink cache verify. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Checks every cache entry against its paths.json: files present with their recorded sizes, "
                    + "and with --full their sha256.",
            "--repair re-extracts damaged entries from the archives kept in the cache."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.DAMAGED_HELP})
final class CacheVerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--full", description = "Also compare the sha256 of every file.")
    boolean full;

    @Option(names = "--repair", description = "Re-extract damaged entries from their archives.")
    boolean repair;

    @Mixin
    CacheOptions cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        PackageCache pc = cache.open(ValidationMode.SKIP);
        PackageCache.VerifyResult r = pc.verify(full ? ValidationMode.FULL : ValidationMode.FAST, repair);
        var out = spec.commandLine().getOut();
        if (json.json) {
            List<Map<String, Object>> damaged = new ArrayList<>();
            for (Map.Entry<CacheEntry, List<String>> e : r.damaged().entrySet()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dist", e.getKey().dist());
                m.put("path", e.getKey().path().toString());
                m.put("problems", e.getValue());
                m.put("repaired", r.repaired().contains(e.getKey()));
                m.put("unrepairable", r.unrepairable().get(e.getKey()));
                damaged.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("checked", r.checked());
            m.put("mode", full ? "full" : "fast");
            m.put("damaged", damaged);
            m.put("ok", r.ok());
            Json.print(out, m);
        } else {
            for (Map.Entry<CacheEntry, List<String>> e : r.damaged().entrySet()) {
                out.println(e.getKey().dist() + ": damaged (" + e.getKey().path() + ")");
                e.getValue().stream().limit(20).forEach(p -> out.println("  " + p));
                if (e.getValue().size() > 20) {
                    out.println("  ... and " + (e.getValue().size() - 20) + " more");
                }
                if (r.repaired().contains(e.getKey())) {
                    out.println("  repaired: re-extracted from " + e.getKey().archive().orElseThrow());
                } else if (r.unrepairable().containsKey(e.getKey())) {
                    out.println("  cannot repair: " + r.unrepairable().get(e.getKey()));
                }
            }
            out.printf("%d entries checked (%s), %d damaged, %d repaired%n", r.checked(), full ? "full" : "fast",
                    r.damaged().size(), r.repaired().size());
            out.flush();
        }
        return r.ok() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }
}
