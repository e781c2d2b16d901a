package dev.envlink.cli;

import dev.envlink.link.Fallback;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.LinkReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Text and JSON forms of a link report. */
final class ReportView {
    private ReportView() {
    }

    static Map<String, Object> of(Path source, Path target, LinkOptions options, LinkReport r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", source.toAbsolutePath().toString());
        m.put("target", target.toAbsolutePath().toString());
        m.put("mode", options.mode().label());
        m.put("strict", options.strict());
        Map<String, Object> methods = new LinkedHashMap<>();
        for (LinkMethod method : LinkMethod.values()) {
            methods.put(method.label(), Map.of("files", r.files().get(method), "bytes", r.bytes().get(method)));
        }
        m.put("methods", methods);
        m.put("files", r.totalFiles());
        m.put("bytes", r.totalBytes());
        m.put("directories", r.directories());
        m.put("symlinks", r.symlinks());
        List<Map<String, Object>> fallbacks = new ArrayList<>();
        for (Fallback f : r.fallbacks()) {
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("wanted", f.wanted().label());
            fm.put("used", f.used().label());
            fm.put("reason", f.reason().name());
            fm.put("description", f.reason().description());
            fm.put("advice", f.advice());
            fm.put("files", f.files());
            fm.put("bytes", f.bytes());
            fm.put("example", f.example());
            fallbacks.add(fm);
        }
        m.put("fallbacks", fallbacks);
        m.put("skipped", r.skipped());
        m.put("seconds", r.elapsed().toNanos() / 1e9);
        return m;
    }

    static void printText(PrintWriter out, Path source, Path target, LinkReport r) {
        out.printf(Locale.ROOT, "Linked %d files (%s) from %s to %s in %.2f s%n", r.totalFiles(),
                Sizes.human(r.totalBytes()), source, target, r.elapsed().toNanos() / 1e9);
        printMethods(out, r);
        out.printf(Locale.ROOT, "  %d directories, %d symlinks recreated%n", r.directories(), r.symlinks());
        printFallbacks(out, r);
        if (!r.skipped().isEmpty()) {
            out.println("Skipped:");
            r.skipped().forEach(s -> out.println("  " + s));
        }
        out.flush();
    }

    static void printMethods(PrintWriter out, LinkReport r) {
        for (LinkMethod m : LinkMethod.values()) {
            long files = r.files().get(m);
            if (files > 0 || m != LinkMethod.SYMLINK) {
                out.printf(Locale.ROOT, "  %-9s %8d files  %10s%n", m.label(), files, Sizes.human(r.bytes().get(m)));
            }
        }
    }

    static void printFallbacks(PrintWriter out, LinkReport r) {
        if (r.fallbacks().isEmpty()) {
            return;
        }
        out.println("Fallbacks:");
        for (Fallback f : r.fallbacks()) {
            out.printf(Locale.ROOT, "  %s -> %s: %d files (%s): %s (%s)%n", f.wanted().label(), f.used().label(),
                    f.files(), Sizes.human(f.bytes()), f.reason(), f.reason().description());
            out.println("    advice: " + f.advice());
            out.println("    e.g. " + f.example());
        }
    }
}
