package dev.envlink.link.linux;

import static dev.envlink.link.linux.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.Linker;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Copies keep holes (SEEK_DATA/SEEK_HOLE), whichever syscall ends up moving the bytes. */
@EnabledOnOs(OS.LINUX)
class SparseCopyTest {
    private static final long APPARENT = 64L * MIB;
    private static final long SECOND_DATA = 60L * MIB;
    private static final int CHUNK = 4096;
    /** "Far below the apparent size": the copy may use a few blocks of metadata, not megabytes. */
    private static final long ALLOWED = 512 * 1024;

    @Test
    void withinExt4(@MountedFs(FsType.EXT4) Path root) throws Exception {
        // Same ext4 superblock: the data ranges go through copy_file_range.
        assertSparseCopies(root.resolve("src"), root.resolve("dst"));
    }

    @Test
    void btrfsToExt4(@MountedFs(FsType.BTRFS) Path cache, @MountedFs(FsType.EXT4) Path env) throws Exception {
        // Across filesystems copy_file_range says EXDEV and the copier falls back to sendfile.
        assertSparseCopies(cache.resolve("src"), env.resolve("dst"));
    }

    @Test
    void withinBtrfs(@MountedFs(FsType.BTRFS) Path root) throws Exception {
        // On a cloning filesystem the copier avoids copy_file_range altogether.
        assertSparseCopies(root.resolve("src"), root.resolve("dst"));
    }

    private static void assertSparseCopies(Path srcDir, Path dstDir) throws Exception {
        Files.createDirectories(srcDir);
        Files.createDirectories(dstDir);
        Linker linker = Fixtures.linker(LinkMode.COPY, true);

        // Data at 0 and at 60 MiB, then a hole up to 64 MiB.
        Path holeAtEnd = sparse(srcDir.resolve("hole-at-end"), APPARENT, 0, SECOND_DATA);
        // Data at 0 and in the last 4 KiB.
        Path dataAtEnd = sparse(srcDir.resolve("data-at-end"), 32L * MIB, 0, 32L * MIB - CHUNK);
        // Nothing but a hole.
        Path allHole = sparse(srcDir.resolve("all-hole"), APPARENT);

        for (Path src : List.of(holeAtEnd, dataAtEnd, allHole)) {
            long size = Files.size(src);
            assertTrue(Fixtures.allocatedBytes(src) <= ALLOWED, "the source itself is not sparse: " + src);
            Path dst = dstDir.resolve(src.getFileName().toString());
            FileOutcome outcome = linker.linkFile(src, dst);
            assertEquals(LinkMethod.COPY, outcome.method());
            assertEquals("linux", outcome.provider());
            assertEquals(size, Files.size(dst), "apparent size of " + dst);
            assertEquals(-1L, Files.mismatch(src, dst), "content of " + dst);
            long allocated = Fixtures.allocatedBytes(dst);
            assertTrue(allocated <= ALLOWED,
                    dst + " has " + allocated + " bytes allocated for " + size + " apparent: holes were filled");
        }
        // The data sits where it was, the holes stay holes (the extent map of the copy agrees).
        for (Fiemap.Extent e : Fiemap.extents(dstDir.resolve("hole-at-end"))) {
            boolean inFirst = e.logical() < CHUNK;
            boolean inSecond = e.logical() + e.length() > SECOND_DATA && e.logical() < SECOND_DATA + CHUNK;
            assertTrue(inFirst || inSecond, "extent outside the data ranges: " + e);
        }
        assertEquals(List.of(), Fiemap.extents(dstDir.resolve("all-hole")), "a file of holes got extents");
    }

    /** A file of {@code size} bytes with 4 KiB of random data at each offset and holes elsewhere. */
    private static Path sparse(Path file, long size, long... dataOffsets) throws Exception {
        Random random = new Random(file.getFileName().toString().hashCode());
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
            for (long off : dataOffsets) {
                byte[] data = new byte[CHUNK];
                random.nextBytes(data);
                raf.seek(off);
                raf.write(data);
            }
            raf.getFD().sync();
        }
        return file;
    }
}
