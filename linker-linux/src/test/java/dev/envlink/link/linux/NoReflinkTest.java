package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.Linker;
import dev.envlink.link.StrictModeException;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Filesystems that cannot clone: auto falls back to a hardlink, strict reflink refuses. */
@EnabledOnOs(OS.LINUX)
class NoReflinkTest {

    @Test
    void ext4(@MountedFs(FsType.EXT4) Path root) throws Exception {
        assertFallsBackToHardlink(root);
        assertStrictReflinkRefuses(root);
        assertProviderDeclines(root);
    }

    @Test
    void xfsWithoutReflink(@MountedFs(FsType.XFS_NO_REFLINK) Path root) throws Exception {
        assertFallsBackToHardlink(root);
        assertStrictReflinkRefuses(root);
        assertProviderDeclines(root);
    }

    private static void assertFallsBackToHardlink(Path root) throws Exception {
        Path src = Fixtures.writeRandom(root.resolve("pkgs/a.bin"), 100_000, 1);
        Path dst = root.resolve("env/a.bin");
        Files.createDirectories(dst.getParent());

        FileOutcome outcome = Fixtures.linker(LinkMode.AUTO, false).linkFile(src, dst);

        assertEquals(LinkMethod.HARDLINK, outcome.method());
        assertEquals("linux", outcome.provider());
        assertEquals(Fixtures.fileKey(src), Fixtures.fileKey(dst), "a hardlink is the same inode");
        assertEquals(2, ((Number) Files.getAttribute(src, "unix:nlink")).intValue());
        assertEquals(1, outcome.declines().size(), () -> Fixtures.describeDeclines(outcome.declines()));
        assertTrue(Fixtures.hasDecline(outcome, LinkMethod.REFLINK, DeclineReason.UNSUPPORTED_BY_FILESYSTEM),
                () -> Fixtures.describeDeclines(outcome.declines()));
        // The errno the kernel gave FICLONE is kept for the user.
        assertTrue(outcome.declines().get(0).detail().contains("EOPNOTSUPP"), outcome.declines().get(0).detail());
    }

    private static void assertStrictReflinkRefuses(Path root) throws Exception {
        Path src = Fixtures.writeRandom(root.resolve("pkgs/b.bin"), 10_000, 2);
        Path dst = root.resolve("env/b.bin");
        Linker strict = Fixtures.linker(LinkMode.REFLINK, true);

        StrictModeException e = assertThrows(StrictModeException.class, () -> strict.linkFile(src, dst));

        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, e.reason());
        assertEquals(LinkMethod.REFLINK, e.method());
        assertTrue(e.getMessage().contains("EOPNOTSUPP"), e.getMessage());
        assertFalse(Files.exists(dst), "strict mode left a destination behind");
        assertEquals(java.util.List.of("a.bin"), Fixtures.names(dst.getParent()), "no temp or probe files remain");
    }

    /** The decline really comes from the Linux provider's FICLONE, not from a missing method. */
    private static void assertProviderDeclines(Path root) throws Exception {
        Path src = Fixtures.writeRandom(root.resolve("pkgs/c.bin"), 5_000, 3);
        Path dst = root.resolve("env/c.bin");
        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> new LinuxLinkProvider().link(LinkMethod.REFLINK, src, dst));
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, e.reason());
        assertTrue(e.getMessage().contains("FICLONE"), e.getMessage());
        assertFalse(Files.exists(dst), "a declined reflink left an empty destination");
    }
}
