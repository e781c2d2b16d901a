package dev.envlink.link;

import static dev.envlink.link.ScriptedProvider.SUCCEED;
import static dev.envlink.link.ScriptedProvider.fail;
import static dev.envlink.link.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real I/O error is not a decline: the engine stops and reports it, and never hangs. */
class LinkerErrorTest {
    private static final Duration NO_HANG = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Path source;
    Path target;
    Path tree;
    ScriptedProvider provider;

    @BeforeEach
    void setUp() throws IOException {
        source = write(dir.resolve("cache/a.txt"), "hello");
        Files.createDirectories(dir.resolve("env"));
        target = dir.resolve("env/a.txt");
        tree = dir.resolve("tree");
        for (int i = 0; i < 300; i++) {
            write(tree.resolve("d" + i % 5 + "/f" + i), "file " + i);
        }
        provider = new ScriptedProvider();
    }

    private Linker linker() {
        return new Linker(LinkProviders.of(provider), LinkOptions.defaults().withParallelism(8));
    }

    @Test
    void ioErrorDuringTheProbeStopsTheSingleFile() {
        provider.on(LinkMethod.REFLINK, fail("disk on fire"));

        IOException e = assertThrows(IOException.class, () -> linker().linkFile(source, target));

        assertEquals("disk on fire", e.getMessage());
        assertFalse(e instanceof LinkDeclinedException);
        assertEquals(0, provider.calls(LinkMethod.HARDLINK), "no fallback after a real error");
        assertEquals(0, provider.calls(LinkMethod.COPY), "no fallback after a real error");
        assertFalse(Files.exists(target));
    }

    @Test
    void ioErrorOnTheFileItselfStopsWithoutFallingBackToCopy() {
        provider.onCall(LinkMethod.REFLINK, call -> call.probe() ? SUCCEED : fail("read error"));

        IOException e = assertThrows(IOException.class, () -> linker().linkFile(source, target));

        assertEquals("read error", e.getMessage());
        assertEquals(0, provider.fileCalls(LinkMethod.HARDLINK));
        assertEquals(0, provider.fileCalls(LinkMethod.COPY));
        assertFalse(Files.exists(target));
    }

    @Test
    void ioErrorOnOneFileOfATreeSurfaces() {
        provider.onCall(LinkMethod.REFLINK, call ->
                !call.probe() && call.source().getFileName().toString().equals("f123") ? fail("bad sector") : SUCCEED);

        IOException e = assertTimeoutPreemptively(NO_HANG,
                () -> assertThrows(IOException.class, () -> linker().linkTree(tree, dir.resolve("out"))));

        assertEquals("bad sector", e.getMessage());
        assertEquals(0, provider.calls().stream()
                .filter(c -> c.method() != LinkMethod.REFLINK && c.source().getFileName().toString().equals("f123")
                        && !c.probe())
                .count(), "f123 must not be copied or hardlinked instead");
        assertFalse(Files.exists(dir.resolve("out/d3/f123")));
    }

    @Test
    void ioErrorInTheProbeOfATreeSurfaces() {
        provider.on(LinkMethod.HARDLINK, fail("EIO"));

        IOException e = assertTimeoutPreemptively(NO_HANG,
                () -> assertThrows(IOException.class, () -> linker().linkTree(tree, dir.resolve("out"))));

        assertEquals("EIO", rootCause(e).getMessage());
        assertEquals(0, provider.fileCalls(LinkMethod.COPY));
    }

    @Test
    void aFailedProbeIsNotRememberedTheNextFileProbesAgain() throws IOException {
        provider.on(LinkMethod.REFLINK, fail("transient"));
        Linker linker = linker();
        assertThrows(IOException.class, () -> linker.linkFile(source, target));

        provider.on(LinkMethod.REFLINK, SUCCEED);
        FileOutcome outcome = linker.linkFile(source, target);

        assertEquals(LinkMethod.REFLINK, outcome.method());
        assertEquals(2, provider.probeCalls(LinkMethod.REFLINK));
    }

    @Test
    void anErrorThrownByAProviderDuringTheProbeDoesNotWedgeTheLinker() {
        // e.g. a native provider whose library fails to link only when first used
        UnsatisfiedLinkError boom = new UnsatisfiedLinkError("libfoo.so: cannot open shared object file");
        provider.on(LinkMethod.REFLINK, new ScriptedProvider.Throw(boom));
        Linker linker = linker();

        Throwable thrown = assertTimeoutPreemptively(NO_HANG,
                () -> assertThrows(Throwable.class, () -> linker.linkFile(source, target)));
        assertSame(boom, thrown);

        provider.on(LinkMethod.REFLINK, SUCCEED);
        FileOutcome outcome = assertTimeoutPreemptively(NO_HANG, () -> linker.linkFile(source, target),
                "the probe that threw must not stay pending forever");
        assertEquals(LinkMethod.REFLINK, outcome.method());
    }

    @Test
    void anErrorThrownByAProviderInATreeSurfacesWithoutHanging() {
        provider.on(LinkMethod.REFLINK, new ScriptedProvider.Throw(new UnsatisfiedLinkError("no libfoo")));

        Throwable thrown = assertTimeoutPreemptively(NO_HANG,
                () -> assertThrows(Throwable.class, () -> linker().linkTree(tree, dir.resolve("out"))));

        assertEquals("no libfoo", rootCause(thrown).getMessage());
    }

    @Test
    void aRuntimeExceptionFromAProviderSurfacesFromATree() {
        provider.onCall(LinkMethod.COPY, call -> call.probe() ? SUCCEED
                : new ScriptedProvider.Throw(new IllegalStateException("provider bug")));
        Linker linker = new Linker(LinkProviders.of(provider),
                LinkOptions.defaults().withMode(LinkMode.COPY).withParallelism(8));

        Throwable thrown = assertTimeoutPreemptively(NO_HANG,
                () -> assertThrows(Throwable.class, () -> linker.linkTree(tree, dir.resolve("out"))));

        assertEquals("provider bug", rootCause(thrown).getMessage());
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
