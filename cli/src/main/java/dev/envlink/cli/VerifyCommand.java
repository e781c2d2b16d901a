package dev.envlink.cli;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.PackageCache;
import dev.envlink.cache.config.Env;
import dev.envlink.env.Installer;
import dev.envlink.env.Verifier;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** envlink verify: hash every file of a prefix against its records. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Hashes every file of the environment at --prefix against its conda-meta record and reports "
                    + "modified and missing files. A modified file that is a hardlink into the package cache "
                    + "means the cache entry is damaged too.",
            "--repair re-extracts damaged cache entries from their archives and places the affected packages again."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.DAMAGED_HELP})
final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--prefix"}, required = true, paramLabel = "DIR", description = "The environment.")
    Path prefix;

    @Option(names = "--repair", description = "Repair damaged cache entries and place damaged packages again.")
    boolean repair;

    @Mixin
    LinkModeOptions link;

    @Mixin
    CacheOptions cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(prefix.resolve("conda-meta"))) {
            throw new NoSuchFileException(prefix.toString(), null, "not an environment (no conda-meta/)");
        }
        Installer installer = new Installer(link.options(cache.config(Env.system()).linkMode()), Version.get(),
                "envlink verify --repair");
        String recovered = installer.recover(prefix);
        Verifier.Result before = new Verifier().verify(prefix);
        Verifier.Result after = before;
        List<String> repairedEntries = new ArrayList<>();
        List<String> replaced = new ArrayList<>();
        if (repair && !before.ok()) {
            Set<Path> damagedEntries = new LinkedHashSet<>();
            Set<String> packages = new LinkedHashSet<>();
            for (Verifier.Problem p : before.problems()) {
                packages.add(p.name());
                if (p.cacheDamaged()) {
                    p.cacheEntry().ifPresent(damagedEntries::add);
                }
            }
            for (Path entryDir : damagedEntries) {
                Path pkgs = entryDir.getParent();
                PackageCache pc = PackageCache.open(pkgs.getParent());
                CacheEntry e = pc.find(entryDir.getFileName().toString()).orElseThrow(
                        () -> new NoSuchFileException(entryDir.toString(), null, "cache entry not found"));
                pc.repairEntry(e);
                repairedEntries.add(entryDir.toString());
            }
            installer.reinstall(prefix, new ArrayList<>(packages));
            replaced.addAll(packages);
            after = new Verifier().verify(prefix);
        }
        var out = spec.commandLine().getOut();
        if (json.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("prefix", prefix.toAbsolutePath().toString());
            m.put("packages", before.packages());
            m.put("files", before.files());
            m.put("problems", before.problems().stream().map(VerifyCommand::problem).toList());
            m.put("repairedCacheEntries", repairedEntries);
            m.put("placedAgain", replaced);
            m.put("problemsAfterRepair", repair ? after.problems().stream().map(VerifyCommand::problem).toList() : null);
            m.put("ok", after.ok());
            Json.print(out, m);
        } else {
            if (!recovered.isEmpty()) {
                out.println("note: " + recovered);
            }
            for (Verifier.Problem p : before.problems()) {
                out.println(p.dist() + ": " + p.path() + ": " + p.kind().name().toLowerCase() + " (" + p.detail() + ")");
            }
            repairedEntries.forEach(e -> out.println("repaired cache entry " + e));
            replaced.forEach(n -> out.println("placed " + n + " again"));
            out.printf("%d packages, %d files checked: %d problems%s%n", before.packages(), before.files(),
                    before.problems().size(), repair && !before.ok()
                            ? (after.ok() ? ", all repaired" : ", " + after.problems().size() + " remain") : "");
            out.flush();
        }
        return after.ok() ? ExitCodes.OK : ExitCodes.DAMAGED;
    }

    private static Map<String, Object> problem(Verifier.Problem p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("package", p.dist());
        m.put("path", p.path());
        m.put("kind", p.kind().name());
        m.put("cacheDamaged", p.cacheDamaged());
        m.put("cacheEntry", p.cacheEntry().map(Object::toString).orElse(null));
        m.put("detail", p.detail());
        return m;
    }
}
