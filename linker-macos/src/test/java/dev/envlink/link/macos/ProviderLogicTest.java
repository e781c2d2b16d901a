package dev.envlink.link.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.Availability;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.Fallback;
import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.LinkProviders;
import dev.envlink.link.LinkReport;
import dev.envlink.link.Linker;
import dev.envlink.link.PortableLinkProvider;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider's decisions with a fake libSystem, on any OS: which errno declines, which fails,
 * what is left behind, which flags are passed, and how the engine uses the whole-tree clone.
 */
class ProviderLogicTest {

    @TempDir
    Path dir;
    Path source;
    Path target;
    FakeLibSystem sys;
    MacosLinkProvider provider;

    @BeforeEach
    void setUp() throws IOException {
        source = Files.writeString(Files.createDirectories(dir.resolve("pkgs/a")).resolve("lib.dylib"), "payload");
        Files.createDirectories(dir.resolve("env"));
        target = dir.resolve("env/lib.dylib");
        sys = new FakeLibSystem();
        provider = new MacosLinkProvider(sys, Availability.ok());
    }

    @Test
    void reflinkCallsClonefileWithNoFollowAndNoOwnerCopy() throws IOException {
        provider.link(LinkMethod.REFLINK, source, target);

        assertEquals(List.of(new FakeLibSystem.Call("clonefile", source.toString(), target.toString(), 0x3)),
                sys.calls);
        assertEquals("payload", Files.readString(target));
    }

    @Test
    void enotsupDeclinesAsUnsupportedByFilesystem() {
        sys.clonefile = (s, d) -> Errno.ENOTSUP;

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, e.reason());
        assertEquals("clonefile: Operation not supported (ENOTSUP)", e.detail());
        assertFalse(Files.exists(target));
    }

    @Test
    void exdevDeclinesAsCrossDevice() {
        sys.clonefile = (s, d) -> Errno.EXDEV;

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals(DeclineReason.CROSS_DEVICE, e.reason());
        assertTrue(e.detail().contains("Cross-device link (EXDEV)"), e.detail());
    }

    @Test
    void enospcIsARealError() {
        sys.clonefile = (s, d) -> Errno.ENOSPC;

        IOException e = assertThrows(IOException.class, () -> provider.link(LinkMethod.REFLINK, source, target));

        assertSame(FileSystemException.class, e.getClass(), "a real error, not a decline");
        assertTrue(e.getMessage().contains("ENOSPC"), e.getMessage());
    }

    @Test
    void anExistingTargetIsFileAlreadyExists() throws IOException {
        Files.writeString(target, "mine");

        assertThrows(FileAlreadyExistsException.class, () -> provider.link(LinkMethod.REFLINK, source, target));
        assertThrows(FileAlreadyExistsException.class, () -> provider.link(LinkMethod.COPY, source, target));
        assertEquals("mine", Files.readString(target), "never removed: not ours");
    }

    @Test
    void symlinksAndDirectoriesAreNotClonedAsFiles() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("pkgs/a/link"), source);
        Path subdir = Files.createDirectories(dir.resolve("pkgs/a/sub"));

        for (Path p : List.of(link, subdir)) {
            for (LinkMethod m : List.of(LinkMethod.REFLINK, LinkMethod.COPY)) {
                LinkDeclinedException e = assertThrows(LinkDeclinedException.class, () -> provider.link(m, p, target));
                assertEquals(DeclineReason.NOT_A_REGULAR_FILE, e.reason());
            }
        }
        assertEquals(List.of(), sys.calls, "decided before any native call");
    }

    @Test
    void copyUsesCopyfileWithAllMetadataExclusiveAndNoFollow() throws IOException {
        provider.link(LinkMethod.COPY, source, target);

        assertEquals(List.of(new FakeLibSystem.Call("copyfile", source.toString(), target.toString(),
                Flags.COPYFILE_ALL | Flags.COPYFILE_EXCL | Flags.COPYFILE_NOFOLLOW)), sys.calls);
        assertEquals("payload", Files.readString(target));
    }

    @Test
    void aFailedCopyLeavesNoPartialFile() {
        sys.copyfile = (s, d) -> Errno.ENOSPC;
        sys.partialBytes = 3;

        FileSystemException e = assertThrows(FileSystemException.class,
                () -> provider.link(LinkMethod.COPY, source, target));

        assertTrue(e.getMessage().contains("copyfile: No space left on device (ENOSPC)"), e.getMessage());
        assertFalse(Files.exists(target), "the partial copy was removed");
    }

    @Test
    void copyNeverDeclines() {
        sys.copyfile = (s, d) -> Errno.ENOTSUP;

        IOException e = assertThrows(IOException.class, () -> provider.link(LinkMethod.COPY, source, target));

        assertFalse(e instanceof LinkDeclinedException, "copy is the last resort: its errors are real");
    }

    @Test
    void hardlinkGoesThroughNio() throws IOException {
        provider.link(LinkMethod.HARDLINK, source, target);

        assertTrue(Files.isSameFile(source, target));
        assertEquals(List.of(), sys.calls);
    }

    @Test
    void describeReadsStatfs() throws IOException {
        FsInfo info = provider.describe(dir).orElseThrow();

        assertEquals("apfs", info.type());
        assertEquals("macos", info.provider());
        assertTrue(info.detail().contains("f_fstypename=apfs"), info.detail());
        assertTrue(info.detail().contains("mounted on /System/Volumes/Data"), info.detail());
        assertTrue(info.detail().contains("local"), info.detail());
        assertFalse(info.detail().contains("needs APFS"), info.detail());
    }

    // ---- whole trees ----

    private Path tree() throws IOException {
        Path root = dir.resolve("pkgs/numpy");
        for (int i = 0; i < 40; i++) {
            Files.writeString(Files.createDirectories(root.resolve("lib/d" + (i % 4))).resolve("f" + i + ".py"), "x" + i);
        }
        Files.createSymbolicLink(root.resolve("lib/link"), Path.of("d0"));
        return root;
    }

    private Linker linker(LinkMode mode) {
        return new Linker(LinkProviders.of(provider, new PortableLinkProvider()),
                new LinkOptions(mode, false, ExistingPolicy.FAIL, 4));
    }

    @Test
    void aTreeIsClonedWithOneClonefile() throws IOException {
        Path root = tree();

        LinkReport report = linker(LinkMode.AUTO).linkTree(root, dir.resolve("envs/x/pkg"));

        assertEquals(1, sys.count("clonefile"));
        assertEquals(40L, report.files().get(LinkMethod.REFLINK));
        assertEquals(1, report.symlinks());
        assertEquals(List.of(), report.fallbacks());
        assertTrue(Files.isSymbolicLink(dir.resolve("envs/x/pkg/lib/link")));
    }

    @Test
    void hfsPlusDeclinesTheTreeAndEveryFileThenHardlinks() throws IOException {
        Path root = tree();
        sys.clonefile = (s, d) -> Errno.ENOTSUP;

        LinkReport report = linker(LinkMode.AUTO).linkTree(root, dir.resolve("env2"));

        // One for the tree, one for the probe of the (device, device) pair; the rest skip reflink.
        assertEquals(2, sys.count("clonefile"));
        assertEquals(40L, report.files().get(LinkMethod.HARDLINK));
        assertEquals(1, report.fallbacks().size());
        Fallback f = report.fallbacks().get(0);
        assertEquals(LinkMethod.REFLINK, f.wanted());
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, f.reason());
        assertTrue(f.example().contains("ENOTSUP"), f.example());
    }

    @Test
    void cloneTreeReportsDeclinesAsFalseAndRealErrorsAsExceptions() throws IOException {
        Path root = tree();
        sys.clonefile = (s, d) -> Errno.EXDEV;
        assertFalse(provider.cloneTree(root, dir.resolve("t1")));

        sys.clonefile = (s, d) -> Errno.EIO;
        FileSystemException e = assertThrows(FileSystemException.class, () -> provider.cloneTree(root, dir.resolve("t2")));
        assertTrue(e.getMessage().contains("Input/output error (EIO)"), e.getMessage());

        assertFalse(provider.cloneTree(source, dir.resolve("t3")), "not a directory");
        assertEquals(2, sys.count("clonefile"));
    }

    @Test
    void unavailableProviderIsSkippedByTheEngine() throws IOException {
        MacosLinkProvider off = new MacosLinkProvider(sys, Availability.unavailable("not macOS (os.name=Linux)"));
        Linker linker = new Linker(LinkProviders.of(off, new PortableLinkProvider()), LinkOptions.defaults());

        LinkReport report = linker.linkTree(tree(), dir.resolve("env3"));

        assertEquals(List.of(), sys.calls);
        assertEquals(40L, report.files().get(LinkMethod.HARDLINK));
        assertSame(off.availability(), off.availability());
    }
}
