package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.StrictModeException;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A file at ext4's 65000-link limit: hardlink mode copies it, strict hardlink mode refuses. */
@EnabledOnOs(OS.LINUX)
class HardLinkLimitTest {
    private static final int EXT4_LINK_MAX = 65000;

    @Test
    void emlink(@MountedFs(FsType.EXT4) Path root) throws Exception {
        Path src = Fixtures.writeRandom(root.resolve("pkgs/popular.py"), 3000, 5);
        Path links = Files.createDirectories(root.resolve("links"));
        int made = fillLinks(src, links);
        assertEquals(EXT4_LINK_MAX - 1, made, "ext4's limit is 65000 names per inode");
        assertEquals(EXT4_LINK_MAX, ((Number) Files.getAttribute(src, "unix:nlink")).intValue());

        Path env = Files.createDirectories(root.resolve("env"));

        // The provider itself reports EMLINK as a per-file decline.
        LinkDeclinedException declined = assertThrows(LinkDeclinedException.class,
                () -> new LinuxLinkProvider().link(LinkMethod.HARDLINK, src, env.resolve("direct")));
        assertEquals(DeclineReason.TOO_MANY_LINKS, declined.reason());
        assertTrue(declined.getMessage().contains("EMLINK"), declined.getMessage());
        assertFalse(Files.exists(env.resolve("direct")));

        // Hardlink mode falls back to a copy for this file.
        Path dst = env.resolve("popular.py");
        FileOutcome outcome = Fixtures.linker(LinkMode.HARDLINK, false).linkFile(src, dst);
        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals("linux", outcome.provider());
        assertEquals(1, outcome.declines().size(), () -> Fixtures.describeDeclines(outcome.declines()));
        assertTrue(Fixtures.hasDecline(outcome, LinkMethod.HARDLINK, DeclineReason.TOO_MANY_LINKS),
                () -> Fixtures.describeDeclines(outcome.declines()));
        assertNotEquals(Fixtures.fileKey(src), Fixtures.fileKey(dst));
        assertEquals(Fixtures.sha256(src), Fixtures.sha256(dst));

        // A different file on the same filesystem still gets a hardlink: EMLINK is not per filesystem.
        Path other = Fixtures.writeRandom(root.resolve("pkgs/other.py"), 100, 6);
        FileOutcome otherOutcome = Fixtures.linker(LinkMode.HARDLINK, false).linkFile(other, env.resolve("other.py"));
        assertEquals(LinkMethod.HARDLINK, otherOutcome.method());

        // Strict hardlink mode refuses instead of copying.
        Path strictDst = env.resolve("strict.py");
        StrictModeException e = assertThrows(StrictModeException.class,
                () -> Fixtures.linker(LinkMode.HARDLINK, true).linkFile(src, strictDst));
        assertEquals(DeclineReason.TOO_MANY_LINKS, e.reason());
        assertEquals(LinkMethod.HARDLINK, e.method());
        assertFalse(Files.exists(strictDst));
        assertEquals(java.util.List.of("other.py", "popular.py"), Fixtures.names(env));

        // Through the batch engine's directory fast path: linkat says EMLINK, the file goes the
        // ordinary way and is copied with the same decline; its neighbour is still hardlinked.
        Path batchDir = Files.createDirectories(root.resolve("env2"));
        java.util.List<dev.envlink.link.BatchLinker.Placement> ps = java.util.List.of(
                new dev.envlink.link.BatchLinker.Placement(src.getParent(), "popular.py", batchDir, "popular.py", 3000),
                new dev.envlink.link.BatchLinker.Placement(src.getParent(), "other.py", batchDir, "other.py", 100));
        dev.envlink.link.BatchLinker.Outcomes out = new dev.envlink.link.BatchLinker(
                Fixtures.linker(LinkMode.HARDLINK, false)).placeAll(ps, n -> { });
        assertEquals(LinkMethod.COPY, out.method(0));
        assertTrue(Fixtures.hasDecline(out.outcome(0), LinkMethod.HARDLINK, DeclineReason.TOO_MANY_LINKS));
        assertEquals(Fixtures.sha256(src), Fixtures.sha256(batchDir.resolve("popular.py")));
        assertEquals(LinkMethod.HARDLINK, out.method(1));
        assertEquals(Fixtures.fileKey(other), Fixtures.fileKey(batchDir.resolve("other.py")));
    }

    /** Adds hard links until link(2) fails with EMLINK; returns how many were made. */
    private static int fillLinks(Path src, Path dir) throws Exception {
        int n = 0;
        while (true) {
            try {
                Files.createLink(dir.resolve(Integer.toString(n)), src);
                n++;
            } catch (FileSystemException e) {
                assertTrue(String.valueOf(e.getReason()).contains("Too many links"), "not EMLINK: " + e);
                return n;
            }
            if (n > EXT4_LINK_MAX + 10) {
                throw new AssertionError("no link limit reached after " + n + " links");
            }
        }
    }
}
