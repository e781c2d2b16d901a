package dev.envlink.cli;

import dev.envlink.env.InstallReport;
import dev.envlink.link.LinkOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The one-screen summary of an install or remove, as text or JSON. */
final class InstallView {
    private InstallView() {
    }

    /**
     * @param options the link options the install or remove ran with (mode and strict are reported)
     * @param source  where the files came from (the cache's pkgs directory), or null when unknown
     */
    static Map<String, Object> json(InstallReport r, LinkOptions options, Path source) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prefix", r.prefix());
        m.put("dryRun", r.dryRun());
        m.put("added", r.added());
        m.put("removed", r.removed());
        m.put("unchanged", r.unchanged());
        Map<String, Object> link = ReportView.of(source != null ? source : Path.of(""), Path.of(r.prefix()), options,
                r.links());
        if (source == null) {
            link.put("source", null);
        }
        m.put("link", link);
        m.put("rewritten", r.rewritten());
        m.put("copiedNoLink", r.copied());
        m.put("entryPoints", r.generated());
        m.put("compiled", r.compiled());
        m.put("warnings", r.warnings());
        m.put("recovered", r.recovered());
        m.put("seconds", r.elapsed().toNanos() / 1e9);
        m.put("phases", r.phases());
        return m;
    }

    static void text(PrintWriter out, InstallReport r) {
        if (!r.recovered().isEmpty()) {
            out.println("note: " + r.recovered());
        }
        String verb = r.dryRun() ? "would " : "";
        r.removed().forEach(d -> out.println("  - " + d));
        r.added().forEach(d -> out.println("  + " + d));
        r.unchanged().forEach(d -> out.println("  = " + d + " (already installed)"));
        out.printf(Locale.ROOT, "%s%d packages %sadded, %d removed in %s (%.2f s)%n", r.dryRun() ? "dry run: " : "",
                r.added().size(), verb.isEmpty() ? "" : "", r.removed().size(), r.prefix(), r.elapsed().toNanos() / 1e9);
        if (!r.dryRun()) {
            ReportView.printMethods(out, r.links());
            out.printf(Locale.ROOT, "  %d files rewritten for the prefix, %d copied (no_link), %d entry points%s%n",
                    r.rewritten(), r.copied(), r.generated(),
                    r.compiled() > 0 ? ", " + r.compiled() + " python sources compiled" : "");
            ReportView.printFallbacks(out, r.links());
        }
        r.warnings().forEach(w -> out.println("warning: " + w));
        out.flush();
    }
}
