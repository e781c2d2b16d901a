package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.Fallback;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkReport;
import dev.envlink.link.Linker;
import dev.envlink.link.MethodStatus;
import dev.envlink.link.PairProbe;
import dev.envlink.testing.fs.FsType;
import dev.envlink.testing.fs.MountedFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** A package-sized tree (3000 files) placed with each method on real filesystems. */
@EnabledOnOs(OS.LINUX)
class TreeLinkTest {
    private static final int TOP = 10;
    private static final int SUB = 10;
    private static final int PER_DIR = 30;
    private static final FileTime OLD = FileTime.from(Instant.parse("2019-06-07T08:09:10.500Z"));

    /** What was built: counts the report must match. */
    record Tree(Path root, int files, int symlinks, int directories, Map<String, String> snapshot) {
    }

    @Test
    void btrfsAllMethods(@MountedFs(value = FsType.BTRFS, sizeMiB = 512) Path root) throws Exception {
        Tree tree = build(root.resolve("pkgs/pkg-1.0"), root.resolve("pkgs/outside.txt"));

        LinkReport auto = linkAndCompare(tree, root.resolve("env-auto"), LinkMode.AUTO);
        assertOnly(auto, LinkMethod.REFLINK, tree);
        assertTrue(auto.fallbacks().isEmpty(), () -> auto.fallbacks().toString());
        assertEquals(1, auto.probes().size(), () -> auto.probes().toString());
        assertTrue(auto.probes().get(0).status(LinkMethod.REFLINK).works());
        assertEquals("linux", auto.probes().get(0).status(LinkMethod.REFLINK).provider());
        // Tiny files live inline in btrfs metadata and cannot share extents; the libraries can.
        Path sample = Path.of("lib/libbig2.so");
        assertEquals(256 * 1024, Fiemap.sharedBytes(root.resolve("env-auto").resolve(sample.toString())),
                "a file of the tree is not really reflinked");
        assertNotEquals(Fixtures.fileKey(tree.root().resolve(sample.toString())),
                Fixtures.fileKey(root.resolve("env-auto").resolve(sample.toString())));

        LinkReport hard = linkAndCompare(tree, root.resolve("env-hard"), LinkMode.HARDLINK);
        assertOnly(hard, LinkMethod.HARDLINK, tree);
        assertEquals(Fixtures.fileKey(tree.root().resolve(sample.toString())),
                Fixtures.fileKey(root.resolve("env-hard").resolve(sample.toString())));

        LinkReport copy = linkAndCompare(tree, root.resolve("env-copy"), LinkMode.COPY);
        assertOnly(copy, LinkMethod.COPY, tree);
        assertEquals(0, Fiemap.sharedBytes(root.resolve("env-copy").resolve("lib/libbig0.so")));

        // Nothing was changed in the source by all this.
        assertEquals(tree.snapshot(), snapshot(tree.root()));
    }

    @Test
    void ext4AutoGivesHardlinksAfterOneProbe(@MountedFs(FsType.EXT4) Path root) throws Exception {
        Tree tree = build(root.resolve("pkgs/pkg-1.0"), root.resolve("pkgs/outside.txt"));

        LinkReport report = linkAndCompare(tree, root.resolve("env"), LinkMode.AUTO);

        assertOnly(report, LinkMethod.HARDLINK, tree);
        // The reflink refusal was learnt once for the filesystem pair and applied to every file.
        assertEquals(1, report.fallbacks().size(), () -> report.fallbacks().toString());
        Fallback fb = report.fallbacks().get(0);
        assertEquals(LinkMethod.REFLINK, fb.wanted());
        assertEquals(LinkMethod.HARDLINK, fb.used());
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, fb.reason());
        assertEquals(tree.files(), fb.files());
        assertEquals(report.bytes().get(LinkMethod.HARDLINK), fb.bytes());
        assertEquals(1, report.probes().size(), () -> report.probes().toString());
        PairProbe probe = report.probes().get(0);
        assertTrue(probe.sameDevice());
        assertEquals(MethodStatus.State.DECLINED, probe.status(LinkMethod.REFLINK).state());
        assertTrue(probe.status(LinkMethod.HARDLINK).works());
        assertTrue(probe.status(LinkMethod.REFLINK).detail().contains("EOPNOTSUPP"),
                probe.status(LinkMethod.REFLINK).detail());
        // No probe files were left anywhere in the destination.
        assertEquals(List.of(), leftovers(root.resolve("env")));
    }

    private static void assertOnly(LinkReport report, LinkMethod method, Tree tree) {
        for (LinkMethod m : LinkMethod.values()) {
            assertEquals(m == method ? tree.files() : 0L, report.files().get(m), m + " in " + report.files());
        }
        assertEquals(tree.files(), report.totalFiles());
        assertEquals(tree.symlinks(), report.symlinks());
        assertEquals(tree.directories(), report.directories());
        assertTrue(report.skipped().isEmpty(), () -> report.skipped().toString());
    }

    private static LinkReport linkAndCompare(Tree tree, Path dst, LinkMode mode) throws IOException {
        Linker linker = Fixtures.linker(mode, false);
        LinkReport report = linker.linkTree(tree.root(), dst);
        assertEquals(tree.snapshot(), snapshot(dst), "destination tree differs from the source for " + mode);
        assertEquals(List.of(), leftovers(dst));
        return report;
    }

    /**
     * Builds the source tree: TOP x SUB directories of PER_DIR files (every 7th executable, every
     * 11th empty, every 13th 0600), three 256 KiB libraries, an empty directory, a 0700 directory, a relative symlink inside
     * the tree, one pointing outside it and a dangling one. Everything gets an old mtime.
     */
    private static Tree build(Path root, Path outside) throws IOException {
        Files.createDirectories(root);
        Files.writeString(outside, "outside the tree");
        int files = 0;
        int dirs = 1;
        List<Path> all = new ArrayList<>();
        for (int t = 0; t < TOP; t++) {
            Path top = Files.createDirectory(root.resolve("d" + t));
            dirs++;
            for (int s = 0; s < SUB; s++) {
                Path sub = Files.createDirectory(top.resolve("s" + s));
                dirs++;
                for (int f = 0; f < PER_DIR; f++) {
                    int n = files++;
                    Path file = sub.resolve("f" + f + ".txt");
                    String content = n % 11 == 0 ? "" : ("file " + n + " in " + t + "/" + s + "\n").repeat(1 + n % 5);
                    Files.write(file, content.getBytes(StandardCharsets.UTF_8));
                    String mode = n % 7 == 0 ? "rwxr-xr-x" : n % 13 == 0 ? "rw-------" : "rw-r--r--";
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
                    all.add(file);
                }
            }
        }
        Path bin = Files.createDirectory(root.resolve("bin"));
        dirs++;
        Path tool = bin.resolve("tool");
        Files.writeString(tool, "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        all.add(tool);
        files++;
        Path lib = Files.createDirectory(root.resolve("lib"));
        dirs++;
        for (int i = 0; i < 3; i++) {
            all.add(Fixtures.writeRandom(lib.resolve("libbig" + i + ".so"), 256 * 1024, i));
            files++;
        }
        Files.createDirectory(root.resolve("empty"));
        dirs++;
        Path priv = Files.createDirectory(root.resolve("private"));
        dirs++;
        Files.writeString(priv.resolve("secret"), "s");
        all.add(priv.resolve("secret"));
        files++;

        Files.createSymbolicLink(bin.resolve("python"), Path.of("../d1/s2/f3.txt"));
        Files.createSymbolicLink(root.resolve("d0/outside-link"), outside.toAbsolutePath());
        Files.createSymbolicLink(root.resolve("d0/relative-outside"), Path.of("../../outside.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("no/such/file"));
        int symlinks = 4;

        for (Path p : all) {
            Files.setLastModifiedTime(p, OLD);
        }
        Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rwx------"));
        Files.setLastModifiedTime(priv, OLD);
        Files.setLastModifiedTime(root.resolve("empty"), OLD);
        return new Tree(root, files, symlinks, dirs, snapshot(root));
    }

    /** Every entry by relative path: type, mode, size and content hash or link text, mtime of files and dirs. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    out.put(root.relativize(dir).toString(), "dir " + perms(dir) + " " + attrs.lastModifiedTime().toMillis());
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = root.relativize(file).toString();
                if (attrs.isSymbolicLink()) {
                    out.put(rel, "symlink -> " + Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    out.put(rel, "file " + perms(file) + " " + attrs.size() + " " + Fixtures.sha256(file) + " "
                            + attrs.lastModifiedTime().toMillis());
                } else {
                    out.put(rel, "other");
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    private static String perms(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private static List<String> leftovers(Path dst) throws IOException {
        try (var s = Files.walk(dst)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".envlink-")).toList();
        }
    }
}
