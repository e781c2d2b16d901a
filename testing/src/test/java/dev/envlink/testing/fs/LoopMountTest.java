package dev.envlink.testing.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoopMount used directly: teardown leaves no mount, loop device, image or directory behind. */
class LoopMountTest {

    @TempDir
    Path workDir;

    @BeforeEach
    void requireLoopMounts() {
        LoopMountExtension.requireAvailable(FsType.EXT4);
        LoopMountExtension.requireAvailable(FsType.XFS);
    }

    @Test
    void closeUnmountsDetachesAndDeletes() throws Exception {
        LoopMount mount;
        try (LoopMount m = LoopMount.create(FsType.EXT4, FsType.EXT4.defaultSizeBytes(), workDir)) {
            mount = m;
            assertEquals(FsType.EXT4, m.type());
            assertTrue(isMounted(m.path()), "expected in /proc/self/mounts: " + m.path());
            assertTrue(isAttached(m.device()), "expected attached: " + m.device());
        }
        assertFalse(isMounted(mount.path()), "still mounted: " + mount.path());
        assertFalse(isAttached(mount.device()), "still attached: " + mount.device());
        assertWorkDirEmpty();
        mount.close(); // idempotent
    }

    @Test
    void busyMountIsStillReleased() throws Exception {
        LoopMount mount = LoopMount.create(FsType.EXT4, FsType.EXT4.defaultSizeBytes(), workDir);
        try (FileChannel open = FileChannel.open(mount.path().resolve("held-open"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            open.write(ByteBuffer.wrap(new byte[] {42}));
            mount.close(); // retries on EBUSY, then detaches lazily
            assertFalse(isMounted(mount.path()));
        }
        assertWorkDirEmpty();
        // The lazily detached loop device is freed by the kernel once the last file is closed.
        for (int i = 0; i < 50 && isAttached(mount.device()); i++) {
            Thread.sleep(100);
        }
        assertFalse(isAttached(mount.device()), "loop device never released: " + mount.device());
    }

    @Test
    void failedCreateUndoesEverything() {
        // mkfs.xfs rejects an image this small, so create() fails after the image was made.
        IOException failure = assertThrows(IOException.class,
                () -> LoopMount.create(FsType.XFS, 16L << 20, workDir));
        assertTrue(failure.getMessage().contains("mkfs.xfs") && failure.getMessage().contains("exit code"),
                failure.getMessage());
        assertWorkDirEmpty();
    }

    private void assertWorkDirEmpty() {
        try (Stream<Path> left = Files.list(workDir)) {
            assertEquals(List.of(), left.toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean isMounted(Path mountPoint) throws IOException {
        // /proc/self/mounts escapes spaces as \040; temp dir names contain none.
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .map(line -> line.split(" ")[1])
                .anyMatch(mountPoint.toString()::equals);
    }

    private static boolean isAttached(String device) {
        // A bound loop device exposes its backing file in sysfs; a free one does not.
        return Files.exists(Path.of("/sys/block", Path.of(device).getFileName().toString(), "loop", "backing_file"));
    }
}
