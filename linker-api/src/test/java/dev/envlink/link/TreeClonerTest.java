package dev.envlink.link;

import static dev.envlink.link.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The engine's whole-tree clone hook: when it is used, what it reports, and the fallback to
 * per-file linking. POSIX modes in the fixtures: not on Windows (where no provider clones trees).
 */
@DisabledOnOs(OS.WINDOWS)
class TreeClonerTest {

    @TempDir
    Path dir;
    Path src;

    /** A provider that can also clone trees; what cloneTree does is scripted. */
    static final class CloningProvider implements LinkProvider, TreeCloner {
        enum Mode { CLONE, RETURN_FALSE, DECLINE, FAIL, LEAVE_PARTIAL }

        final ScriptedProvider files = new ScriptedProvider("cloning", 100, EnumSet.allOf(LinkMethod.class));
        final List<Path[]> treeCalls = new ArrayList<>();
        volatile Mode mode = Mode.CLONE;
        volatile Availability availability = Availability.ok();
        volatile Set<LinkMethod> methods = EnumSet.allOf(LinkMethod.class);

        @Override
        public String id() {
            return "cloning";
        }

        @Override
        public int priority() {
            return 100;
        }

        @Override
        public Set<LinkMethod> methods() {
            return methods;
        }

        @Override
        public Availability availability() {
            return availability;
        }

        @Override
        public void link(LinkMethod method, Path source, Path target) throws IOException {
            files.link(method, source, target);
        }

        @Override
        public synchronized boolean cloneTree(Path source, Path target) throws IOException {
            treeCalls.add(new Path[] {source, target});
            assertTrue(Files.isDirectory(target.getParent()), "the engine creates the parent first");
            assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS), "the target must not exist");
            switch (mode) {
                case CLONE -> copyTree(source, target);
                case RETURN_FALSE -> {
                    return false;
                }
                case DECLINE -> throw new LinkDeclinedException(LinkMethod.REFLINK,
                        DeclineReason.UNSUPPORTED_BY_FILESYSTEM, source, target, "clonefile: ENOTSUP");
                case FAIL -> throw new IOException("clonefile: No space left on device (ENOSPC)");
                case LEAVE_PARTIAL -> {
                    Files.createDirectories(target);
                    return false;
                }
                default -> throw new AssertionError(mode);
            }
            return true;
        }

        private static void copyTree(Path from, Path to) throws IOException {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    Files.copy(d, to.resolve(from.relativize(d).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.copy(f, to.resolve(from.relativize(f).toString()), LinkOption.NOFOLLOW_LINKS,
                            StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
        }
    }

    CloningProvider provider;

    @BeforeEach
    void setUp() throws IOException {
        src = dir.resolve("pkgs/numpy-2.0");
        write(src.resolve("lib/a.py"), "aaaa");
        write(src.resolve("lib/sub/b.py"), "bb");
        write(src.resolve("bin/tool"), "#!/bin/sh\n", "rwxr-xr-x");
        write(src.resolve("info/empty"), "");
        Files.createDirectories(src.resolve("share/empty-dir"));
        Files.createSymbolicLink(src.resolve("lib/link.py"), Path.of("a.py"));
        provider = new CloningProvider();
    }

    private Linker linker(LinkMode mode, boolean strict, ExistingPolicy existing) {
        return new Linker(LinkProviders.of(provider, new PortableLinkProvider()),
                new LinkOptions(mode, strict, existing, 4));
    }

    private Linker linker(LinkMode mode) {
        return linker(mode, false, ExistingPolicy.FAIL);
    }

    @Test
    void autoOnANewTargetClonesTheWholeTreeInOneCall() throws IOException {
        Path dst = dir.resolve("envs/a/pkg");

        LinkReport report = linker(LinkMode.AUTO).linkTree(src, dst);

        assertEquals(1, provider.treeCalls.size());
        assertEquals(src.toAbsolutePath().normalize(), provider.treeCalls.get(0)[0]);
        assertEquals(dst.toAbsolutePath().normalize(), provider.treeCalls.get(0)[1]);
        assertEquals(0, provider.files.calls().size(), "no per-file work and no probe");
        assertEquals(4L, report.files().get(LinkMethod.REFLINK));
        assertEquals(4L, report.totalFiles());
        assertEquals(4L + 2 + 10, report.bytes().get(LinkMethod.REFLINK));
        assertEquals(1, report.symlinks());
        assertEquals(7, report.directories(), "root, lib, lib/sub, bin, info, share, share/empty-dir");
        assertEquals(List.of(), report.fallbacks());
        assertEquals(List.of(), report.probes());
        assertEquals(TestFiles.snapshot(src), TestFiles.snapshot(dst));
    }

    @Test
    void strictReflinkMayCloneTheTree() throws IOException {
        LinkReport report = linker(LinkMode.REFLINK, true, ExistingPolicy.FAIL).linkTree(src, dir.resolve("out"));

        assertEquals(1, provider.treeCalls.size());
        assertEquals(4L, report.files().get(LinkMethod.REFLINK));
    }

    @ParameterizedTest
    @EnumSource(value = CloningProvider.Mode.class, names = {"RETURN_FALSE", "DECLINE"})
    void aDeclinedTreeCloneFallsBackToPerFileLinking(CloningProvider.Mode mode) throws IOException {
        provider.mode = mode;
        provider.files.on(LinkMethod.REFLINK, ScriptedProvider.decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM));
        Path dst = dir.resolve("out");

        LinkReport report = linker(LinkMode.AUTO).linkTree(src, dst);

        assertEquals(1, provider.treeCalls.size());
        assertEquals(4L, report.files().get(LinkMethod.HARDLINK), "per-file: reflink declined, hardlinks made");
        assertEquals(0L, report.files().get(LinkMethod.REFLINK));
        assertEquals(1, report.symlinks());
        assertEquals(7, report.directories());
        assertEquals(4, provider.files.fileCalls(LinkMethod.HARDLINK));
        assertTrue(Files.isSameFile(src.resolve("lib/a.py"), dst.resolve("lib/a.py")));
    }

    @Test
    void aRealErrorStopsTheRunAndLeavesNothing() {
        provider.mode = CloningProvider.Mode.FAIL;
        Path dst = dir.resolve("out");

        IOException e = assertThrows(IOException.class, () -> linker(LinkMode.AUTO).linkTree(src, dst));

        assertTrue(e.getMessage().contains("ENOSPC"), e.getMessage());
        assertFalse(Files.exists(dst));
        assertEquals(0, provider.files.calls().size());
    }

    @Test
    void aProviderThatDeclinesButLeavesATreeBehindIsAnError() {
        provider.mode = CloningProvider.Mode.LEAVE_PARTIAL;

        IOException e = assertThrows(IOException.class, () -> linker(LinkMode.AUTO).linkTree(src, dir.resolve("out")));

        assertTrue(e.getMessage().contains("left"), e.getMessage());
    }

    @Test
    void anExistingTargetIsMergedFileByFile() throws IOException {
        Path dst = Files.createDirectories(dir.resolve("out"));

        LinkReport report = linker(LinkMode.AUTO).linkTree(src, dst);

        assertEquals(0, provider.treeCalls.size());
        assertEquals(4L, report.files().get(LinkMethod.REFLINK));
        assertEquals(4, provider.files.fileCalls(LinkMethod.REFLINK));
    }

    @Test
    void replacePolicyGoesFileByFile() throws IOException {
        linker(LinkMode.AUTO, false, ExistingPolicy.REPLACE).linkTree(src, dir.resolve("out"));

        assertEquals(0, provider.treeCalls.size());
        assertEquals(4, provider.files.fileCalls(LinkMethod.REFLINK));
    }

    @ParameterizedTest
    @EnumSource(value = LinkMode.class, names = {"HARDLINK", "COPY", "SYMLINK"})
    void modesWithoutReflinkNeverCloneTrees(LinkMode mode) throws IOException {
        linker(mode).linkTree(src, dir.resolve("out"));

        assertEquals(0, provider.treeCalls.size());
    }

    @Test
    void anUnavailableProviderIsNotAsked() throws IOException {
        provider.availability = Availability.unavailable("not macOS");

        LinkReport report = linker(LinkMode.AUTO).linkTree(src, dir.resolve("out"));

        assertEquals(0, provider.treeCalls.size());
        assertEquals(4L, report.files().get(LinkMethod.HARDLINK), "the portable provider did the work");
    }

    @Test
    void aProviderThatCannotReflinkIsNotAsked() throws IOException {
        provider.methods = EnumSet.of(LinkMethod.HARDLINK, LinkMethod.COPY);

        linker(LinkMode.AUTO).linkTree(src, dir.resolve("out"));

        assertEquals(0, provider.treeCalls.size());
    }

    @Test
    void providersWithoutTreeClonerAreUnaffected() throws IOException {
        ScriptedProvider plain = new ScriptedProvider();
        Linker linker = new Linker(LinkProviders.of(plain), LinkOptions.defaults().withParallelism(2));

        LinkReport report = linker.linkTree(src, dir.resolve("out"));

        assertEquals(4L, report.files().get(LinkMethod.REFLINK));
        assertEquals(4, plain.fileCalls(LinkMethod.REFLINK));
    }

    @Test
    void aTreeWithAFifoGoesFileByFile() throws Exception {
        Process p = new ProcessBuilder("mkfifo", src.resolve("lib/pipe").toString()).inheritIO().start();
        assertEquals(0, p.waitFor());

        LinkReport report = linker(LinkMode.AUTO).linkTree(src, dir.resolve("out"));

        assertEquals(0, provider.treeCalls.size(), "a clone would copy the fifo the per-file path skips");
        assertEquals(1, report.skipped().size());
    }

    @Test
    void aSingleFileNeverUsesTheTreeClone() throws IOException {
        linker(LinkMode.AUTO).linkTree(src.resolve("lib/a.py"), dir.resolve("a.py"));

        assertEquals(0, provider.treeCalls.size());
        assertEquals(1, provider.files.fileCalls(LinkMethod.REFLINK));
    }
}
