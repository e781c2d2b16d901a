package dev.envlink.link;

import static dev.envlink.link.ScriptedProvider.SUCCEED;
import static dev.envlink.link.ScriptedProvider.decline;
import static dev.envlink.link.TestFiles.envlinkTemps;
import static dev.envlink.link.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** FAIL never destroys an existing destination; REPLACE swaps it atomically and leaves no temp files. */
class ExistingDestinationTest {

    @TempDir
    Path dir;
    Path source;
    Path env;
    Path target;

    @BeforeEach
    void setUp() throws IOException {
        source = write(dir.resolve("cache/a.txt"), "new content", "rwxr-x---");
        env = Files.createDirectories(dir.resolve("env"));
        target = write(env.resolve("a.txt"), "old", "rw-r--r--");
    }

    private static Linker portable(LinkMode mode, ExistingPolicy policy) {
        return new Linker(LinkProviders.of(new PortableLinkProvider()),
                LinkOptions.defaults().withMode(mode).withExisting(policy));
    }

    private static Linker scripted(ScriptedProvider p, LinkMode mode, ExistingPolicy policy) {
        return new Linker(LinkProviders.of(p), LinkOptions.defaults().withMode(mode).withExisting(policy));
    }

    // ---- FAIL ----

    @ParameterizedTest
    @EnumSource(value = LinkMode.class, names = {"AUTO", "HARDLINK", "COPY", "SYMLINK"})
    void failPolicyRefusesAndKeepsTheOldFile(LinkMode mode) throws IOException {
        Object oldKey = TestFiles.fileKey(target);

        assertThrows(FileAlreadyExistsException.class, () -> portable(mode, ExistingPolicy.FAIL).linkFile(source, target));

        assertEquals("old", Files.readString(target));
        assertEquals(oldKey, TestFiles.fileKey(target));
        assertEquals("rw-r--r--", TestFiles.perms(target));
        assertFalse(Files.isSameFile(source, target));
        assertEquals(List.of(), envlinkTemps(env));
    }

    @Test
    void failPolicyWithAReflinkProviderRefusesToo() throws IOException {
        ScriptedProvider p = new ScriptedProvider();

        assertThrows(FileAlreadyExistsException.class,
                () -> scripted(p, LinkMode.REFLINK, ExistingPolicy.FAIL).linkFile(source, target));

        assertEquals("old", Files.readString(target));
        assertEquals(0, p.fileCalls(LinkMethod.COPY), "an existing file is not a reason to fall back");
    }

    @Test
    void failPolicyRefusesToReplaceWithASymlink() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("cache/link"), Path.of("a.txt"));

        assertThrows(FileAlreadyExistsException.class,
                () -> portable(LinkMode.AUTO, ExistingPolicy.FAIL).linkFile(link, target));

        assertEquals("old", Files.readString(target));
        assertFalse(Files.isSymbolicLink(target));
    }

    @Test
    void failPolicyInATreeRefusesExistingFiles() throws IOException {
        Path tree = dir.resolve("cache");
        write(env.resolve("other.txt"), "unrelated");

        assertThrows(FileAlreadyExistsException.class,
                () -> portable(LinkMode.COPY, ExistingPolicy.FAIL).linkTree(tree, env));

        assertEquals("old", Files.readString(target));
        assertEquals("unrelated", Files.readString(env.resolve("other.txt")));
    }

    // ---- REPLACE ----

    @ParameterizedTest
    @EnumSource(value = LinkMode.class, names = {"AUTO", "HARDLINK", "COPY", "SYMLINK"})
    void replacePolicyPutsTheNewFileInPlace(LinkMode mode) throws IOException {
        FileOutcome outcome = portable(mode, ExistingPolicy.REPLACE).linkFile(source, target);

        assertEquals("new content", Files.readString(target));
        assertEquals("rwxr-x---", TestFiles.perms(target.toRealPath()));
        if (outcome.method() == LinkMethod.HARDLINK) {
            assertTrue(Files.isSameFile(source, target));
        }
        if (outcome.method() == LinkMethod.SYMLINK) {
            assertTrue(Files.isSymbolicLink(target));
        }
        assertEquals(List.of(), envlinkTemps(env));
        try (var names = Files.list(env)) {
            assertEquals(List.of(target), names.toList());
        }
    }

    @Test
    void replaceWithAReflinkGivesSourceModeAndNoTemps() throws IOException {
        ScriptedProvider p = new ScriptedProvider();

        FileOutcome outcome = scripted(p, LinkMode.REFLINK, ExistingPolicy.REPLACE).linkFile(source, target);

        assertEquals(LinkMethod.REFLINK, outcome.method());
        assertEquals("new content", Files.readString(target));
        assertEquals("rwxr-x---", TestFiles.perms(target));
        assertEquals(TestFiles.mtime(source), TestFiles.mtime(target));
        assertEquals(List.of(), envlinkTemps(env));
    }

    @Test
    void replaceOverAnExistingHardlinkOfTheSameFileLeavesNoTemp() throws IOException {
        Files.delete(target);
        Files.createLink(target, source);

        portable(LinkMode.HARDLINK, ExistingPolicy.REPLACE).linkFile(source, target);

        // rename(2) of two names of one inode does nothing: the temp name must still be removed.
        assertTrue(Files.isSameFile(source, target));
        assertEquals(List.of(), envlinkTemps(env));
    }

    @Test
    void replaceAfterAPerFileDeclineLeavesNoTemp() throws IOException {
        ScriptedProvider p = new ScriptedProvider().on(LinkMethod.HARDLINK, decline(DeclineReason.TOO_MANY_LINKS));

        FileOutcome outcome = scripted(p, LinkMode.HARDLINK, ExistingPolicy.REPLACE).linkFile(source, target);

        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals("new content", Files.readString(target));
        assertEquals(List.of(), envlinkTemps(env));
    }

    @Test
    void replaceKeepsTheOldFileWhenTheProviderFailsHalfway() throws IOException {
        ScriptedProvider p = new ScriptedProvider()
                .onCall(LinkMethod.COPY, call -> call.probe() ? SUCCEED : new ScriptedProvider.Partial("ENOSPC"));

        IOException e = assertThrows(IOException.class,
                () -> scripted(p, LinkMode.COPY, ExistingPolicy.REPLACE).linkFile(source, target));

        assertEquals("ENOSPC", e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of(), envlinkTemps(env), "the partial temp file must be removed");
    }

    @Test
    void replaceASymlinkWithASymlink() throws IOException {
        Files.delete(target);
        Files.createSymbolicLink(target, Path.of("somewhere/else"));
        Path link = Files.createSymbolicLink(dir.resolve("cache/link"), Path.of("a.txt"));

        portable(LinkMode.AUTO, ExistingPolicy.REPLACE).linkFile(link, target);

        assertEquals(Path.of("a.txt"), Files.readSymbolicLink(target));
        assertEquals(List.of(), envlinkTemps(env));
    }

    @Test
    void replaceATreeOverAnEarlierLink() throws IOException {
        Path tree = dir.resolve("tree");
        for (int i = 0; i < 50; i++) {
            write(tree.resolve("d" + i % 3 + "/f" + i), "v1 " + i);
        }
        Files.createSymbolicLink(tree.resolve("d0/link"), Path.of("f0"));
        Path out = dir.resolve("out");
        portable(LinkMode.COPY, ExistingPolicy.FAIL).linkTree(tree, out);
        for (int i = 0; i < 50; i++) {
            write(tree.resolve("d" + i % 3 + "/f" + i), "v2 " + i);
        }
        Files.delete(tree.resolve("d0/link"));
        Files.createSymbolicLink(tree.resolve("d0/link"), Path.of("f3"));

        assertThrows(FileAlreadyExistsException.class, () -> portable(LinkMode.COPY, ExistingPolicy.FAIL).linkTree(tree, out));
        LinkReport report = portable(LinkMode.COPY, ExistingPolicy.REPLACE).linkTree(tree, out);

        assertEquals(50L, report.files().get(LinkMethod.COPY));
        assertEquals(1, report.symlinks());
        for (int i = 0; i < 50; i++) {
            assertEquals("v2 " + i, Files.readString(out.resolve("d" + i % 3 + "/f" + i)));
        }
        assertEquals(Path.of("f3"), Files.readSymbolicLink(out.resolve("d0/link")));
        assertEquals(List.of(), envlinkTemps(out));
    }

    @Test
    void aTreeDirectoryCannotReplaceAFile() throws IOException {
        Path tree = dir.resolve("tree");
        write(tree.resolve("sub/f"), "x");
        Path out = dir.resolve("out");
        write(out.resolve("sub"), "I am a file");

        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
                () -> portable(LinkMode.COPY, ExistingPolicy.REPLACE).linkTree(tree, out));

        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        assertEquals("I am a file", Files.readString(out.resolve("sub")));
        assertTrue(Files.isRegularFile(out.resolve("sub"), LinkOption.NOFOLLOW_LINKS));
    }
}
