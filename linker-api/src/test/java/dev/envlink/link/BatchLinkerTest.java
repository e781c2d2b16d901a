package dev.envlink.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The batch engine's runs and its use of a provider's directory fast path: which files go which
 * way, and that both ways report the same methods and fallbacks.
 */
class BatchLinkerTest {
    @TempDir
    Path dir;

    /** Hardlinks through NIO; its directory fast path refuses names starting with "slow-". */
    static final class FastProvider implements LinkProvider {
        final List<String> fast = Collections.synchronizedList(new ArrayList<>());
        final List<String> ordinary = Collections.synchronizedList(new ArrayList<>());
        final List<String> opened = Collections.synchronizedList(new ArrayList<>());
        final List<LinkMethod> fastMethods = Collections.synchronizedList(new ArrayList<>());
        final java.util.concurrent.atomic.AtomicInteger closed = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicInteger deviceReads = new java.util.concurrent.atomic.AtomicInteger();
        boolean reflinkWorks;

        @Override
        public String id() {
            return "fast";
        }

        @Override
        public int priority() {
            return 1;
        }

        @Override
        public Set<LinkMethod> methods() {
            return EnumSet.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.COPY);
        }

        @Override
        public Availability availability() {
            return Availability.ok();
        }

        @Override
        public void link(LinkMethod method, Path source, Path target) throws IOException {
            if (method == LinkMethod.REFLINK && !reflinkWorks) {
                throw new LinkDeclinedException(method, DeclineReason.UNSUPPORTED_BY_FILESYSTEM, source, target, "no");
            }
            if (!target.getFileName().toString().startsWith(".envlink-probe")) {
                ordinary.add(target.getFileName().toString());
            }
            if (method == LinkMethod.COPY) {
                Files.copy(source, target);
            } else {
                Files.createLink(target, source);
            }
        }

        @Override
        public Optional<DirectoryLinker> openDirectories(Path sourceDir, Path targetDir) {
            opened.add(targetDir.getFileName().toString());
            return Optional.of(new DirectoryLinker() {
                @Override
                public boolean supports(LinkMethod m) {
                    return m != LinkMethod.COPY;
                }

                @Override
                public String sourceDevice() {
                    deviceReads.incrementAndGet();
                    return device(sourceDir);
                }

                @Override
                public String targetDevice() {
                    deviceReads.incrementAndGet();
                    return device(targetDir);
                }

                @Override
                public boolean tryLink(LinkMethod m, String sourceName, String targetName, long expectedSize) {
                    fastMethods.add(m);
                    if (targetName.startsWith("slow-")) {
                        return false;
                    }
                    try {
                        if (Files.size(sourceDir.resolve(sourceName)) != expectedSize) {
                            return false;
                        }
                    } catch (IOException e) {
                        return false;
                    }
                    try {
                        Files.createLink(targetDir.resolve(targetName), sourceDir.resolve(sourceName));
                    } catch (IOException e) {
                        return false;
                    }
                    fast.add(targetName);
                    return true;
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            });
        }

        private static String device(Path p) {
            try {
                return DeviceIds.of(p);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private List<BatchLinker.Placement> tree(int dirs, int files) throws IOException {
        List<BatchLinker.Placement> ps = new ArrayList<>();
        for (int d = 0; d < dirs; d++) {
            Path sd = Files.createDirectories(dir.resolve("src/d" + d));
            Path td = Files.createDirectories(dir.resolve("dst/d" + d));
            for (int i = 0; i < files; i++) {
                String name = (i % 10 == 3 ? "slow-" : "f") + i;
                Files.writeString(sd.resolve(name), "x".repeat(i % 5));
                ps.add(new BatchLinker.Placement(sd, name, td, name, i % 5));
            }
        }
        return ps;
    }

    @Test
    void runsFollowDirectoriesAndAreBounded() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        List<BatchLinker.Placement> ps = new ArrayList<>();
        for (int i = 0; i < BatchLinker.MAX_RUN + 10; i++) {
            ps.add(new BatchLinker.Placement(a, "f" + i, b, "f" + i, 1));
        }
        ps.add(new BatchLinker.Placement(a, "x", a, "x", 1));
        ps.add(new BatchLinker.Placement(Path.of(a.toString()), "y", a, "y", 1)); // equal, not the same object
        List<int[]> runs = BatchLinker.runs(ps);
        assertEquals(3, runs.size());
        assertEquals(List.of(0, BatchLinker.MAX_RUN), List.of(runs.get(0)[0], runs.get(0)[1]));
        assertEquals(List.of(BatchLinker.MAX_RUN, BatchLinker.MAX_RUN + 10), List.of(runs.get(1)[0], runs.get(1)[1]));
        assertEquals(List.of(BatchLinker.MAX_RUN + 10, ps.size()), List.of(runs.get(2)[0], runs.get(2)[1]));
        assertEquals(List.of(), BatchLinker.runs(List.of()));
    }

    /** Directories with a device anchor: the anchor's device is looked up once, not each run's two. */
    @Test
    void devicesComeFromAnchorsOncePerAnchor() throws IOException {
        FastProvider p = new FastProvider();
        List<BatchLinker.Placement> ps = tree(3, 40);
        Linker linker = new Linker(LinkProviders.of(p), LinkOptions.defaults().withMode(LinkMode.AUTO).withParallelism(2));
        BatchLinker.Outcomes out = new BatchLinker(linker).placeAll(ps, (i, m, b) -> { },
                BatchLinker.DirectoryGate.NONE, Path::getParent);
        assertEquals(0, p.deviceReads.get(), "no run asked its open directories for their devices");
        assertEquals(108, p.fast.size(), "the fast path, by the anchors' devices");
        for (int i = 0; i < out.size(); i++) {
            assertEquals(LinkMethod.HARDLINK, out.method(i));
        }

        FastProvider q = new FastProvider();
        Linker plain = new Linker(LinkProviders.of(q), LinkOptions.defaults().withMode(LinkMode.AUTO).withParallelism(2));
        new BatchLinker(plain).placeAll(tree(3, 40).stream().map(x -> new BatchLinker.Placement(x.sourceDir(),
                x.sourceName(), x.targetDir().resolveSibling(x.targetDir().getFileName() + "-plain"), x.targetName(),
                x.knownSize())).peek(x -> mkdirs(x.targetDir())).toList(), n -> { });
        assertEquals(6, q.deviceReads.get(), "without anchors: both devices of each of the 3 runs");
    }

    private static void mkdirs(Path d) {
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void fastPathForTheFirstChoiceOrdinaryPathForTheRest() throws IOException {
        FastProvider p = new FastProvider();
        List<BatchLinker.Placement> ps = tree(3, 40);
        Linker linker = new Linker(LinkProviders.of(p), LinkOptions.defaults().withMode(LinkMode.AUTO).withParallelism(3));
        BatchLinker.Outcomes out = new BatchLinker(linker).placeAll(ps, n -> { });

        assertEquals(108, p.fast.size());
        assertEquals(12, p.ordinary.size(), "the files the fast path refused");
        assertTrue(p.ordinary.stream().allMatch(n -> n.startsWith("slow-")));
        assertEquals(3, p.opened.size(), "one opening per directory pair");
        assertEquals(3, p.closed.get());
        assertTrue(p.fastMethods.stream().allMatch(m -> m == LinkMethod.HARDLINK), "reflink was ruled out by the probe");
        LinkReport.Builder b = new LinkReport.Builder();
        out.addTo(b);
        LinkReport r = b.build(List.of());
        assertEquals(120L, r.files().get(LinkMethod.HARDLINK));
        assertEquals(1, r.fallbacks().size());
        assertEquals(120, r.fallbacks().get(0).files(), "both ways report the probe's reflink decline");
        for (int i = 0; i < out.size(); i++) {
            FileOutcome o = out.outcome(i);
            assertEquals(LinkMethod.HARDLINK, o.method());
            assertEquals(ps.get(i).target(), o.target());
            assertEquals(1, o.declines().size());
            assertEquals(Files.readString(ps.get(i).source()), Files.readString(ps.get(i).target()));
        }
    }

    @Test
    void sizesAreCheckedAgainstTheMetadata() throws IOException {
        FastProvider p = new FastProvider();
        List<BatchLinker.Placement> ps = tree(1, 20);
        Files.writeString(ps.get(7).source(), "changed in the cache");
        Linker linker = new Linker(LinkProviders.of(p), LinkOptions.defaults().withParallelism(1));
        SourceMismatchException e = org.junit.jupiter.api.Assertions.assertThrows(SourceMismatchException.class,
                () -> new BatchLinker(linker).placeAll(ps, n -> { }));
        assertEquals(ps.get(7).source(), e.source());
        assertTrue(e.getMessage().contains("20 bytes") && e.getMessage().contains("records 2 bytes"), e.getMessage());
        assertTrue(!Files.exists(ps.get(7).target()), "the damaged file is not placed");
    }

    @Test
    void noFastPathWhereTheEngineDecidesPerFile() throws IOException {
        FastProvider p = new FastProvider();
        List<BatchLinker.Placement> ps = tree(1, 20);
        // Strict reflink, ruled out by the probe: every file must fail the strict way.
        Linker strict = new Linker(LinkProviders.of(p),
                LinkOptions.defaults().withMode(LinkMode.REFLINK).withStrict(true).withParallelism(2));
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(StrictModeException.class,
                () -> new BatchLinker(strict).placeAll(ps, n -> { })).getMessage().contains("reflink"));
        assertEquals(List.of(), p.fastMethods, "no file went the fast way");
        assertEquals(p.opened.size(), p.closed.get(), "what was opened was closed");

        // Unknown sizes: the source is stat'ed file by file (it might be a symlink).
        FastProvider q = new FastProvider();
        List<BatchLinker.Placement> unknown = new ArrayList<>();
        for (BatchLinker.Placement x : ps) {
            unknown.add(new BatchLinker.Placement(x.sourceDir(), x.sourceName(), dir.resolve("dst2"), x.targetName(), -1));
        }
        Files.createDirectories(dir.resolve("dst2"));
        new BatchLinker(new Linker(LinkProviders.of(q), LinkOptions.defaults().withParallelism(2))).placeAll(unknown, n -> { });
        assertEquals(List.of(), q.opened);
        assertEquals(20, q.ordinary.size());
    }

    @Test
    void everyRunWaitsAtTheGateForItsTargetDirectory() throws IOException {
        FastProvider p = new FastProvider();
        List<BatchLinker.Placement> ps = tree(4, 10);
        // The target directories do not exist yet: the gate makes each one as its run asks for it.
        for (int d = 0; d < 4; d++) {
            Files.delete(dir.resolve("dst/d" + d));
        }
        List<Path> asked = Collections.synchronizedList(new ArrayList<>());
        Linker linker = new Linker(LinkProviders.of(p), LinkOptions.defaults().withParallelism(2));
        new BatchLinker(linker).placeAll(ps, (i, m, b) -> { }, targetDir -> {
            asked.add(targetDir);
            Files.createDirectories(targetDir);
        });
        assertEquals(4, asked.size(), "one wait per run");
        for (BatchLinker.Placement x : ps) {
            assertEquals(Files.readString(x.source()), Files.readString(x.target()));
        }

        // A gate that fails stops the placement with its error.
        FastProvider q = new FastProvider();
        List<BatchLinker.Placement> more = new ArrayList<>();
        for (BatchLinker.Placement x : ps) {
            more.add(new BatchLinker.Placement(x.sourceDir(), x.sourceName(), dir.resolve("never"), x.targetName(), -1));
        }
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new BatchLinker(new Linker(LinkProviders.of(q), LinkOptions.defaults())).placeAll(more,
                        (i, m, b) -> { }, targetDir -> {
                            throw new IOException("cannot make " + targetDir);
                        }));
        assertTrue(e.getMessage().contains("cannot make " + dir.resolve("never")), e.getMessage());
        assertEquals(List.of(), q.ordinary);
    }
}
