package dev.envlink.testing.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** End-to-end: the annotation really yields mounted filesystems of the requested type. */
class MountedFsTest {

    @Test
    void btrfs(@MountedFs(FsType.BTRFS) Path root) throws Exception {
        assertUsableMount(root, FsType.BTRFS);
    }

    @Test
    void xfs(@MountedFs(FsType.XFS) Path root) throws Exception {
        assertUsableMount(root, FsType.XFS);
    }

    @Test
    void xfsWithoutReflink(@MountedFs(FsType.XFS_NO_REFLINK) Path root) throws Exception {
        assertUsableMount(root, FsType.XFS_NO_REFLINK);
    }

    @Test
    void ext4(@MountedFs(FsType.EXT4) Path root) throws Exception {
        assertUsableMount(root, FsType.EXT4);
    }

    @Test
    void eachParameterGetsItsOwnDevice(@MountedFs(FsType.BTRFS) Path btrfs, @MountedFs(FsType.EXT4) Path ext4)
            throws Exception {
        assertUsableMount(btrfs, FsType.BTRFS);
        assertUsableMount(ext4, FsType.EXT4);
        assertNotEquals(Files.getAttribute(btrfs, "unix:dev"), Files.getAttribute(ext4, "unix:dev"));
    }

    @Test
    void sizeIsConfigurable(@MountedFs(value = FsType.BTRFS, sizeMiB = 512) Path root) throws Exception {
        long total = Files.getFileStore(root).getTotalSpace();
        assertTrue(total > 400L << 20 && total <= 512L << 20, "total space " + total);
    }

    static void assertUsableMount(Path root, FsType type) throws IOException, InterruptedException {
        assertEquals(type.kernelType(), Files.getFileStore(root).type());
        Path file = root.resolve("hello.txt");
        Files.writeString(file, "hello " + type);
        assertEquals("hello " + type, Files.readString(file));
        assertReflinkSupportMatches(file, type);
    }

    /** Proves supportsReflink() is true to the filesystem: cp --reflink=always needs FICLONE. */
    private static void assertReflinkSupportMatches(Path file, FsType type) throws IOException, InterruptedException {
        Path clone = file.resolveSibling(file.getFileName() + ".clone");
        Process cp = new ProcessBuilder(List.of("cp", "--reflink=always", file.toString(), clone.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertEquals(type.supportsReflink(), cp.waitFor() == 0, "reflink copy on " + type.label());
    }
}
