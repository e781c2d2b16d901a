package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.FileOutcome;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.Linker;
import dev.envlink.link.MethodStatus;
import dev.envlink.link.PairProbe;
import dev.envlink.link.StrictModeException;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Cache and environment on different filesystems: only a copy is possible. */
@EnabledOnOs(OS.LINUX)
class CrossDeviceTest {

    @Test
    void btrfsToExt4FallsBackToCopy(@MountedFs(FsType.BTRFS) Path cache, @MountedFs(FsType.EXT4) Path env)
            throws Exception {
        Path src = Fixtures.writeRandom(cache.resolve("pkgs/numpy/core.so"), 2 * Fixtures.MIB + 17, 11);
        Path dst = env.resolve("lib/core.so");
        Files.createDirectories(dst.getParent());

        Linker linker = Fixtures.linker(LinkMode.AUTO, false);
        FileOutcome outcome = linker.linkFile(src, dst);

        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals("linux", outcome.provider());
        assertTrue(Fixtures.hasDecline(outcome, LinkMethod.REFLINK, DeclineReason.CROSS_DEVICE),
                () -> Fixtures.describeDeclines(outcome.declines()));
        assertTrue(Fixtures.hasDecline(outcome, LinkMethod.HARDLINK, DeclineReason.CROSS_DEVICE),
                () -> Fixtures.describeDeclines(outcome.declines()));
        assertEquals(2, outcome.declines().size(), () -> Fixtures.describeDeclines(outcome.declines()));
        assertEquals(Fixtures.sha256(src), Fixtures.sha256(dst));
        assertNotEquals(Fixtures.fileKey(src), Fixtures.fileKey(dst));

        // One probe for the pair, and it remembered both per-filesystem answers.
        assertEquals(1, linker.probesUsed().size());
        PairProbe probe = linker.probesUsed().get(0);
        assertTrue(probe.status(LinkMethod.REFLINK).declined());
        assertTrue(probe.status(LinkMethod.HARDLINK).declined());
        // Copy is the last resort and is not trialled (it would copy the sample twice).
        assertEquals(MethodStatus.State.UNKNOWN, probe.status(LinkMethod.COPY).state());
        assertTrue(probe.status(LinkMethod.REFLINK).detail().contains("EXDEV"), probe.status(LinkMethod.REFLINK).detail());
    }

    @Test
    void providerSaysExdevForBothLinkKinds(@MountedFs(FsType.BTRFS) Path a, @MountedFs(FsType.BTRFS) Path b)
            throws Exception {
        // Two btrfs filesystems: same type, still no clone and no hardlink across superblocks.
        Path src = Fixtures.writeRandom(a.resolve("f"), 8192, 12);
        LinuxLinkProvider p = new LinuxLinkProvider();
        for (LinkMethod m : new LinkMethod[] {LinkMethod.REFLINK, LinkMethod.HARDLINK}) {
            LinkDeclinedException e = assertThrows(LinkDeclinedException.class, () -> p.link(m, src, b.resolve("f")));
            assertEquals(DeclineReason.CROSS_DEVICE, e.reason(), m.toString());
            assertTrue(Files.notExists(b.resolve("f")), m + " left a destination behind");
        }
        StrictModeException strict = assertThrows(StrictModeException.class,
                () -> Fixtures.linker(LinkMode.REFLINK, true).linkFile(src, b.resolve("f")));
        assertEquals(DeclineReason.CROSS_DEVICE, strict.reason());
        assertEquals(java.util.List.of(), Fixtures.names(b).stream().filter(n -> !n.equals("lost+found")).toList());
    }
}
