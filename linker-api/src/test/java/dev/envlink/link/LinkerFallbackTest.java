package dev.envlink.link;

import static dev.envlink.link.ScriptedProvider.decline;
import static dev.envlink.link.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's method chain: which method is used, what is recorded when it falls back, strict mode. */
class LinkerFallbackTest {

    @TempDir
    Path dir;
    Path source;
    Path target;
    ScriptedProvider provider;

    @BeforeEach
    void setUp() throws IOException {
        source = write(dir.resolve("cache/pkg/a.txt"), "hello");
        Files.createDirectories(dir.resolve("env"));
        target = dir.resolve("env/a.txt");
        provider = new ScriptedProvider();
    }

    private Linker linker(LinkMode mode) {
        return linker(mode, false);
    }

    private Linker linker(LinkMode mode, boolean strict) {
        return new Linker(LinkProviders.of(provider),
                LinkOptions.defaults().withMode(mode).withStrict(strict).withParallelism(4));
    }

    private Path tree(int files) throws IOException {
        Path root = dir.resolve("tree");
        for (int i = 0; i < files; i++) {
            write(root.resolve("f" + i + ".txt"), "content " + i);
        }
        return root;
    }

    // ---- auto chain ----

    @Test
    void autoUsesReflinkWhenItWorks() throws IOException {
        FileOutcome outcome = linker(LinkMode.AUTO).linkFile(source, target);

        assertEquals(LinkMethod.REFLINK, outcome.method());
        assertEquals(List.of(), outcome.declines());
        assertFalse(outcome.fellBack());
        assertEquals("scripted", outcome.provider());
        assertEquals(5, outcome.bytes());
        assertEquals("hello", Files.readString(target));
        assertFalse(Files.isSameFile(source, target), "a reflink is a new inode");
        assertEquals(1, provider.fileCalls(LinkMethod.REFLINK));
        assertEquals(0, provider.fileCalls(LinkMethod.HARDLINK));
        assertEquals(0, provider.fileCalls(LinkMethod.COPY));
    }

    @Test
    void autoReportHasNoFallbacksWhenReflinkWorks() throws IOException {
        LinkReport report = linker(LinkMode.AUTO).linkTree(tree(5), dir.resolve("out"));

        assertEquals(5L, report.files().get(LinkMethod.REFLINK));
        assertEquals(5L, report.totalFiles());
        assertEquals(List.of(), report.fallbacks());
        assertEquals(5, provider.fileCalls(LinkMethod.REFLINK));
        assertEquals(0, provider.fileCalls(LinkMethod.HARDLINK));
        assertEquals(0, provider.fileCalls(LinkMethod.COPY));
    }

    @Test
    void autoFallsBackToHardlinkWhenFilesystemCannotReflink() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM));

        FileOutcome outcome = linker(LinkMode.AUTO).linkFile(source, target);

        assertEquals(LinkMethod.HARDLINK, outcome.method());
        assertTrue(Files.isSameFile(source, target));
        assertEquals(1, outcome.declines().size());
        Decline d = outcome.declines().get(0);
        assertEquals(LinkMethod.REFLINK, d.method());
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, d.reason());
        assertTrue(d.fromProbe(), "a per-filesystem decline learnt by the probe is not retried for the file");
        assertEquals(0, provider.fileCalls(LinkMethod.COPY));
    }

    @Test
    void autoReportRecordsReflinkToHardlinkFallbackWithReason() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM));

        LinkReport report = linker(LinkMode.AUTO).linkTree(tree(3), dir.resolve("out"));

        assertEquals(3L, report.files().get(LinkMethod.HARDLINK));
        assertEquals(0L, report.files().get(LinkMethod.REFLINK));
        assertEquals(0L, report.files().get(LinkMethod.COPY));
        assertEquals(1, report.fallbacks().size());
        Fallback f = report.fallbacks().get(0);
        assertEquals(LinkMethod.REFLINK, f.wanted());
        assertEquals(LinkMethod.HARDLINK, f.used());
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, f.reason());
        assertEquals(3, f.files());
        assertEquals("content 0".length() * 3L, f.bytes());
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM.advice(), f.advice());
    }

    @Test
    void autoFallsBackToCopyAcrossDevicesAndReportsBothReasons() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.CROSS_DEVICE))
                .on(LinkMethod.HARDLINK, decline(DeclineReason.CROSS_DEVICE));

        LinkReport report = linker(LinkMode.AUTO).linkTree(tree(4), dir.resolve("out"));

        assertEquals(4L, report.files().get(LinkMethod.COPY));
        assertEquals(4L, report.totalFiles());
        assertEquals(Set.of(
                        new Fallback(LinkMethod.REFLINK, LinkMethod.COPY, DeclineReason.CROSS_DEVICE, 4, 36, ""),
                        new Fallback(LinkMethod.HARDLINK, LinkMethod.COPY, DeclineReason.CROSS_DEVICE, 4, 36, "")),
                Set.copyOf(report.fallbacks().stream()
                        .map(f -> new Fallback(f.wanted(), f.used(), f.reason(), f.files(), f.bytes(), ""))
                        .toList()));
        for (Fallback f : report.fallbacks()) {
            assertTrue(f.example().contains("scripted CROSS_DEVICE"), f.example());
        }
        for (int i = 0; i < 4; i++) {
            Path copy = dir.resolve("out/f" + i + ".txt");
            assertEquals("content " + i, Files.readString(copy));
            assertFalse(Files.isSameFile(dir.resolve("tree/f" + i + ".txt"), copy));
        }
    }

    @Test
    void autoSingleFileAcrossDevicesListsDeclinesInChainOrder() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.CROSS_DEVICE))
                .on(LinkMethod.HARDLINK, decline(DeclineReason.CROSS_DEVICE));

        FileOutcome outcome = linker(LinkMode.AUTO).linkFile(source, target);

        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals(List.of(LinkMethod.REFLINK, LinkMethod.HARDLINK),
                outcome.declines().stream().map(Decline::method).toList());
        assertEquals(List.of(DeclineReason.CROSS_DEVICE, DeclineReason.CROSS_DEVICE),
                outcome.declines().stream().map(Decline::reason).toList());
        assertEquals("hello", Files.readString(target));
    }

    // ---- named modes ----

    @Test
    void namedReflinkFallsBackToCopyNeverToHardlink() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM));

        FileOutcome outcome = linker(LinkMode.REFLINK).linkFile(source, target);

        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals(0, provider.calls(LinkMethod.HARDLINK), "hardlink must not even be probed");
        assertFalse(Files.isSameFile(source, target));
    }

    @Test
    void hardlinkModeFallsBackToCopyOnTooManyLinks() throws IOException {
        provider.on(LinkMethod.HARDLINK, decline(DeclineReason.TOO_MANY_LINKS));

        FileOutcome outcome = linker(LinkMode.HARDLINK).linkFile(source, target);

        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals(1, outcome.declines().size());
        assertEquals(DeclineReason.TOO_MANY_LINKS, outcome.declines().get(0).reason());
        assertFalse(outcome.declines().get(0).fromProbe(), "a per-file reason is tried for the file itself");
        assertEquals(1, provider.fileCalls(LinkMethod.HARDLINK));
        assertEquals(0, provider.calls(LinkMethod.REFLINK));
        assertEquals("hello", Files.readString(target));
        assertFalse(Files.isSameFile(source, target));
    }

    @Test
    void copyModeOnlyCopies() throws IOException {
        FileOutcome outcome = linker(LinkMode.COPY).linkFile(source, target);

        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals(0, provider.calls(LinkMethod.REFLINK));
        assertEquals(0, provider.calls(LinkMethod.HARDLINK));
    }

    @Test
    void noMethodLeftIsAnError() throws IOException {
        provider.on(LinkMethod.COPY, decline(DeclineReason.OTHER));

        IOException e = assertThrows(IOException.class, () -> linker(LinkMode.COPY).linkFile(source, target));

        assertFalse(e instanceof LinkDeclinedException, "not a decline: nothing is left to fall back to");
        assertTrue(e.getMessage().contains("no link method"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    // ---- strict ----

    @Test
    void strictHardlinkWithTooManyLinksThrowsInsteadOfCopying() {
        provider.on(LinkMethod.HARDLINK, decline(DeclineReason.TOO_MANY_LINKS));

        StrictModeException e = assertThrows(StrictModeException.class,
                () -> linker(LinkMode.HARDLINK, true).linkFile(source, target));

        assertEquals(DeclineReason.TOO_MANY_LINKS, e.reason());
        assertEquals(LinkMethod.HARDLINK, e.method());
        assertEquals(source, e.source());
        assertEquals(target, e.target());
        assertInstanceOf(LinkDeclinedException.class, e.getCause());
        assertEquals(0, provider.calls(LinkMethod.COPY), "strict: no copy, not even a probe");
        assertFalse(Files.exists(target));
    }

    @Test
    void strictReflinkOnFilesystemWithoutReflinksThrows() {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM));

        StrictModeException e = assertThrows(StrictModeException.class,
                () -> linker(LinkMode.REFLINK, true).linkFile(source, target));

        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, e.reason());
        assertEquals(LinkMethod.REFLINK, e.method());
        assertTrue(e.detail().contains("scripted UNSUPPORTED_BY_FILESYSTEM"), e.detail());
        assertEquals(0, provider.calls(LinkMethod.COPY));
        assertFalse(Files.exists(target));
    }

    @Test
    void strictReflinkWithoutAnyReflinkProviderThrows() throws IOException {
        Linker linker = new Linker(LinkProviders.of(new PortableLinkProvider()),
                LinkOptions.defaults().withMode(LinkMode.REFLINK).withStrict(true));

        StrictModeException e = assertThrows(StrictModeException.class, () -> linker.linkFile(source, target));

        assertEquals(DeclineReason.UNSUPPORTED_BY_PROVIDER, e.reason());
        assertFalse(Files.exists(target));
    }

    @Test
    void strictTreeStopsAtTheFirstDecline() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM));

        StrictModeException e = assertThrows(StrictModeException.class,
                () -> linker(LinkMode.REFLINK, true).linkTree(tree(20), dir.resolve("out")));

        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, e.reason());
        assertEquals(0, provider.calls(LinkMethod.COPY));
        assertEquals(List.of(), TestFiles.regularFiles(dir.resolve("out")));
    }

    @Test
    void strictNamedMethodThatWorksIsUsed() throws IOException {
        FileOutcome outcome = linker(LinkMode.HARDLINK, true).linkFile(source, target);

        assertEquals(LinkMethod.HARDLINK, outcome.method());
        assertTrue(Files.isSameFile(source, target));
    }

    // ---- several providers ----

    @Test
    void unsupportedByProviderPassesToTheNextProvider() throws IOException {
        ScriptedProvider high = new ScriptedProvider("high", 50, EnumSet.allOf(LinkMethod.class))
                .on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_PROVIDER));
        ScriptedProvider low = new ScriptedProvider("low", 10, EnumSet.of(LinkMethod.REFLINK, LinkMethod.COPY));
        Linker linker = new Linker(LinkProviders.of(low, high), LinkOptions.defaults());

        FileOutcome outcome = linker.linkFile(source, target);

        assertEquals(LinkMethod.REFLINK, outcome.method());
        assertEquals("low", outcome.provider());
        assertEquals(List.of(), outcome.declines());
        assertEquals(1, high.fileCalls(LinkMethod.REFLINK));
    }

    @Test
    void aFilesystemDeclineIsNotPassedToLowerPriorityProviders() throws IOException {
        ScriptedProvider high = new ScriptedProvider("high", 50, EnumSet.allOf(LinkMethod.class))
                .on(LinkMethod.REFLINK, decline(DeclineReason.CROSS_DEVICE));
        ScriptedProvider low = new ScriptedProvider("low", 10, EnumSet.allOf(LinkMethod.class));
        Linker linker = new Linker(LinkProviders.of(low, high), LinkOptions.defaults());

        FileOutcome outcome = linker.linkFile(source, target);

        assertEquals(LinkMethod.HARDLINK, outcome.method());
        assertEquals("high", outcome.provider());
        assertEquals(0, low.calls(LinkMethod.REFLINK));
    }

    @Test
    void unavailableProvidersAreNeverCalled() throws IOException {
        ScriptedProvider broken = new ScriptedProvider("broken", 99, EnumSet.allOf(LinkMethod.class))
                .availability(Availability.unavailable("no native library"));
        Linker linker = new Linker(LinkProviders.of(broken, new PortableLinkProvider()),
                LinkOptions.defaults().withMode(LinkMode.COPY));

        FileOutcome outcome = linker.linkFile(source, target);

        assertEquals(PortableLinkProvider.ID, outcome.provider());
        assertEquals(List.of(), broken.calls());
    }

    // ---- what the engine does besides calling the provider ----

    @Test
    void reflinkAndCopyGetTheSourceModeAndMtimeHardlinkLeavesTheSourceAlone() throws IOException {
        TestFiles.chmod(source, "rwxrwx---"); // 0770: a plain create under umask 022 would give 0750
        var old = java.nio.file.attribute.FileTime.from(java.time.Instant.parse("2003-04-05T06:07:08.123456Z"));
        Files.setLastModifiedTime(source, old);
        var sourceMtime = TestFiles.mtime(source);

        linker(LinkMode.REFLINK).linkFile(source, target);
        linker(LinkMode.COPY).linkFile(source, dir.resolve("env/b.txt"));
        linker(LinkMode.HARDLINK).linkFile(source, dir.resolve("env/c.txt"));

        for (String name : List.of("a.txt", "b.txt", "c.txt")) {
            Path p = dir.resolve("env").resolve(name);
            assertEquals("rwxrwx---", TestFiles.perms(p), name);
            assertEquals(sourceMtime, TestFiles.mtime(p), name);
        }
        assertEquals(sourceMtime, TestFiles.mtime(source));
        assertEquals("rwxrwx---", TestFiles.perms(source));
    }

    @Test
    void symlinkSourceIsRecreatedWithoutCallingProviders() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("cache/pkg/link"), Path.of("a.txt"));

        FileOutcome outcome = linker(LinkMode.AUTO).linkFile(link, dir.resolve("env/link"));

        assertEquals(LinkMethod.SYMLINK, outcome.method());
        assertEquals(Path.of("a.txt"), Files.readSymbolicLink(dir.resolve("env/link")));
        assertEquals(List.of(), provider.calls());
    }

    @Test
    void directorySourceIsRefusedByLinkFile() {
        IOException e = assertThrows(IOException.class,
                () -> linker(LinkMode.AUTO).linkFile(dir.resolve("cache"), dir.resolve("env/cache")));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        assertEquals(List.of(), provider.calls());
    }

    @Test
    void probeShowsEveryMethodAndLeavesNothingBehind() throws IOException {
        provider.on(LinkMethod.REFLINK, decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM))
                .on(LinkMethod.HARDLINK, decline(DeclineReason.TOO_MANY_LINKS));

        PairProbe probe = linker(LinkMode.COPY).probe(source, dir.resolve("env"));

        assertTrue(probe.sameDevice());
        assertEquals(MethodStatus.State.DECLINED, probe.status(LinkMethod.REFLINK).state());
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, probe.status(LinkMethod.REFLINK).reason());
        assertEquals(MethodStatus.State.UNKNOWN, probe.status(LinkMethod.HARDLINK).state(),
                "a per-file reason says nothing about the filesystem");
        assertEquals(DeclineReason.TOO_MANY_LINKS, probe.status(LinkMethod.HARDLINK).reason());
        assertTrue(probe.status(LinkMethod.SYMLINK).works());
        assertTrue(probe.status(LinkMethod.COPY).works());
        assertEquals("scripted", probe.status(LinkMethod.COPY).provider());
        assertEquals(List.of(), TestFiles.envlinkTemps(dir.resolve("env")));
        assertNotEquals(0, provider.calls().size());
    }
}
