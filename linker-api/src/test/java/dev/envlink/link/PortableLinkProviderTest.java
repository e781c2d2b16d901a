package dev.envlink.link;

import static dev.envlink.link.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure-NIO provider, and the engine over it, on the real local filesystem. */
class PortableLinkProviderTest {
    /** An old mtime with sub-millisecond digits. */
    private static final FileTime OLD = FileTime.from(Instant.parse("2001-02-03T04:05:06.123456789Z"));

    @TempDir
    Path dir;
    Path source;
    Path env;
    final PortableLinkProvider provider = new PortableLinkProvider();

    @BeforeEach
    void setUp() throws IOException {
        source = write(dir.resolve("cache/bin/tool"), "#!/bin/sh\necho hi\n");
        env = Files.createDirectories(dir.resolve("env/bin"));
    }

    private Linker linker(LinkMode mode) {
        return new Linker(LinkProviders.of(provider), LinkOptions.defaults().withMode(mode));
    }

    @Test
    void identity() {
        assertEquals("portable", provider.id());
        assertEquals(0, provider.priority());
        assertEquals(EnumSet.of(LinkMethod.HARDLINK, LinkMethod.SYMLINK, LinkMethod.COPY), provider.methods());
        assertTrue(provider.availability().available());
        assertTrue(provider.availability().unavailabilityCause().isEmpty());
    }

    @Test
    void describeReportsTheFileStoreAndDevice() throws IOException {
        FsInfo info = provider.describe(source).orElseThrow();

        assertEquals(Files.getFileStore(source).type(), info.type());
        assertEquals(DeviceIds.of(source), info.device());
        assertEquals("portable", info.provider());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rwxr-x---", "r-x------", "rw-rw-rw-", "rwxrwxrwx", "r--------", "rwx--x--x"})
    void copyKeepsPermissionBitsAndMtime(String perms) throws IOException {
        TestFiles.chmod(source, perms);
        Files.setLastModifiedTime(source, OLD);
        FileTime sourceMtime = TestFiles.mtime(source);
        Path target = env.resolve("tool");

        FileOutcome outcome = linker(LinkMode.COPY).linkFile(source, target);

        assertEquals(LinkMethod.COPY, outcome.method());
        assertEquals(PortableLinkProvider.ID, outcome.provider());
        assertFalse(Files.isSameFile(source, target));
        assertEquals(perms, TestFiles.perms(target));
        assertEquals(sourceMtime, TestFiles.mtime(target));
        assertEquals(OLD.toMillis(), TestFiles.mtime(target).toMillis());
        assertEquals(Files.readString(source), Files.readString(target));
    }

    @Test
    void copyIsIndependentOfTheSource() throws IOException {
        Path target = env.resolve("tool");
        linker(LinkMode.COPY).linkFile(source, target);

        Files.writeString(target, "changed");

        assertEquals("#!/bin/sh\necho hi\n", Files.readString(source));
    }

    @Test
    void hardlinkSharesTheInode() throws IOException {
        TestFiles.chmod(source, "r-xr-x---");
        Files.setLastModifiedTime(source, OLD);
        FileTime before = TestFiles.mtime(source);
        Path target = env.resolve("tool");

        FileOutcome outcome = linker(LinkMode.HARDLINK).linkFile(source, target);

        assertEquals(LinkMethod.HARDLINK, outcome.method());
        assertTrue(Files.isSameFile(source, target));
        assertEquals(TestFiles.fileKey(source), TestFiles.fileKey(target));
        assertEquals(2, Files.getAttribute(source, "unix:nlink"));
        assertEquals(before, TestFiles.mtime(source), "the source's mtime is not touched");
        assertEquals("r-xr-x---", TestFiles.perms(source));
    }

    @Test
    void autoOnAFilesystemWithoutReflinkProviderHardlinks() throws IOException {
        FileOutcome outcome = linker(LinkMode.AUTO).linkFile(source, env.resolve("tool"));

        assertEquals(LinkMethod.HARDLINK, outcome.method());
        assertEquals(1, outcome.declines().size());
        assertEquals(LinkMethod.REFLINK, outcome.declines().get(0).method());
        assertEquals(DeclineReason.UNSUPPORTED_BY_PROVIDER, outcome.declines().get(0).reason());
    }

    @Test
    void symlinkPointsAtTheAbsoluteSource() throws IOException {
        Path target = env.resolve("tool");

        provider.link(LinkMethod.SYMLINK, source, target);

        assertTrue(Files.isSymbolicLink(target));
        assertEquals(source.toAbsolutePath(), Files.readSymbolicLink(target));
    }

    @Test
    void reflinkIsDeclinedAsUnsupportedByThisProvider() {
        Path target = env.resolve("tool");

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals(DeclineReason.UNSUPPORTED_BY_PROVIDER, e.reason());
        assertEquals(LinkMethod.REFLINK, e.method());
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void anExistingTargetIsAnErrorNotADecline() throws IOException {
        Path target = write(env.resolve("tool"), "old");

        for (LinkMethod m : List.of(LinkMethod.HARDLINK, LinkMethod.COPY, LinkMethod.SYMLINK)) {
            IOException e = assertThrows(IOException.class, () -> provider.link(m, source, target), m.toString());
            assertTrue(e instanceof FileAlreadyExistsException, m + ": " + e);
        }
        assertEquals("old", Files.readString(target));
    }

    @Test
    void aMissingSourceIsAnErrorAndLeavesNoTarget() {
        Path missing = dir.resolve("cache/missing");
        Path target = env.resolve("tool");

        for (LinkMethod m : List.of(LinkMethod.HARDLINK, LinkMethod.COPY)) {
            IOException e = assertThrows(IOException.class, () -> provider.link(m, missing, target), m.toString());
            assertFalse(e instanceof LinkDeclinedException, m + ": " + e);
            assertTrue(e instanceof NoSuchFileException, m + ": " + e);
            assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void aMissingSourceNeverDeletesAnExistingTarget() throws IOException {
        Path missing = dir.resolve("cache/missing");
        Path target = write(env.resolve("tool"), "old");

        for (LinkMethod m : List.of(LinkMethod.HARDLINK, LinkMethod.COPY)) {
            assertThrows(IOException.class, () -> provider.link(m, missing, target), m.toString());
            assertEquals("old", Files.readString(target), m.toString());
        }
    }

    @Test
    void engineRefusesMissingSource() {
        assertThrows(NoSuchFileException.class,
                () -> linker(LinkMode.AUTO).linkFile(dir.resolve("cache/missing"), env.resolve("tool")));
    }

    /** /dev/shm is a tmpfs on most Linux hosts, so it is another device than the temp directory. */
    @Test
    void acrossDevicesHardlinkIsDeclinedAndAutoCopies() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm), "no writable /dev/shm");
        assumeTrue(!DeviceIds.of(shm).equals(DeviceIds.of(dir)), "/dev/shm is on the same device as " + dir);
        Path other = Files.createTempDirectory(shm, "envlink-test-");
        try {
            Path target = other.resolve("tool");
            LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                    () -> provider.link(LinkMethod.HARDLINK, source, target));
            assertEquals(DeclineReason.CROSS_DEVICE, e.reason());
            assertFalse(Files.exists(target));

            FileOutcome outcome = linker(LinkMode.AUTO).linkFile(source, target);

            assertEquals(LinkMethod.COPY, outcome.method());
            assertEquals(List.of(LinkMethod.REFLINK, LinkMethod.HARDLINK),
                    outcome.declines().stream().map(Decline::method).toList());
            assertEquals(DeclineReason.CROSS_DEVICE, outcome.declines().get(1).reason());
            assertTrue(outcome.declines().get(1).fromProbe());
            assertNotEquals(TestFiles.fileKey(source), TestFiles.fileKey(target));
            assertEquals(Files.readString(source), Files.readString(target));
        } finally {
            try (var s = Files.walk(other)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
