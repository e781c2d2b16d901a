package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.DeviceIds;
import dev.envlink.link.FsInfo;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** statfs through JNA on each real filesystem, cross-checked against stat(1). */
@EnabledOnOs(OS.LINUX)
class DescribeTest {

    @Test
    void eachType(@MountedFs(FsType.BTRFS) Path btrfs, @MountedFs(FsType.XFS) Path xfs,
                  @MountedFs(FsType.XFS_NO_REFLINK) Path xfsNoReflink, @MountedFs(FsType.EXT4) Path ext4)
            throws Exception {
        assertDescribes(btrfs, "btrfs", 0x9123683EL);
        assertDescribes(xfs, "xfs", 0x58465342L);
        assertDescribes(xfsNoReflink, "xfs", 0x58465342L);
        assertDescribes(ext4, "ext4", 0xEF53L);
        // A file and a subdirectory describe the filesystem they live on.
        Path file = Fixtures.writeRandom(btrfs.resolve("a/b/file"), 10, 1);
        assertEquals("btrfs", new LinuxLinkProvider().describe(file).orElseThrow().type());
    }

    @Test
    void missingPath(@MountedFs(FsType.EXT4) Path root) {
        Path missing = root.resolve("no/such/dir");
        IOException e = assertThrows(IOException.class, () -> new LinuxLinkProvider().describe(missing));
        assertInstanceOf(NoSuchFileException.class, e);
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    private static void assertDescribes(Path root, String type, long magic) throws Exception {
        FsInfo info = new LinuxLinkProvider().describe(root).orElseThrow();
        assertEquals(type, info.type());
        assertEquals("linux", info.provider());
        assertEquals(DeviceIds.of(root), info.device());
        assertTrue(info.detail().contains(String.format("f_type=0x%x", magic)), info.detail());

        // The struct layout, checked field by field against coreutils' reading of the same call.
        Statfs st = new Statfs();
        Natives.libc().statfs(root.toString(), st);
        String[] s = Fixtures.run("stat", "-f", "-c", "%t %s %b %l %S %c", root.toString()).strip().split(" ");
        assertEquals(magic, st.f_type.longValue() & 0xFFFFFFFFL);
        assertEquals(Long.parseLong(s[0], 16), st.f_type.longValue() & 0xFFFFFFFFL, "f_type");
        assertEquals(Long.parseLong(s[1]), st.f_bsize.longValue(), "f_bsize");
        assertEquals(Long.parseLong(s[2]), st.f_blocks.longValue(), "f_blocks");
        assertEquals(Long.parseLong(s[3]), st.f_namelen.longValue(), "f_namelen");
        assertEquals(Long.parseLong(s[4]), st.f_frsize.longValue(), "f_frsize");
        assertEquals(Long.parseLong(s[5]), st.f_files.longValue(), "f_files");
        assertEquals(255, st.f_namelen.longValue());
    }
}
