package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.Linker;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Exec bits and mtimes survive every method (conda entry points need +x, caches compare mtimes). */
@EnabledOnOs(OS.LINUX)
class MetadataTest {
    private static final FileTime OLD = FileTime.from(Instant.parse("2001-02-03T04:05:06.789Z"));

    @Test
    void reflinkOnBtrfs(@MountedFs(FsType.BTRFS) Path root) throws Exception {
        assertMetadataSurvives(root.resolve("src"), root.resolve("dst"), LinkMode.REFLINK, LinkMethod.REFLINK);
    }

    @Test
    void hardlinkOnExt4(@MountedFs(FsType.EXT4) Path root) throws Exception {
        assertMetadataSurvives(root.resolve("src"), root.resolve("dst"), LinkMode.HARDLINK, LinkMethod.HARDLINK);
    }

    @Test
    void copyWithinExt4(@MountedFs(FsType.EXT4) Path root) throws Exception {
        assertMetadataSurvives(root.resolve("src"), root.resolve("dst"), LinkMode.COPY, LinkMethod.COPY);
    }

    @Test
    void copyFromBtrfsToExt4(@MountedFs(FsType.BTRFS) Path cache, @MountedFs(FsType.EXT4) Path env)
            throws Exception {
        assertMetadataSurvives(cache.resolve("src"), env.resolve("dst"), LinkMode.AUTO, LinkMethod.COPY);
    }

    @Test
    void reflinkOnXfs(@MountedFs(FsType.XFS) Path root) throws Exception {
        assertMetadataSurvives(root.resolve("src"), root.resolve("dst"), LinkMode.AUTO, LinkMethod.REFLINK);
    }

    private static void assertMetadataSurvives(Path srcDir, Path dstDir, LinkMode mode, LinkMethod expected)
            throws Exception {
        Files.createDirectories(srcDir);
        Files.createDirectories(dstDir);
        Linker linker = Fixtures.linker(mode, mode != LinkMode.AUTO);
        String[][] files = {{"python3", "rwxr-xr-x"}, {"data.json", "rw-r-----"}, {"empty", "r--r--r--"}};
        for (String[] f : files) {
            Path src = srcDir.resolve(f[0]);
            if (f[0].equals("empty")) {
                Files.createFile(src);
            } else {
                Fixtures.writeRandom(src, 70_000, f[0].hashCode());
            }
            Files.setPosixFilePermissions(src, PosixFilePermissions.fromString(f[1]));
            Files.setLastModifiedTime(src, OLD);
        }
        for (String[] f : files) {
            Path src = srcDir.resolve(f[0]);
            Path dst = dstDir.resolve(f[0]);
            FileOutcome outcome = linker.linkFile(src, dst);
            assertEquals(expected, outcome.method(), f[0]);
            assertEquals("linux", outcome.provider(), f[0]);
            assertEquals(f[1], PosixFilePermissions.toString(Files.getPosixFilePermissions(dst, LinkOption.NOFOLLOW_LINKS)),
                    f[0] + " permissions");
            FileTime srcTime = Files.getLastModifiedTime(src, LinkOption.NOFOLLOW_LINKS);
            FileTime dstTime = Files.getLastModifiedTime(dst, LinkOption.NOFOLLOW_LINKS);
            assertEquals(OLD.toMillis(), srcTime.toMillis(), "the source filesystem keeps milliseconds");
            assertEquals(srcTime.toMillis(), dstTime.toMillis(), f[0] + " mtime");
            assertEquals(srcTime, dstTime, f[0] + " mtime to the nanosecond");
            assertEquals(Fixtures.sha256(src), Fixtures.sha256(dst), f[0] + " content");
        }
    }
}
