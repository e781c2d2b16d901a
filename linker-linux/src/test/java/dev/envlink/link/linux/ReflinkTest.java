package dev.envlink.link.linux;

import static dev.envlink.link.linux.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.Linker;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** FICLONE on filesystems that clone: really shared blocks, really isolated files. */
@EnabledOnOs(OS.LINUX)
class ReflinkTest {

    @Test
    void btrfs(@MountedFs(FsType.BTRFS) Path root) throws Exception {
        assertStrictReflink(root);
    }

    @Test
    void xfs(@MountedFs(FsType.XFS) Path root) throws Exception {
        assertStrictReflink(root);
    }

    @Test
    void copyOnBtrfsIsARealCopy(@MountedFs(FsType.BTRFS) Path root) throws Exception {
        assertCopyDoesNotShare(root);
    }

    @Test
    void copyOnXfsIsARealCopy(@MountedFs(FsType.XFS) Path root) throws Exception {
        assertCopyDoesNotShare(root);
    }

    private static void assertStrictReflink(Path root) throws Exception {
        int size = MIB;
        Path src = Fixtures.writeRandom(root.resolve("pkgs/python/lib/libpython.so"), size, 42);
        Path dst = root.resolve("env/lib/libpython.so");
        Files.createDirectories(dst.getParent());
        String srcHash = Fixtures.sha256(src);
        assertEquals(0, Fiemap.sharedBytes(src), "a fresh file shares nothing yet");

        Linker linker = Fixtures.linker(LinkMode.REFLINK, true);
        FileOutcome outcome = linker.linkFile(src, dst);

        assertEquals(LinkMethod.REFLINK, outcome.method());
        assertEquals("linux", outcome.provider());
        assertTrue(outcome.declines().isEmpty(), () -> Fixtures.describeDeclines(outcome.declines()));
        assertEquals(size, outcome.bytes());
        assertEquals(srcHash, Fixtures.sha256(dst));
        assertNotEquals(Fixtures.fileKey(src), Fixtures.fileKey(dst), "a reflink is a new inode");
        assertEquals(1, ((Number) Files.getAttribute(src, "unix:nlink")).intValue());

        // The kernel's own extent map says the blocks are shared, and they are the same blocks.
        long expected = Fixtures.roundUp(size, 4096);
        assertEquals(expected, Fiemap.sharedBytes(src), "shared bytes of the source");
        assertEquals(expected, Fiemap.sharedBytes(dst), "shared bytes of the destination");
        List<Fiemap.Extent> a = Fiemap.extents(src);
        List<Fiemap.Extent> b = Fiemap.extents(dst);
        assertEquals(physical(a), physical(b), "both files map the same physical ranges");
        assertTrue(a.get(a.size() - 1).last() && b.get(b.size() - 1).last(), "extent lists end with LAST");

        // Independent witness: filefrag (e2fsprogs) reads the same ioctl and prints the flag.
        String frag = Fixtures.run("filefrag", "-v", dst.toString());
        assertTrue(frag.contains("shared"), frag);

        // Copy-on-write: writing the clone leaves the source alone.
        Fixtures.overwrite(dst, 4096, "patched by a post-link script".getBytes());
        assertEquals(srcHash, Fixtures.sha256(src), "the source changed through its reflink");
        assertNotEquals(srcHash, Fixtures.sha256(dst));
        assertTrue(Fiemap.sharedBytes(dst) < expected, "the rewritten block is no longer shared");
        assertTrue(Fiemap.sharedBytes(dst) > 0, "the untouched blocks are still shared");
    }

    private static void assertCopyDoesNotShare(Path root) throws Exception {
        Path src = Fixtures.writeRandom(root.resolve("src.bin"), 3 * MIB + 123, 7);
        Path dst = root.resolve("dst.bin");
        FileOutcome outcome = Fixtures.linker(LinkMode.COPY, true).linkFile(src, dst);
        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals("linux", outcome.provider());
        assertEquals(Fixtures.sha256(src), Fixtures.sha256(dst));
        // copy_file_range would clone here; the provider must have really copied the bytes.
        assertEquals(0, Fiemap.sharedBytes(src), "COPY on a cloning filesystem silently made a reflink");
        assertEquals(0, Fiemap.sharedBytes(dst), "COPY on a cloning filesystem silently made a reflink");
        assertFalse(Fixtures.run("filefrag", "-v", dst.toString()).contains("shared"));
    }

    private static List<String> physical(List<Fiemap.Extent> extents) throws IOException {
        return extents.stream().map(e -> e.logical() + "@" + e.physical() + "+" + e.length()).toList();
    }
}
