package dev.envlink.cli;

import dev.envlink.cache.PackageCache;
import dev.envlink.cache.ValidationMode;
import dev.envlink.cache.config.Env;
import dev.envlink.cache.config.EnvlinkConfig;
import dev.envlink.cache.download.Downloader;
import dev.envlink.cache.download.Mirrors;
import dev.envlink.cache.download.ProgressListener;
import dev.envlink.cache.download.TerminalProgress;
import dev.envlink.env.InstallReport;
import dev.envlink.env.Installer;
import dev.envlink.env.Phases;
import dev.envlink.env.PackageFetcher;
import dev.envlink.link.SourceMismatchException;
import dev.envlink.env.input.ExplicitSpec;
import dev.envlink.env.input.InstallInputs;
import dev.envlink.env.input.PackageRef;
import dev.envlink.env.input.PixiLockFile;
import dev.envlink.env.input.UnsupportedEntry;
import dev.envlink.link.LinkOptions;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** envlink install: materialise packages into a prefix. */
@Command(name = "install", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Installs packages into the environment at --prefix, placing each file by reflink, hardlink or copy.",
            "Packages come from archives or URLs given as arguments, an @EXPLICIT spec (--explicit), or a pixi "
                    + "lock file (--lockfile). An installed package of the same name is replaced (update). The "
                    + "whole install is one transaction: on any failure the prefix is rolled back."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.STRICT_HELP})
final class InstallCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--prefix"}, required = true, paramLabel = "DIR", description = "The environment.")
    Path prefix;

    @Parameters(paramLabel = "ARCHIVE|URL", arity = "0..*", description = "Package files or URLs.")
    List<String> packages = new ArrayList<>();

    @Option(names = "--explicit", paramLabel = "FILE", description = "A conda @EXPLICIT spec.")
    Path explicit;

    @Option(names = "--lockfile", paramLabel = "FILE", description = "A pixi lock file (format v6 or v7).")
    Path lockfile;

    @Option(names = "--environment", paramLabel = "NAME", defaultValue = "default",
            description = "Lock file environment (default: ${DEFAULT-VALUE}).")
    String environment;

    @Option(names = "--platform", paramLabel = "SUBDIR", description = "Lock file platform (default: this machine's).")
    String platform;

    @Option(names = "--mirror", paramLabel = "FROM=TO", description = "Fetch URLs starting with FROM from TO (repeatable).")
    Map<String, String> mirrors = new LinkedHashMap<>();

    @Option(names = "--validation", paramLabel = "MODE", defaultValue = "fast",
            description = "How to check a cached package before using it: skip (info/index.json is there), fast "
                    + "(every file exists with its recorded size), full (and its sha256) (default: ${DEFAULT-VALUE}).")
    String validation;

    @Option(names = "--dry-run", description = "Print the plan; change nothing.")
    boolean dryRun;

    @Mixin
    LinkModeOptions link;

    @Mixin
    CacheOptions cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        Phases phases = new Phases();
        Env env = Env.system();
        EnvlinkConfig config = cache.config(env);
        LinkOptions options = link.options(config.linkMode());
        List<PackageRef> refs = new ArrayList<>();
        List<UnsupportedEntry> unsupported = new ArrayList<>();
        for (String p : packages) {
            refs.add(refOf(p));
        }
        if (explicit != null) {
            InstallInputs in = ExplicitSpec.parse(explicit);
            refs.addAll(in.packages());
            unsupported.addAll(in.unsupported());
        }
        if (lockfile != null) {
            InstallInputs in = PixiLockFile.read(lockfile).select(environment, platform);
            refs.addAll(in.packages());
            unsupported.addAll(in.unsupported());
        }
        if (refs.isEmpty() && unsupported.isEmpty()) {
            throw new IllegalArgumentException("nothing to install: give archives/URLs, --explicit or --lockfile");
        }
        PackageCache pc = cache.open(ValidationMode.parse(validation));
        Map<String, String> allMirrors = new LinkedHashMap<>(config.mirrors());
        allMirrors.putAll(mirrors);
        ProgressListener progress = TerminalProgress.forTerminal(json.json).orElse(ProgressListener.none());
        InstallReport report;
        try (Downloader d = Downloader.builder().mirrors(new Mirrors(allMirrors)).progress(progress).build()) {
            phases.mark("read inputs");
            // Sizes of warm cache files are checked as they are placed, not in a pass before.
            List<Installer.Request> requests = new PackageFetcher(pc, d, options.parallelism())
                    .sizesCheckedWhilePlacing(!dryRun).fetch(refs);
            phases.mark("fetch");
            Installer installer = new Installer(options, Version.get(), commandLine()).phases(phases)
                    .progress(InstallBar.forTerminal(json.json).orElse(dev.envlink.env.InstallProgress.none()));
            try {
                report = installer.install(prefix, requests, dryRun);
            } catch (SourceMismatchException damaged) {
                // Rolled back. Check every entry before use this time: the damaged one is extracted
                // again from its archive (or the install fails naming what cannot be repaired).
                spec.commandLine().getErr().println("envlink: " + damaged.getMessage()
                        + "; the prefix was rolled back, checking the cached packages and installing again");
                spec.commandLine().getErr().flush();
                requests = new PackageFetcher(pc, d, options.parallelism()).fetch(refs);
                phases.mark("fetch");
                report = installer.install(prefix, requests, dryRun);
            }
        }
        if (!dryRun) {
            Environments.register(pc.root(), prefix);
        }
        var out = spec.commandLine().getOut();
        if (json.json) {
            Map<String, Object> m = InstallView.json(report, options, pc.pkgsDir());
            m.put("unsupported", unsupported.stream().map(u -> Map.of("kind", u.kind(), "name", u.name(),
                    "location", u.location(), "reason", u.reason())).toList());
            Json.print(out, m);
        } else {
            InstallView.text(out, report);
            for (UnsupportedEntry u : unsupported) {
                out.println("not installed (" + u.kind() + "): " + u.name() + " — " + u.reason());
            }
            out.flush();
        }
        return ExitCodes.OK;
    }

    private String commandLine() {
        return "envlink " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    }

    /** A file or URL from the command line as a package reference. */
    static PackageRef refOf(String p) {
        URI uri;
        if (p.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
            uri = URI.create(p);
        } else {
            Path f = Path.of(p).toAbsolutePath().normalize();
            if (!Files.isRegularFile(f)) {
                throw new IllegalArgumentException(p + ": no such package file");
            }
            uri = f.toUri();
        }
        String fn = Path.of(uri.getPath()).getFileName().toString();
        return new PackageRef(uri, fn, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }
}
