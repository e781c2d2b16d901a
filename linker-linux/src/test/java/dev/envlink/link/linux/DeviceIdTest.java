package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.envlink.link.DeviceIds;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** The provider's statx device key is the key NIO gives: the engine's probes are cached by it. */
@EnabledOnOs(OS.LINUX)
class DeviceIdTest {
    private final LinuxLinkProvider provider = new LinuxLinkProvider();

    @Test
    void sameKeyAsNioOnRealMounts(@MountedFs(FsType.BTRFS) Path btrfs, @MountedFs(FsType.EXT4) Path ext4,
                                  @TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(btrfs.resolve("a/b"));
        for (Path p : new Path[] {btrfs, dir, ext4, tmp, Path.of("/proc/self"), Path.of("/")}) {
            assertEquals(DeviceIds.of(p), provider.deviceId(p), p.toString());
        }
        assertNotEquals(provider.deviceId(btrfs), provider.deviceId(ext4));
    }

    @Test
    void aSymlinkIsNotFollowed(@MountedFs(FsType.EXT4) Path ext4, @TempDir Path tmp) throws Exception {
        Path link = Files.createSymbolicLink(tmp.resolve("to-ext4"), ext4);
        assertEquals(DeviceIds.of(tmp), provider.deviceId(link));
        assertNotEquals(provider.deviceId(ext4), provider.deviceId(link));
    }

    @Test
    void aMissingPathIsNioMissing(@TempDir Path tmp) {
        assertThrows(NoSuchFileException.class, () -> provider.deviceId(tmp.resolve("gone")));
    }
}
