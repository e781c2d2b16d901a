package dev.envlink.cli;

import dev.envlink.cache.config.CacheLocation;
import dev.envlink.cache.config.Env;
import dev.envlink.cache.config.EnvlinkConfig;
import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.Linker;
import dev.envlink.link.MethodStatus;
import dev.envlink.link.PairProbe;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** envlink info --prefix: how installs from the cache into this prefix will place files, and why. */
final class PrefixInfo {
    private final CommandSpec spec;
    private final CacheOptions cache;
    private final LinkModeOptions link;
    private final boolean json;

    PrefixInfo(CommandSpec spec, CacheOptions cache, LinkModeOptions link, boolean json) {
        this.spec = spec;
        this.cache = cache;
        this.link = link;
        this.json = json;
    }

    int show(Path prefix) throws IOException {
        Env env = Env.system();
        EnvlinkConfig config = cache.config(env);
        CacheLocation loc = cache.location(env, config);
        LinkOptions options = link.options(config.linkMode());
        Path pkgs = Files.createDirectories(loc.path().resolve("pkgs"));
        Path target = existingAncestor(prefix.toAbsolutePath().normalize());
        Linker linker = Linker.create(options);
        FsInfo cacheFs = FsDescriber.describe(linker.providers(), pkgs);
        FsInfo prefixFs = FsDescriber.describe(linker.providers(), target);
        PairProbe probe = ProbeCommand.probeFrom(linker, ProbeCommand.sampleIn(pkgs), target);
        LinkMethod used = options.mode().chain(options.strict()).stream()
                .filter(m -> !probe.status(m).declined()).findFirst().orElse(null);
        List<String> advice = new ArrayList<>();
        if (!probe.sameDevice() && probe.status(LinkMethod.HARDLINK).declined()) {
            advice.add("the cache and the prefix are on different filesystems, so every file is copied: put "
                    + "the cache on the prefix's filesystem (--cache-dir or ENVLINK_CACHE_DIR)");
        } else if (used == LinkMethod.HARDLINK) {
            advice.add(prefixFs.type() + " cannot clone files: installs use hardlinks, so an edit in the "
                    + "environment also changes the cache (envlink verify finds it); Btrfs or XFS with reflink=1 "
                    + "would give isolated copy-on-write clones");
        }
        if (used == null) {
            advice.add("--strict with --link-mode " + options.mode().label() + " will fail here");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prefix", prefix.toAbsolutePath().toString());
            m.put("cache", Map.of("path", loc.path().toString(), "rule", loc.rule().name(), "detail", loc.detail(),
                    "type", cacheFs.type(), "device", cacheFs.device()));
            m.put("prefixFilesystem", Map.of("probedAt", target.toString(), "type", prefixFs.type(),
                    "device", prefixFs.device()));
            Map<String, Object> methods = new LinkedHashMap<>();
            for (LinkMethod method : LinkMethod.values()) {
                MethodStatus st = probe.status(method);
                methods.put(method.label(), st.reason() == null ? st.state().name() : st.state() + " " + st.reason());
            }
            m.put("methods", methods);
            m.put("mode", options.mode().label());
            m.put("installsWillUse", used == null ? null : used.label());
            m.put("advice", advice);
            Json.print(out, m);
            return ExitCodes.OK;
        }
        out.println("cache    " + loc.path() + " (" + loc.detail() + ")");
        out.println("         " + cacheFs.type() + " on device " + cacheFs.device());
        out.println("prefix   " + prefix.toAbsolutePath() + (target.equals(prefix.toAbsolutePath().normalize())
                ? "" : " (does not exist yet; probed at " + target + ")"));
        out.println("         " + prefixFs.type() + " on device " + prefixFs.device());
        for (LinkMethod method : List.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.COPY)) {
            MethodStatus st = probe.status(method);
            out.printf("  %-9s %s%n", method.label(), st.works() ? "works" : st.declined() ? "no: " + st.reason()
                    : "not tested");
        }
        out.println("installs (--link-mode " + options.mode().label() + ") will use: "
                + (used == null ? "nothing (strict)" : used.label()));
        advice.forEach(a -> out.println("advice: " + a));
        out.flush();
        return ExitCodes.OK;
    }

    private static Path existingAncestor(Path p) {
        Path cur = p;
        while (cur != null && !Files.isDirectory(cur)) {
            cur = cur.getParent();
        }
        return cur == null ? p.getRoot() : cur;
    }
}
