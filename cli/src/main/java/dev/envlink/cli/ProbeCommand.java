package dev.envlink.cli;

import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.Linker;
import dev.envlink.link.MethodStatus;
import dev.envlink.link.PairProbe;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** envlink probe DIR [DIR2]: which methods really work from DIR to DIR2, tested, not guessed. */
@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {
            "Shows the filesystem type and device of DIR and DIR2 (default: DIR itself), and which link "
                    + "methods actually work from DIR to DIR2.",
            "Each method is tried for real on a temporary file, which is removed afterwards. When DIR is "
                    + "not writable, an existing file in it is used as the sample (it is only read)."
        },
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP})
final class ProbeCommand implements Callable<Integer> {
    private static final int SAMPLE_BYTES = 256 * 1024;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Source directory (e.g. the package cache).")
    Path dir;

    @Parameters(index = "1", paramLabel = "DIR2", arity = "0..1",
            description = "Destination directory (e.g. where environments go). Default: DIR.")
    Path dir2;

    @Mixin
    JsonOption json;

    @Override
    public Integer call() throws IOException {
        Path source = requireDirectory(dir);
        Path target = requireDirectory(dir2 == null ? dir : dir2);
        Linker linker = Linker.create(LinkOptions.defaults());
        FsInfo srcInfo = FsDescriber.describe(linker.providers(), source);
        FsInfo dstInfo = FsDescriber.describe(linker.providers(), target);
        Sample sample = sampleIn(source);
        PairProbe probe = probeFrom(linker, sample, target);
        Optional<LinkMethod> auto = LinkMode.AUTO.chain(false).stream()
                .filter(m -> !probe.status(m).declined()).findFirst();
        var out = spec.commandLine().getOut();
        if (json.json) {
            Json.print(out, toJson(source, target, srcInfo, dstInfo, sample, probe, auto));
        } else {
            printText(out, source, target, srcInfo, dstInfo, sample, probe, auto);
        }
        return ExitCodes.OK;
    }

    private static Path requireDirectory(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new NoSuchFileException(p.toString(), null, "no such directory (probe needs existing directories)");
        }
        if (!Files.isDirectory(p)) {
            throw new FileSystemException(p.toString(), null, "not a directory (probe needs existing directories)");
        }
        return p.toAbsolutePath().normalize();
    }

    record Sample(Path path, boolean temporary) {
    }

    /** A real trial of every method from the sample into {@code target}; a temporary sample is removed. */
    static PairProbe probeFrom(Linker linker, Sample sample, Path target) throws IOException {
        try {
            return linker.probe(sample.path(), target);
        } finally {
            if (sample.temporary()) {
                Files.deleteIfExists(sample.path());
            }
        }
    }

    /** A fresh file with real data blocks, or, in a read-only directory, an existing file. */
    static Sample sampleIn(Path dir) throws IOException {
        try {
            Path p = Files.createTempFile(dir, ".envlink-probe-src-", "");
            byte[] data = new byte[SAMPLE_BYTES];
            new Random(42).nextBytes(data);
            try (OutputStream o = Files.newOutputStream(p)) {
                o.write(data);
            } catch (IOException e) {
                Files.deleteIfExists(p);
                throw new IOException("cannot write the probe sample " + p + ": " + e.getMessage(), e);
            }
            return new Sample(p, true);
        } catch (AccessDeniedException e) {
            return existingFileIn(dir, e);
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("Read-only")) {
                return existingFileIn(dir, e);
            }
            throw e;
        }
    }

    private static Sample existingFileIn(Path dir, IOException why) throws IOException {
        try (Stream<Path> s = Files.walk(dir, 4)) {
            Optional<Path> f = s.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    && Files.isReadable(p)).findFirst();
            if (f.isPresent()) {
                return new Sample(f.get(), false);
            }
        }
        throw new IOException(dir + " is not writable (" + why.getMessage()
                + ") and holds no readable file to probe with");
    }

    private static Map<String, Object> toJson(Path source, Path target, FsInfo srcInfo, FsInfo dstInfo, Sample sample,
                                              PairProbe probe, Optional<LinkMethod> auto) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", fsJson(source, srcInfo));
        m.put("target", fsJson(target, dstInfo));
        m.put("sameDevice", probe.sameDevice());
        m.put("sample", sample.temporary() ? "temporary file" : sample.path().toString());
        List<Map<String, Object>> methods = new ArrayList<>();
        for (LinkMethod method : LinkMethod.values()) {
            MethodStatus s = probe.status(method);
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("method", method.label());
            sm.put("works", s.works());
            sm.put("state", s.state().name());
            sm.put("reason", s.reason() == null ? null : s.reason().name());
            sm.put("detail", s.detail());
            sm.put("provider", s.provider());
            methods.add(sm);
        }
        m.put("methods", methods);
        m.put("autoWouldUse", auto.map(LinkMethod::label).orElse(null));
        return m;
    }

    private static Map<String, Object> fsJson(Path p, FsInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", p.toString());
        m.put("type", info.type());
        m.put("device", info.device());
        m.put("detail", info.detail());
        return m;
    }

    private static void printText(java.io.PrintWriter out, Path source, Path target, FsInfo srcInfo, FsInfo dstInfo,
                                  Sample sample, PairProbe probe, Optional<LinkMethod> auto) {
        out.printf(Locale.ROOT, "source       %s%n             %s on device %s (%s)%n", source, srcInfo.type(),
                srcInfo.device(), srcInfo.detail());
        out.printf(Locale.ROOT, "destination  %s%n             %s on device %s (%s)%n", target, dstInfo.type(),
                dstInfo.device(), dstInfo.detail());
        out.println("same device  " + (probe.sameDevice() ? "yes" : "no"));
        if (!sample.temporary()) {
            out.println("sample       " + sample.path() + " (DIR is not writable)");
        }
        out.println("methods (tested):");
        for (LinkMethod method : LinkMethod.values()) {
            MethodStatus s = probe.status(method);
            String verdict = switch (s.state()) {
                case WORKS -> "works";
                case DECLINED -> "no: " + s.reason();
                case UNKNOWN -> s.reason() == null ? "not tested" : "inconclusive: " + s.reason();
            };
            out.printf(Locale.ROOT, "  %-9s %s%n", method.label(), verdict);
            if (!s.works() && s.detail() != null) {
                out.println("            " + s.detail());
            }
        }
        out.println("auto would use: " + auto.map(LinkMethod::label).orElse("nothing"));
        probe.statuses().values().stream().filter(MethodStatus::declined).map(s -> s.reason().advice()).distinct()
                .forEach(a -> out.println("advice: " + a));
        out.flush();
    }
}
