package dev.envlink.testing.fs;

import static dev.envlink.testing.fs.LoopMountExtension.fsTestsRequired;
import static dev.envlink.testing.fs.LoopMountExtension.verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.testing.fs.LoopMountExtension.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The skip-versus-fail decision and FsType metadata; needs neither root nor Linux. */
class SkipPolicyTest {

    @Test
    void availableAlwaysRuns() {
        assertEquals(Verdict.RUN, verdict(Optional.empty(), false));
        assertEquals(Verdict.RUN, verdict(Optional.empty(), true));
    }

    @Test
    void unavailableSkipsUnlessRequired() {
        assertEquals(Verdict.SKIP, verdict(Optional.of("not root"), false));
        assertEquals(Verdict.FAIL, verdict(Optional.of("not root"), true));
    }

    @Test
    void requirementComesFromEnvOrSystemProperty() {
        Properties none = new Properties();
        assertFalse(fsTestsRequired(Map.of(), none));
        assertFalse(fsTestsRequired(Map.of("ENVLINK_REQUIRE_FS_TESTS", "0"), none));
        assertTrue(fsTestsRequired(Map.of("ENVLINK_REQUIRE_FS_TESTS", "1"), none));

        Properties required = new Properties();
        required.setProperty("envlink.requireFsTests", "true");
        assertTrue(fsTestsRequired(Map.of(), required));
    }

    @Test
    void fsTypesDescribeThemselves() {
        Path img = Path.of("/tmp/x.img");
        assertEquals(List.of("mkfs.btrfs", "-q", "-f", "/tmp/x.img"), FsType.BTRFS.mkfsCommand(img));
        assertEquals(List.of("mkfs.xfs", "-q", "-f", "-m", "reflink=1", "/tmp/x.img"), FsType.XFS.mkfsCommand(img));
        assertEquals(List.of("mkfs.xfs", "-q", "-f", "-m", "reflink=0", "/tmp/x.img"),
                FsType.XFS_NO_REFLINK.mkfsCommand(img));
        assertEquals(List.of("mkfs.ext4", "-q", "-F", "/tmp/x.img"), FsType.EXT4.mkfsCommand(img));
        assertEquals(320L << 20, FsType.XFS.defaultSizeBytes());
        assertEquals("xfs", FsType.XFS_NO_REFLINK.kernelType());
        assertFalse(FsType.XFS_NO_REFLINK.supportsReflink());
        assertTrue(FsType.BTRFS.requiredTools().containsAll(List.of("mkfs.btrfs", "losetup", "mount", "umount")));
    }
}
