package dev.envlink.cli;

import dev.envlink.link.linux.Fiemap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** envlink du: what linking saved, per environment. */
@Command(name = "du", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "For each environment: apparent size, bytes shared with the cache or other environments, and "
                    + "bytes exclusive to it.",
            "Hardlinks are found by link count; reflinks by the FIEMAP shared-extent flag (Linux only)."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class DuCommand implements Callable<Integer> {
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");

    @Spec
    CommandSpec spec;

    @Option(names = {"-p", "--prefix"}, required = true, paramLabel = "DIR", description = "Environments (repeatable).")
    List<Path> prefixes;

    @Mixin
    JsonOption json;

    record Usage(Path prefix, long files, long apparent, long sharedHardlink, long sharedReflink, long exclusive,
                 boolean reflinksKnown) {
    }

    @Override
    public Integer call() throws IOException {
        List<Usage> all = new ArrayList<>();
        for (Path p : prefixes) {
            if (!Files.isDirectory(p)) {
                throw new NoSuchFileException(p.toString(), null, "no such environment");
            }
            all.add(measure(p));
        }
        var out = spec.commandLine().getOut();
        if (json.json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Usage u : all) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("prefix", u.prefix().toAbsolutePath().toString());
                m.put("files", u.files());
                m.put("apparentBytes", u.apparent());
                m.put("sharedByHardlink", u.sharedHardlink());
                m.put("sharedByReflink", u.reflinksKnown() ? u.sharedReflink() : null);
                m.put("exclusiveBytes", u.exclusive());
                rows.add(m);
            }
            Json.print(out, Map.of("environments", rows));
            return ExitCodes.OK;
        }
        out.printf("%-40s %8s %11s %11s %11s %11s%n", "prefix", "files", "apparent", "hardlinked", "reflinked",
                "exclusive");
        for (Usage u : all) {
            out.printf("%-40s %8d %11s %11s %11s %11s%n", u.prefix(), u.files(), Sizes.human(u.apparent()),
                    Sizes.human(u.sharedHardlink()), u.reflinksKnown() ? Sizes.human(u.sharedReflink()) : "n/a",
                    Sizes.human(u.exclusive()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Walks the prefix without following symlinks; each regular file counted once. */
    static Usage measure(Path prefix) throws IOException {
        long files = 0;
        long apparent = 0;
        long hard = 0;
        long reflink = 0;
        boolean reflinksKnown = LINUX;
        try (Stream<Path> s = Files.walk(prefix)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isRegularFile()) {
                    continue;
                }
                files++;
                apparent += a.size();
                Object nlink = Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
                if (nlink instanceof Integer n && n > 1) {
                    hard += a.size();
                    continue;
                }
                if (reflinksKnown && a.size() > 0) {
                    try {
                        reflink += Math.min(a.size(), Fiemap.sharedBytes(p));
                    } catch (IOException | LinkageError e) {
                        reflinksKnown = false; // no FIEMAP here (tmpfs, some network filesystems)
                    }
                }
            }
        }
        return new Usage(prefix, files, apparent, hard, reflink, Math.max(0, apparent - hard - reflink), reflinksKnown);
    }
}
