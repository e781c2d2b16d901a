package dev.envlink.testing.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.RepeatedTest;

/** Field injection: with the default per-method lifecycle every test gets a fresh filesystem. */
class MountedFsFieldTest {

    @MountedFs(FsType.BTRFS)
    private Path root;

    @RepeatedTest(2)
    void fieldHoldsAFreshMount() throws Exception {
        assertEquals("btrfs", Files.getFileStore(root).type());
        Path marker = root.resolve("marker");
        assertFalse(Files.exists(marker), "mount was reused between tests");
        Files.createFile(marker);
    }
}
