package dev.envlink.link;

import static dev.envlink.link.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tree linking with the real portable provider on the local filesystem: every mode reproduces the tree. */
class TreeLinkerTest {
    private static final Instant BASE = Instant.parse("2010-06-07T08:09:10.123456789Z");
    private static final int PACKAGES = 30;
    private static final int MODULES = 100;

    @TempDir
    static Path fixture;
    static Path src;
    static Path outside;
    static Map<String, String> sourceSnapshot;
    static Map<String, FileTime> sourceMtimes;
    static long regularFiles;
    static long totalBytes;
    static long directories;
    static long symlinks;

    @TempDir
    Path work;

    @BeforeAll
    static void buildSourceTree() throws IOException {
        src = fixture.resolve("src");
        outside = write(fixture.resolve("outside/target.txt"), "outside the tree");

        List<Path> files = new ArrayList<>();
        files.add(write(src.resolve("bin/tool"), "#!/bin/sh\n", "rwxr-xr-x"));
        files.add(write(src.resolve("bin/script"), "#!/bin/sh\nexit 0\n", "rwxrwx---")); // umask 022 would drop g+w
        for (int p = 0; p < PACKAGES; p++) {
            for (int m = 0; m < MODULES; m++) {
                String perms = m % 10 == 0 ? "rw-rw-rw-" : m % 10 == 1 ? "r--------" : "rw-r--r--";
                files.add(write(src.resolve("lib/python3/site/pkg" + p + "/mod" + m + ".py"),
                        "# pkg " + p + " module " + m + "\n", perms));
            }
        }
        files.add(write(src.resolve("readonly/data.txt"), "frozen", "r--r--r--"));
        Files.createDirectories(src.resolve("share/empty"));
        Files.createDirectories(src.resolve("links"));
        Files.createSymbolicLink(src.resolve("links/rel"), Path.of("../bin/tool"));
        Files.createSymbolicLink(src.resolve("links/abs"), outside);
        Files.createSymbolicLink(src.resolve("links/dangling"), Path.of("nowhere/at/all"));
        Files.createSymbolicLink(src.resolve("links/dirlink"), Path.of("../share"));
        symlinks = 4;

        for (int i = 0; i < files.size(); i++) {
            Files.setLastModifiedTime(files.get(i), FileTime.from(BASE.plusMillis(i).plusNanos(i)));
            totalBytes += Files.size(files.get(i));
        }
        regularFiles = files.size();

        // Directory modes and mtimes last, deepest first, so nothing bumps them afterwards.
        List<Path> dirs;
        try (var s = Files.walk(src)) {
            dirs = new ArrayList<>(s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList());
        }
        directories = dirs.size();
        TestFiles.chmod(src.resolve("share/empty"), "rwxrwx---");
        TestFiles.chmod(src.resolve("readonly"), "r-xr-xr-x");
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime(dirs.get(i), FileTime.from(BASE.minusSeconds(3600L * (i + 1))));
        }
        sourceSnapshot = TestFiles.snapshot(src);
        sourceMtimes = TestFiles.mtimes(src);
    }

    private static Linker portable(LinkMode mode) {
        return new Linker(LinkProviders.of(new PortableLinkProvider()),
                LinkOptions.defaults().withMode(mode).withParallelism(8));
    }

    @Test
    void fixtureIsWhatTheTestsExpect() {
        assertEquals(PACKAGES * MODULES + 3, regularFiles);
        assertEquals(39, directories);
        assertEquals("dir r-xr-xr-x", sourceSnapshot.get("readonly"));
        assertEquals("symlink -> " + outside, sourceSnapshot.get("links/abs"));
    }

    @ParameterizedTest
    @EnumSource(value = LinkMode.class, names = {"AUTO", "HARDLINK", "COPY"})
    void everyModeReproducesTheTree(LinkMode mode) throws IOException {
        Path out = work.resolve("env");

        LinkReport report = portable(mode).linkTree(src, out);

        assertEquals(sourceSnapshot, TestFiles.snapshot(out), "types, modes, contents and link texts");
        assertEquals(sourceMtimes, TestFiles.mtimes(out), "file and directory mtimes");
        assertEquals(List.of(), TestFiles.envlinkTemps(out));

        LinkMethod expected = mode == LinkMode.COPY ? LinkMethod.COPY : LinkMethod.HARDLINK;
        for (LinkMethod m : LinkMethod.values()) {
            assertEquals(m == expected ? regularFiles : 0L, report.files().get(m), m.toString());
        }
        assertEquals(regularFiles, report.totalFiles());
        assertEquals(totalBytes, report.totalBytes());
        assertEquals(symlinks, report.symlinks());
        assertEquals(directories, report.directories());
        assertEquals(List.of(), report.skipped());
        assertEquals(1, report.probes().size());

        if (mode == LinkMode.AUTO) {
            assertEquals(1, report.fallbacks().size());
            Fallback f = report.fallbacks().get(0);
            assertEquals(LinkMethod.REFLINK, f.wanted());
            assertEquals(LinkMethod.HARDLINK, f.used());
            assertEquals(DeclineReason.UNSUPPORTED_BY_PROVIDER, f.reason());
            assertEquals(regularFiles, f.files());
        } else {
            assertEquals(List.of(), report.fallbacks());
        }

        boolean shared = expected == LinkMethod.HARDLINK;
        for (Path rel : TestFiles.regularFiles(src)) {
            assertEquals(shared, Files.isSameFile(src.resolve(rel), out.resolve(rel)), rel.toString());
        }
        assertEquals(sourceSnapshot, TestFiles.snapshot(src), "the source is not modified");
        assertEquals(sourceMtimes, TestFiles.mtimes(src), "the source's mtimes are not modified");
    }

    @Test
    void singleThreadedGivesTheSameTree() throws IOException {
        Linker linker = new Linker(LinkProviders.of(new PortableLinkProvider()),
                LinkOptions.defaults().withMode(LinkMode.COPY).withParallelism(1));

        linker.linkTree(src, work.resolve("env"));

        assertEquals(sourceSnapshot, TestFiles.snapshot(work.resolve("env")));
    }

    @Test
    void linkingIntoAnExistingDirectoryKeepsItsOtherFiles() throws IOException {
        Path out = work.resolve("env");
        write(out.resolve("lib/unrelated.txt"), "mine");

        portable(LinkMode.COPY).linkTree(src, out);

        assertEquals("mine", Files.readString(out.resolve("lib/unrelated.txt")));
        assertEquals(Files.readString(src.resolve("bin/tool")), Files.readString(out.resolve("bin/tool")));
    }

    @Test
    void aTreeIsNotLinkedIntoItself() throws IOException {
        Path tree = work.resolve("tree");
        write(tree.resolve("a/f"), "x");

        IOException e = assertThrows(IOException.class, () -> portable(LinkMode.COPY).linkTree(tree, tree.resolve("a/copy")));
        assertTrue(e.getMessage().contains("into itself"), e.getMessage());
        assertFalse(Files.exists(tree.resolve("a/copy")));

        assertThrows(IOException.class, () -> portable(LinkMode.COPY).linkTree(tree, tree));
        assertThrows(IOException.class,
                () -> portable(LinkMode.COPY).linkTree(tree.resolve("a/.."), tree.resolve("a/../a/copy")));
        assertFalse(Files.exists(tree.resolve("a/copy")));
    }

    @Test
    void aSiblingWithACommonPrefixIsNotInside() throws IOException {
        Path tree = work.resolve("tree");
        write(tree.resolve("f"), "x");

        portable(LinkMode.COPY).linkTree(tree, work.resolve("tree2"));

        assertEquals("x", Files.readString(work.resolve("tree2/f")));
    }

    @Test
    void aFileAsTheRootIsLinkedIntoADirectory() throws IOException {
        Path file = src.resolve("bin/tool");
        Path dest = Files.createDirectories(work.resolve("bin"));

        LinkReport report = portable(LinkMode.COPY).linkTree(file, dest);

        assertEquals(1L, report.files().get(LinkMethod.COPY));
        assertEquals(0, report.directories());
        assertEquals("rwxr-xr-x", TestFiles.perms(dest.resolve("tool")));
    }

    @Test
    void aSymlinkAsTheRootIsRecreated() throws IOException {
        LinkReport report = portable(LinkMode.COPY).linkTree(src.resolve("links/dirlink"), work.resolve("dirlink"));

        assertEquals(1, report.symlinks());
        assertEquals(0, report.totalFiles());
        assertEquals(Path.of("../share"), Files.readSymbolicLink(work.resolve("dirlink")));
    }

    @Test
    void anEmptyTree() throws IOException {
        Path empty = Files.createDirectories(work.resolve("empty"));

        LinkReport report = portable(LinkMode.AUTO).linkTree(empty, work.resolve("out"));

        assertEquals(1, report.directories());
        assertEquals(0, report.totalFiles());
        assertTrue(Files.isDirectory(work.resolve("out")));
    }

    @Test
    void aFifoIsSkippedNotHungOn() throws Exception {
        Path tree = work.resolve("tree");
        write(tree.resolve("a.txt"), "a");
        Path fifo = tree.resolve("pipe");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");
        assertTrue(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS));

        for (LinkMode mode : List.of(LinkMode.COPY, LinkMode.AUTO)) {
            Path out = work.resolve("out-" + mode);
            LinkReport report = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> portable(mode).linkTree(tree, out));

            assertEquals(1, report.skipped().size(), report.skipped().toString());
            assertTrue(report.skipped().get(0).startsWith("pipe"), report.skipped().get(0));
            assertEquals(1, report.totalFiles());
            assertEquals("a", Files.readString(out.resolve("a.txt")));
            assertFalse(Files.exists(out.resolve("pipe"), LinkOption.NOFOLLOW_LINKS));
        }
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(IOException.class,
                () -> portable(LinkMode.COPY).linkFile(fifo, work.resolve("pipe-copy"))));
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    private static boolean mkfifo(Path path) {
        try {
            Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
