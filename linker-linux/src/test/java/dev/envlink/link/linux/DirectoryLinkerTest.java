package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.BatchLinker;
import dev.envlink.link.DeviceIds;
import dev.envlink.link.DirectoryLinker;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkReport;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * The directory fast path (linkat / openat + FICLONE by name) on real filesystems, alone and
 * behind the batch engine: the same results as the ordinary path, nothing left behind when it
 * says no, and the ordinary path's errors and fallbacks for what it cannot place.
 */
@EnabledOnOs(OS.LINUX)
class DirectoryLinkerTest {

    @Test
    void hardlinksByNameOnExt4(@MountedFs(FsType.EXT4) Path root) throws Exception {
        Path src = Files.createDirectories(root.resolve("pkgs/a/lib"));
        Path dst = Files.createDirectories(root.resolve("env/lib"));
        Path f = Fixtures.writeRandom(src.resolve("libx.so"), 5000, 1);
        try (DirectoryLinker d = new LinuxLinkProvider().openDirectories(src, dst).orElseThrow()) {
            assertTrue(d.supports(LinkMethod.HARDLINK) && d.supports(LinkMethod.REFLINK));
            assertFalse(d.supports(LinkMethod.COPY), "copies take the ordinary path");
            assertEquals(DeviceIds.of(src), d.sourceDevice());
            assertEquals(DeviceIds.of(dst), d.targetDevice());
            assertTrue(d.tryLink(LinkMethod.HARDLINK, "libx.so", "libx.so", 5000));
            assertEquals(Fixtures.fileKey(f), Fixtures.fileKey(dst.resolve("libx.so")));
            // In the way, missing, or not supported here: no, and nothing changed.
            assertFalse(d.tryLink(LinkMethod.HARDLINK, "libx.so", "libx.so", 5000));
            assertFalse(d.tryLink(LinkMethod.HARDLINK, "missing.so", "missing.so", 5000));
            assertFalse(d.tryLink(LinkMethod.REFLINK, "libx.so", "clone.so", 5000));
            assertFalse(Files.exists(dst.resolve("missing.so"), LinkOption.NOFOLLOW_LINKS));
            assertFalse(Files.exists(dst.resolve("clone.so"), LinkOption.NOFOLLOW_LINKS),
                    "a failed clone removes the file it created");
            // Names are bytes relative to the directories: a different target name works.
            assertTrue(d.tryLink(LinkMethod.HARDLINK, "libx.so", "libx-renamed.so", 5000));
            assertEquals(Fixtures.fileKey(f), Fixtures.fileKey(dst.resolve("libx-renamed.so")));
            // Not the size the package records: no link (the cache entry is damaged).
            assertFalse(d.tryLink(LinkMethod.HARDLINK, "libx.so", "wrong-size.so", 4999));
            assertFalse(Files.exists(dst.resolve("wrong-size.so"), LinkOption.NOFOLLOW_LINKS));
            // Names of every length and script, one after the other: the longest a name can be,
            // a short one after it, non-ASCII (UTF-8 bytes), and ASCII again.
            for (String n : new String[] {"L".repeat(251) + ".so", "b", "naïve-✓-файл.so", "c.so"}) {
                Path g = Fixtures.writeRandom(src.resolve(n), 100, n.length());
                assertTrue(d.tryLink(LinkMethod.HARDLINK, n, n, 100), n);
                assertEquals(Fixtures.fileKey(g), Fixtures.fileKey(dst.resolve(n)), n);
            }
        }
        assertTrue(new LinuxLinkProvider().openDirectories(src, root.resolve("nope")).isEmpty());
        assertTrue(new LinuxLinkProvider().openDirectories(f, dst).isEmpty(),
                "a file is not a directory (O_DIRECTORY)");
    }

    @Test
    void reflinksCarryModeAndMtimeOnBtrfs(@MountedFs(FsType.BTRFS) Path root) throws Exception {
        Path src = Files.createDirectories(root.resolve("pkgs/a/bin"));
        Path dst = Files.createDirectories(root.resolve("env/bin"));
        Path f = Fixtures.writeRandom(src.resolve("tool"), 3 * Fixtures.MIB, 2);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
        FileTime mtime = FileTime.fromMillis(1_600_000_000_123L);
        Files.setLastModifiedTime(f, mtime);
        Files.createSymbolicLink(src.resolve("link"), Path.of("tool"));
        try (DirectoryLinker d = new LinuxLinkProvider().openDirectories(src, dst).orElseThrow()) {
            assertTrue(d.tryLink(LinkMethod.REFLINK, "tool", "tool", 3 * Fixtures.MIB));
            Path t = dst.resolve("tool");
            assertNotEquals(Fixtures.fileKey(f), Fixtures.fileKey(t), "a clone is a new inode");
            assertEquals(Fixtures.sha256(f), Fixtures.sha256(t));
            assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(t)));
            assertEquals(mtime, Files.getLastModifiedTime(t));
            // A symlink is never followed (O_NOFOLLOW): no, nothing created.
            assertFalse(d.tryLink(LinkMethod.REFLINK, "link", "link", 4));
            assertFalse(Files.exists(dst.resolve("link"), LinkOption.NOFOLLOW_LINKS));
            // An existing target is never replaced (O_EXCL) and never removed.
            Files.writeString(dst.resolve("taken"), "mine");
            assertFalse(d.tryLink(LinkMethod.REFLINK, "tool", "taken", 3 * Fixtures.MIB));
            assertEquals("mine", Files.readString(dst.resolve("taken")));
            assertFalse(d.tryLink(LinkMethod.REFLINK, "tool", "short", 3 * Fixtures.MIB - 1));
            assertFalse(Files.exists(dst.resolve("short"), LinkOption.NOFOLLOW_LINKS), "nothing left behind");
        }
    }

    @Test
    void failedCloneAcrossFilesystemsLeavesNothing(@MountedFs(FsType.BTRFS) Path a, @MountedFs(FsType.BTRFS) Path b)
            throws Exception {
        Path f = Fixtures.writeRandom(a.resolve("f"), 10_000, 3);
        try (DirectoryLinker d = new LinuxLinkProvider().openDirectories(a, b).orElseThrow()) {
            assertNotEquals(d.sourceDevice(), d.targetDevice(), "two filesystems, two devices");
            assertFalse(d.tryLink(LinkMethod.REFLINK, "f", "f", 10_000), "FICLONE across filesystems is EXDEV");
            assertFalse(d.tryLink(LinkMethod.HARDLINK, "f", "f", 10_000));
        }
        assertEquals(List.of(), Fixtures.names(b).stream().filter(n -> !n.equals("lost+found")).toList());
        assertTrue(Files.exists(f));
    }

    /**
     * A device anchor that is wrong (something is mounted below it: here a symlinked directory to
     * another filesystem) cannot misplace a file: the hardlink by name fails (EXDEV) and the file
     * goes the ordinary way, which finds the real devices and copies it, reporting why.
     */
    @Test
    void aWrongDeviceAnchorStillCopiesAcrossFilesystems(@MountedFs(FsType.EXT4) Path a, @MountedFs(FsType.EXT4) Path b)
            throws Exception {
        Path sd = Files.createDirectories(a.resolve("pkgs/p/lib"));
        Path env = Files.createDirectories(a.resolve("env"));
        Path elsewhere = Files.createDirectories(b.resolve("lib"));
        Path td = Files.createSymbolicLink(env.resolve("lib"), elsewhere);
        List<BatchLinker.Placement> ps = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Fixtures.writeRandom(sd.resolve("f" + i), 100 + i, i);
            ps.add(new BatchLinker.Placement(sd, "f" + i, td, "f" + i, 100 + i));
        }
        BatchLinker.Outcomes out = new BatchLinker(Fixtures.linker(LinkMode.AUTO, false)).placeAll(ps, (i, m, n) -> { },
                BatchLinker.DirectoryGate.NONE, dir -> dir == td ? env : dir.getParent().getParent());
        LinkReport.Builder report = new LinkReport.Builder();
        out.addTo(report);
        LinkReport r = report.build(List.of());
        assertEquals(20L, r.files().get(LinkMethod.COPY), r.toString());
        assertTrue(r.fallbacks().stream().anyMatch(f -> f.reason() == dev.envlink.link.DeclineReason.CROSS_DEVICE),
                r.toString());
        for (BatchLinker.Placement p : ps) {
            assertNotEquals(Fixtures.fileKey(p.source()), Fixtures.fileKey(p.target()), "a copy, not a link");
            assertArrayEquals(Files.readAllBytes(p.source()), Files.readAllBytes(elsewhere.resolve(p.targetName())));
        }
    }

    @Test
    void batchUsesTheFastPathAndKeepsTheOrdinaryErrors(@MountedFs(FsType.EXT4) Path root) throws Exception {
        Path pkg = root.resolve("pkgs/p");
        List<BatchLinker.Placement> ps = new ArrayList<>();
        Path env = Files.createDirectories(root.resolve("env"));
        for (int d = 0; d < 3; d++) {
            Path sd = Files.createDirectories(pkg.resolve("d" + d));
            Path td = Files.createDirectories(env.resolve("d" + d));
            for (int i = 0; i < 300; i++) { // more than one run per directory
                Fixtures.writeRandom(sd.resolve("f" + i), 100 + i, d * 1000L + i);
                ps.add(new BatchLinker.Placement(sd, "f" + i, td, "f" + i, 100 + i));
            }
        }
        BatchLinker.Outcomes out = new BatchLinker(Fixtures.linker(LinkMode.AUTO, false)).placeAll(ps, n -> { });
        LinkReport.Builder report = new LinkReport.Builder();
        out.addTo(report);
        LinkReport r = report.build(List.of());
        assertEquals(900L, r.files().get(LinkMethod.HARDLINK), r.toString());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(LinkMethod.HARDLINK, out.method(i));
            assertEquals(Fixtures.fileKey(ps.get(i).source()), Fixtures.fileKey(ps.get(i).target()));
        }
        // ext4 has no reflinks: auto mode reports the probe's decline for every file, as file by file.
        assertEquals(1, r.fallbacks().size(), r.toString());
        assertEquals(900L, r.fallbacks().get(0).files());
        assertEquals(LinkMethod.REFLINK, r.fallbacks().get(0).wanted());

        // What the fast path cannot place goes the ordinary way, which names the file and the cause.
        Path sd = pkg.resolve("d0");
        Path td = env.resolve("again");
        Files.createDirectories(td);
        Files.writeString(td.resolve("f1"), "in the way");
        List<BatchLinker.Placement> again = List.of(new BatchLinker.Placement(sd, "f0", td, "f0", 100),
                new BatchLinker.Placement(sd, "f1", td, "f1", 101));
        IOException e = assertThrows(IOException.class,
                () -> new BatchLinker(Fixtures.linker(LinkMode.AUTO, false)).placeAll(again, n -> { }));
        assertTrue(e.getMessage().contains(td.resolve("f1").toString()), e.getMessage());
        assertEquals("in the way", Files.readString(td.resolve("f1")));
        List<BatchLinker.Placement> missing = List.of(new BatchLinker.Placement(sd, "gone", td, "gone", 5));
        dev.envlink.link.SourceMismatchException m = assertThrows(dev.envlink.link.SourceMismatchException.class,
                () -> new BatchLinker(Fixtures.linker(LinkMode.AUTO, false)).placeAll(missing, n -> { }));
        assertTrue(m.getMessage().contains(sd.resolve("gone").toString()) && m.getMessage().contains("missing"),
                m.getMessage());

        // A cache file of another size than recorded: refused by the fast path, reported by the
        // ordinary one as a damaged entry; nothing placed for it.
        Files.writeString(sd.resolve("f2"), "grown", java.nio.file.StandardOpenOption.APPEND);
        List<BatchLinker.Placement> changed = List.of(new BatchLinker.Placement(sd, "f2", td, "f2", 102));
        dev.envlink.link.SourceMismatchException c = assertThrows(dev.envlink.link.SourceMismatchException.class,
                () -> new BatchLinker(Fixtures.linker(LinkMode.AUTO, false)).placeAll(changed, n -> { }));
        assertEquals(102, c.expectedSize());
        assertTrue(c.getMessage().contains("107 bytes"), c.getMessage());
        assertFalse(Files.exists(td.resolve("f2"), LinkOption.NOFOLLOW_LINKS));
    }
}
