package dev.envlink.link;

import static dev.envlink.link.ScriptedProvider.SUCCEED;
import static dev.envlink.link.ScriptedProvider.decline;
import static dev.envlink.link.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One probe per (source device, target device) pair: a per-filesystem decline costs one trial for a
 * whole tree, a per-file decline is tried again for every file.
 */
class ProbeCacheTest {
    private static final int FILES = 500;

    @TempDir
    Path dir;
    Path tree;
    ScriptedProvider provider;

    @BeforeEach
    void setUp() throws IOException {
        tree = dir.resolve("tree");
        for (int i = 0; i < FILES; i++) {
            write(tree.resolve("d" + (i % 10) + "/sub/f" + i), "x".repeat(i % 7));
        }
        provider = new ScriptedProvider();
    }

    private LinkReport linkTree(LinkMode mode) throws IOException {
        Linker linker = new Linker(LinkProviders.of(provider),
                LinkOptions.defaults().withMode(mode).withParallelism(8));
        return linker.linkTree(tree, dir.resolve("out"));
    }

    @Test
    void filesystemDeclineIsProbedOnceForAWholeTree() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM));

        LinkReport report = linkTree(LinkMode.AUTO);

        assertEquals(1, provider.calls(LinkMethod.REFLINK), "reflink tried by the probe only");
        assertEquals(0, provider.fileCalls(LinkMethod.REFLINK));
        assertEquals(FILES, provider.fileCalls(LinkMethod.HARDLINK));
        assertEquals(0, provider.fileCalls(LinkMethod.COPY));
        assertEquals((long) FILES, report.files().get(LinkMethod.HARDLINK));
        assertEquals(1, report.fallbacks().size());
        assertEquals(FILES, report.fallbacks().get(0).files());

        assertEquals(1, report.probes().size());
        PairProbe probe = report.probes().get(0);
        assertTrue(probe.sameDevice());
        assertEquals(MethodStatus.State.DECLINED, probe.status(LinkMethod.REFLINK).state());
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, probe.status(LinkMethod.REFLINK).reason());
        assertTrue(probe.status(LinkMethod.HARDLINK).works());
        assertTrue(provider.calls(LinkMethod.COPY) <= 1, "copy never declines: at most one trial");
        assertEquals(List.of(), TestFiles.envlinkTemps(dir.resolve("out")), "probe trials are cleaned up");
    }

    @Test
    void crossDeviceDeclinesAreProbedOnceEach() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.CROSS_DEVICE))
                .on(LinkMethod.HARDLINK, decline(DeclineReason.CROSS_DEVICE));

        LinkReport report = linkTree(LinkMode.AUTO);

        assertEquals(1, provider.calls(LinkMethod.REFLINK));
        assertEquals(1, provider.calls(LinkMethod.HARDLINK));
        assertEquals(FILES, provider.fileCalls(LinkMethod.COPY));
        assertEquals((long) FILES, report.files().get(LinkMethod.COPY));
        assertEquals(2, report.fallbacks().size());
        report.fallbacks().forEach(f -> assertEquals(FILES, f.files(), f.toString()));
    }

    @Test
    void perFileDeclineIsNotCachedEveryFileTriesAgain() throws IOException {
        provider.on(LinkMethod.HARDLINK, decline(DeclineReason.TOO_MANY_LINKS));

        LinkReport report = linkTree(LinkMode.HARDLINK);

        assertEquals(FILES, provider.fileCalls(LinkMethod.HARDLINK), "each file tries its own hardlink");
        assertEquals(FILES, provider.fileCalls(LinkMethod.COPY));
        assertEquals((long) FILES, report.files().get(LinkMethod.COPY));
        assertEquals(MethodStatus.State.UNKNOWN, report.probes().get(0).status(LinkMethod.HARDLINK).state());
        Fallback f = report.fallbacks().get(0);
        assertEquals(DeclineReason.TOO_MANY_LINKS, f.reason());
        assertEquals(LinkMethod.HARDLINK, f.wanted());
        assertEquals(LinkMethod.COPY, f.used());
        assertEquals(FILES, f.files());
    }

    @Test
    void perFileDeclineOnSomeFilesOnlyCopiesThoseFiles() throws IOException {
        // Files whose number ends in 7 are at the link limit; the others hardlink fine.
        provider.on(LinkMethod.HARDLINK, source -> source.getFileName().toString().endsWith("7")
                ? decline(DeclineReason.TOO_MANY_LINKS) : SUCCEED);

        LinkReport report = linkTree(LinkMode.HARDLINK);

        long atLimit = FILES / 10;
        assertEquals(atLimit, report.files().get(LinkMethod.COPY));
        assertEquals(FILES - atLimit, report.files().get(LinkMethod.HARDLINK));
        assertEquals(1, report.fallbacks().size());
        assertEquals(atLimit, report.fallbacks().get(0).files());
        Path copied = dir.resolve("out/d7/sub/f7");
        Path linked = dir.resolve("out/d8/sub/f8");
        assertTrue(!Files.isSameFile(tree.resolve("d7/sub/f7"), copied));
        assertTrue(Files.isSameFile(tree.resolve("d8/sub/f8"), linked));
    }

    @Test
    void probeIsSharedBetweenSingleFileCallsOfOneLinker() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM));
        Linker linker = new Linker(LinkProviders.of(provider), LinkOptions.defaults());
        Files.createDirectories(dir.resolve("out"));

        for (int i = 0; i < 20; i++) {
            FileOutcome o = linker.linkFile(tree.resolve("d" + i % 10 + "/sub/f" + i), dir.resolve("out/f" + i));
            assertEquals(LinkMethod.HARDLINK, o.method());
        }

        assertEquals(1, provider.calls(LinkMethod.REFLINK));
        assertEquals(1, linker.probesUsed().size());
    }
}
