package dev.envlink.cli;

import dev.envlink.cache.PackageCache;
import dev.envlink.cache.ValidationMode;
import dev.envlink.cache.config.Env;
import dev.envlink.cache.config.EnvlinkConfig;
import dev.envlink.cache.download.Checksums;
import dev.envlink.cache.download.DownloadRequest;
import dev.envlink.cache.download.Downloader;
import dev.envlink.cache.download.Mirrors;
import dev.envlink.cache.download.ProgressListener;
import dev.envlink.cache.download.TerminalProgress;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** envlink cache add: download (if a URL) and extract packages into the cache. */
@Command(name = "add", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Adds package archives (.conda or .tar.bz2 files, or http(s):// and file:// URLs) to the cache.",
            "Each is checked against --sha256/--md5 when given, extracted into a private directory and "
                    + "published atomically; an entry that is already there and sound is reused."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class CacheAddCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "ARCHIVE|URL", arity = "1..*", description = "Package files or URLs.")
    List<String> packages;

    @Option(names = "--sha256", paramLabel = "HEX", description = "Expected sha256 (only with one package).")
    String sha256;

    @Option(names = "--md5", paramLabel = "HEX", description = "Expected md5 (only with one package).")
    String md5;

    @Option(names = "--mirror", paramLabel = "FROM=TO",
            description = "Fetch URLs starting with FROM from TO instead (repeatable; adds to the config's mirrors).")
    Map<String, String> mirrors = new LinkedHashMap<>();

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Packages extracted in parallel (default: ${DEFAULT-VALUE}).")
    int jobs = Math.max(1, Runtime.getRuntime().availableProcessors());

    @Option(names = "--validation", paramLabel = "MODE", defaultValue = "fast",
            description = "How to check an existing entry before reusing it: skip, fast, full (default: ${DEFAULT-VALUE}).")
    String validation;

    @Mixin
    CacheOptions cache;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws Exception {
        if ((sha256 != null || md5 != null) && packages.size() != 1) {
            throw new IllegalArgumentException("--sha256/--md5 apply to a single package; got " + packages.size());
        }
        if (jobs < 1) {
            throw new IllegalArgumentException("--jobs must be at least 1");
        }
        Checksums expected = new Checksums(Optional.ofNullable(sha256).map(s -> s.toLowerCase(Locale.ROOT)),
                Optional.ofNullable(md5).map(s -> s.toLowerCase(Locale.ROOT)));
        Env env = Env.system();
        EnvlinkConfig config = cache.config(env);
        PackageCache pc = cache.open(ValidationMode.parse(validation));

        List<PackageCache.AddRequest> requests = new ArrayList<>();
        List<DownloadRequest> downloads = new ArrayList<>();
        for (String p : packages) {
            if (p.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
                URI uri = URI.create(p);
                String fn = Path.of(uri.getPath()).getFileName().toString();
                Path target = pc.pkgsDir().resolve(fn);
                downloads.add(new DownloadRequest(uri, target, expected));
                requests.add(new PackageCache.AddRequest(target, expected, p, null));
            } else {
                requests.add(new PackageCache.AddRequest(Path.of(p), expected, null, null));
            }
        }
        if (!downloads.isEmpty()) {
            Map<String, String> all = new LinkedHashMap<>(config.mirrors());
            all.putAll(mirrors);
            ProgressListener progress = TerminalProgress.forTerminal(json.json).orElse(ProgressListener.none());
            try (Downloader d = Downloader.builder().mirrors(new Mirrors(all)).progress(progress).build()) {
                d.downloadAll(downloads);
            }
        }
        List<PackageCache.AddResult> results = addAll(pc, requests);
        print(results);
        return ExitCodes.OK;
    }

    /** Different packages extract in parallel; the cache's own locks serialise the same package. */
    private List<PackageCache.AddResult> addAll(PackageCache pc, List<PackageCache.AddRequest> requests)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, requests.size()));
        try {
            List<Future<PackageCache.AddResult>> futures = new ArrayList<>();
            for (PackageCache.AddRequest r : requests) {
                futures.add(pool.submit(() -> pc.add(r)));
            }
            List<PackageCache.AddResult> out = new ArrayList<>();
            IOException failure = null;
            for (Future<PackageCache.AddResult> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    IOException io = e.getCause() instanceof IOException i ? i : new IOException(e.getCause());
                    if (failure == null) {
                        failure = io;
                    } else {
                        failure.addSuppressed(io);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private void print(List<PackageCache.AddResult> results) {
        var out = spec.commandLine().getOut();
        if (json.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (PackageCache.AddResult r : results) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dist", r.entry().dist());
                m.put("outcome", r.outcome().name());
                m.put("path", r.entry().path().toString());
                m.put("writable", r.entry().writable());
                m.put("repairedProblems", r.problemsRepaired());
                list.add(m);
            }
            Json.print(out, Map.of("packages", list));
            return;
        }
        for (PackageCache.AddResult r : results) {
            String what = switch (r.outcome()) {
                case EXTRACTED -> "extracted";
                case REUSED -> "already cached";
                case FOUND_IN_LAYER -> "found in read-only layer " + r.entry().layer();
                case REPAIRED -> "re-extracted (was: " + String.join("; ", r.problemsRepaired()) + ")";
            };
            out.printf("%-50s %s%n", r.entry().dist(), what);
        }
        out.flush();
    }
}
