package dev.envlink.link.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.LinkProviders;
import dev.envlink.link.LinkReport;
import dev.envlink.link.Linker;
import dev.envlink.link.PortableLinkProvider;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real thing on macOS (the CI matrix's macos runner; its disk is APFS): clonefile, copyfile,
 * statfs's layout and symbol, whole-tree clones, and HFS+ (a disk image) refusing clones.
 */
@EnabledOnOs(OS.MAC)
class MacosNativeTest {

    @TempDir
    Path dir;
    MacosLinkProvider provider;
    Path source;

    @BeforeEach
    void setUp() throws IOException {
        provider = new MacosLinkProvider();
        assertTrue(provider.availability().available(), () -> provider.availability().cause());
        source = Files.write(dir.resolve("src.bin"), new byte[3 * 65536 + 17]);
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxr-x---"));
    }

    private static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    @Test
    void describeAgreesWithTheJdk() throws IOException {
        FsInfo info = provider.describe(dir).orElseThrow();

        // The JDK's BsdFileStore reads f_fstypename too: equal names prove the symbol and layout.
        assertEquals(Files.getFileStore(dir).type(), info.type(), info.detail());
        assertTrue(info.detail().contains("mounted on /"), info.detail());
        assertEquals(String.valueOf(Files.getAttribute(dir, "unix:dev")), info.device());
    }

    @Test
    void reflinkMakesAnIndependentClone() throws IOException {
        assumeTrue(provider.describe(dir).orElseThrow().type().equals("apfs"), "the temp dir is not on APFS");
        Path target = dir.resolve("clone.bin");

        provider.link(LinkMethod.REFLINK, source, target);

        assertEquals(Files.size(source), Files.size(target));
        assertNotEquals(inode(source), inode(target));
        Files.write(target, "changed".getBytes(StandardCharsets.US_ASCII));
        assertEquals(3 * 65536 + 17, Files.size(source), "writes to the clone stay in the clone");
    }

    @Test
    void reflinkErrors() throws IOException {
        Path target = Files.writeString(dir.resolve("exists"), "x");
        assertThrows(FileAlreadyExistsException.class, () -> provider.link(LinkMethod.REFLINK, source, target));
        assertThrows(NoSuchFileException.class,
                () -> provider.link(LinkMethod.REFLINK, source, dir.resolve("no/such/dir/f")));
    }

    @Test
    void copyIsARealCopyWithMetadata() throws IOException {
        Files.setLastModifiedTime(source, FileTime.fromMillis(1_600_000_000_000L));
        Path target = dir.resolve("copy.bin");

        provider.link(LinkMethod.COPY, source, target);

        assertEquals(-1L, Files.mismatch(source, target));
        assertNotEquals(inode(source), inode(target));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertEquals(FileTime.fromMillis(1_600_000_000_000L), Files.getLastModifiedTime(target));
        assertThrows(FileAlreadyExistsException.class, () -> provider.link(LinkMethod.COPY, source, target));
    }

    @Test
    void hardlinkSharesTheInode() throws IOException {
        Path target = dir.resolve("hard.bin");
        provider.link(LinkMethod.HARDLINK, source, target);
        assertTrue(Files.isSameFile(source, target));
    }

    @Test
    void theEngineClonesATreeInOneCall() throws IOException {
        assumeTrue(provider.describe(dir).orElseThrow().type().equals("apfs"), "the temp dir is not on APFS");
        Path tree = dir.resolve("pkg");
        for (int i = 0; i < 50; i++) {
            Files.writeString(Files.createDirectories(tree.resolve("lib/d" + (i % 5))).resolve("m" + i + ".py"), "v" + i);
        }
        Files.createSymbolicLink(tree.resolve("lib/current"), Path.of("d1"));
        Linker linker = new Linker(LinkProviders.of(provider, new PortableLinkProvider()),
                new LinkOptions(LinkMode.AUTO, false, ExistingPolicy.FAIL, 4));

        LinkReport report = linker.linkTree(tree, dir.resolve("env/pkg"));

        assertEquals(50L, report.files().get(LinkMethod.REFLINK));
        assertEquals(1, report.symlinks());
        assertEquals(List.of(), report.probes(), "one clonefile, no per-file probe");
        assertEquals(Path.of("d1"), Files.readSymbolicLink(dir.resolve("env/pkg/lib/current")));
        assertEquals("v7", Files.readString(dir.resolve("env/pkg/lib/d2/m7.py")));
    }

    /** HFS+ has no clones: a disk image shows the decline of files and of trees, and EXDEV across volumes. */
    @Test
    void hfsPlusDeclines() throws Exception {
        Path dmg = dir.resolve("hfs.dmg");
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        assumeTrue(run("hdiutil", "create", "-size", "16m", "-fs", "HFS+", "-volname", "envlinkhfs", dmg.toString()) == 0,
                "hdiutil create failed");
        assumeTrue(run("hdiutil", "attach", "-nobrowse", "-mountpoint", mnt.toString(), dmg.toString()) == 0,
                "hdiutil attach failed");
        try {
            Path onHfs = Files.writeString(mnt.resolve("a.txt"), "hfs");
            Path tree = Files.createDirectories(mnt.resolve("tree"));
            Files.writeString(tree.resolve("b.txt"), "b");
            assertEquals("hfs", provider.describe(mnt).orElseThrow().type());

            LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                    () -> provider.link(LinkMethod.REFLINK, onHfs, mnt.resolve("clone.txt")));
            assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, e.reason(), e.detail());
            assertFalse(provider.cloneTree(tree, mnt.resolve("tree2")));
            assertFalse(Files.exists(mnt.resolve("tree2")));

            LinkDeclinedException x = assertThrows(LinkDeclinedException.class,
                    () -> provider.link(LinkMethod.REFLINK, source, mnt.resolve("across.bin")));
            assertEquals(DeclineReason.CROSS_DEVICE, x.reason(), x.detail());
        } finally {
            run("hdiutil", "detach", "-force", mnt.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
