package dev.envlink.link.linux;

import static dev.envlink.link.linux.Fixtures.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
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

/** ENOSPC is a real error, never a decline, and never leaves a partial file behind. */
@EnabledOnOs(OS.LINUX)
class FullDiskTest {

    @Test
    void copyFromAnotherFilesystem(@MountedFs(value = FsType.EXT4, sizeMiB = 16) Path small,
                                   @MountedFs(FsType.EXT4) Path big) throws Exception {
        Path src = Fixtures.writeRandom(big.resolve("huge.bin"), 24 * MIB, 1);
        assertTrue(Files.getFileStore(small).getUsableSpace() < Files.size(src), "the small disk is not small");
        assertFullDisk(src, small);
    }

    @Test
    void copyWithinTheSameFilesystem(@MountedFs(value = FsType.EXT4, sizeMiB = 16) Path small) throws Exception {
        // Same superblock, so the bytes go through copy_file_range rather than sendfile.
        long free = Files.getFileStore(small).getUsableSpace();
        Path src = Fixtures.writeRandom(small.resolve("src/big.bin"), (int) (free * 2 / 3), 2);
        assertFullDisk(src, small);
    }

    @Test
    void copyFromBtrfs(@MountedFs(value = FsType.EXT4, sizeMiB = 16) Path small,
                       @MountedFs(FsType.BTRFS) Path cache) throws Exception {
        Path src = Fixtures.writeRandom(cache.resolve("huge.bin"), 24 * MIB, 3);
        assertFullDisk(src, small);
    }

    private static void assertFullDisk(Path src, Path disk) throws Exception {
        Path dir = Files.createDirectories(disk.resolve("env"));
        long freeBefore = Files.getFileStore(disk).getUsableSpace();

        // The provider on its own: a real error that names the target and the cause.
        Path direct = dir.resolve("direct.bin");
        IOException e = assertThrows(IOException.class,
                () -> new LinuxLinkProvider().link(LinkMethod.COPY, src, direct));
        assertNoSpace(e, direct);
        assertFalse(Files.exists(direct), "a partial copy was left behind");
        assertEquals(List.of(), Fixtures.names(dir));

        // Through the engine, after a small file has already been placed (probe done, cached):
        // the big file fails with the target's own name in the message.
        Linker linker = Fixtures.linker(LinkMode.COPY, false);
        Path smallSrc = Fixtures.writeRandom(src.resolveSibling("small.bin"), 1000, 9);
        assertEquals(LinkMethod.COPY, linker.linkFile(smallSrc, dir.resolve("small.bin")).method());
        Path target = dir.resolve("big.bin");
        assertNoSpace(assertThrows(IOException.class, () -> linker.linkFile(src, target)), target);
        assertEquals(List.of("small.bin"), Fixtures.names(dir), "partial or temporary files remain");

        // The first file of a fresh engine: copy is never part of the probe trial, so the error
        // names the real target, not a temporary probe file, and nothing is left.
        Path first = dir.resolve("first.bin");
        IOException fromFirst = assertThrows(IOException.class,
                () -> Fixtures.linker(LinkMode.COPY, false).linkFile(src, first));
        assertNoSpace(fromFirst, first);
        assertEquals(List.of("small.bin"), Fixtures.names(dir), "the probe left files behind");

        // Replacing an existing file: it survives a failed copy untouched.
        Path keep = dir.resolve("small.bin");
        String before = Fixtures.sha256(keep);
        Linker replacing = Fixtures.linker(new LinkOptions(LinkMode.COPY, false, ExistingPolicy.REPLACE, 2));
        replacing.linkFile(smallSrc, dir.resolve("warm-up.bin")); // probe with a file that fits
        assertNoSpace(assertThrows(IOException.class, () -> replacing.linkFile(src, keep)), null);
        assertEquals(before, Fixtures.sha256(keep), "the existing file was damaged");
        assertEquals(List.of("small.bin", "warm-up.bin"), Fixtures.names(dir));

        // All space came back.
        Files.delete(dir.resolve("warm-up.bin"));
        Files.delete(keep);
        long freeAfter = Files.getFileStore(disk).getUsableSpace();
        assertTrue(Math.abs(freeAfter - freeBefore) < 64 * 1024, "space leaked: " + freeBefore + " -> " + freeAfter);
    }

    private static void assertNoSpace(IOException e, Path target) {
        assertFalse(e instanceof LinkDeclinedException, "ENOSPC must not be a decline: " + e);
        String all = messages(e);
        assertTrue(all.contains("No space left on device"), all);
        assertTrue(all.contains("ENOSPC"), all);
        if (target != null) {
            assertTrue(e.getMessage().contains(target.toString()), "the message does not name the target: " + e.getMessage());
        }
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c).append(" | ");
        }
        return sb.toString();
    }

}
