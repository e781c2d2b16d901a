package dev.envlink.cli;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageCache;
import dev.envlink.cache.ValidationMode;
import dev.envlink.cache.config.Env;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** envlink cache clean. */
@Command(name = "clean", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Removes what interrupted runs left in the cache (staging directories, partial downloads).",
            "With --unused, also removes entries that no environment uses: environments registered in "
                    + "<cache>/environments.txt and those given with --prefix (their conda-meta records tell "
                    + "which packages they use)."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class CacheCleanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--unused", description = "Also remove entries no environment uses.")
    boolean unused;

    @Option(names = "--prefix", paramLabel = "DIR", description = "An environment whose packages must be kept (repeatable).")
    List<Path> prefixes = new ArrayList<>();

    @Mixin
    CacheOptions cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        // Opening the cache already removes leftovers whose package lock is free, so note them first:
        // otherwise they would be removed without being reported.
        Env env = Env.system();
        Path pkgs = cache.location(env, cache.config(env)).path().toAbsolutePath().normalize().resolve("pkgs");
        List<Path> candidates = leftoverCandidates(pkgs);
        PackageCache pc = cache.open(ValidationMode.SKIP);
        List<Path> leftovers = new ArrayList<>();
        for (Path p : candidates) {
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                leftovers.add(p);
            }
        }
        for (Path p : pc.cleanLeftovers()) {
            if (!leftovers.contains(p)) {
                leftovers.add(p);
            }
        }
        List<CacheEntry> removed = List.of();
        if (unused) {
            Set<String> used = UsedPackages.of(pc.root(), prefixes);
            removed = pc.removeUnused(used);
        }
        var out = spec.commandLine().getOut();
        if (json.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("leftoversRemoved", leftovers.stream().map(Object::toString).toList());
            m.put("entriesRemoved", removed.stream().map(CacheEntry::dist).toList());
            Json.print(out, m);
        } else {
            leftovers.forEach(p -> out.println("removed leftover " + p));
            removed.forEach(e -> out.println("removed unused " + e.dist()));
            out.printf("%d leftovers and %d unused entries removed%n", leftovers.size(), removed.size());
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** Names in pkgs/ that the cache treats as leftovers of interrupted runs (staging, trash, partial files). */
    private static List<Path> leftoverCandidates(Path pkgs) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(pkgs)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(pkgs, ".*")) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (n.startsWith(".tmp-") || n.startsWith(".trash-") || n.startsWith(".envlink-") || n.contains(".part-")) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
