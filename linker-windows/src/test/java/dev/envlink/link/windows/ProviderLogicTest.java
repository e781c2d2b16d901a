package dev.envlink.link.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.Availability;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.ExistingPolicy;
import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkMode;
import dev.envlink.link.LinkOptions;
import dev.envlink.link.LinkProviders;
import dev.envlink.link.LinkReport;
import dev.envlink.link.Linker;
import dev.envlink.link.PortableLinkProvider;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The provider's decisions with a simulated kernel32 that enforces the Block Cloning rules, on
 * any OS: ranges, tails, chunks, sparse files, integrity streams, volumes, declines and cleanup.
 */
class ProviderLogicTest {
    static final long GIB = 1L << 30;

    @TempDir
    Path dir;
    Path source;
    Path target;
    FakeKernel32 k;
    WindowsLinkProvider provider;

    @BeforeEach
    void setUp() throws IOException {
        Files.createDirectories(dir.resolve("pkgs"));
        Files.createDirectories(dir.resolve("env"));
        source = dir.resolve("pkgs/python311.dll");
        target = dir.resolve("env/python311.dll");
        k = new FakeKernel32();
        provider = new WindowsLinkProvider(k, Availability.ok());
    }

    @AfterEach
    void noHandleLeaks() {
        assertEquals(java.util.Set.of(), k.open, "every handle is closed, also after failures");
    }

    private byte[] write(Path p, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Files.write(p, data);
        return data;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 65537, 1_000_003})
    void clonesAnySizeWithAlignedRangesAndAnExactEnd(int size) throws IOException {
        byte[] data = write(source, size);

        provider.link(LinkMethod.REFLINK, source, target);

        assertArrayEquals(data, Files.readAllBytes(target), "the tail arrived and the end of file is exact");
        long cloned = k.dups.stream().mapToLong(FakeKernel32.Dup::length).sum();
        assertEquals(ClonePlan.roundUp(size, 4096), cloned);
        assertEquals(size == 0 ? 0 : 1, k.dups.size());
    }

    @Test
    void sixtyFourKibClusters() throws IOException {
        k.cluster = 65536;
        byte[] data = write(source, 200_000);

        provider.link(LinkMethod.REFLINK, source, target);

        assertEquals(List.of(new FakeKernel32.Dup(0, 0, 4 * 65536)), k.dups);
        assertArrayEquals(data, Files.readAllBytes(target));
    }

    @Test
    void theClusterSizeComesFromGetDiskFreeSpaceWhenTheIntegrityQueryFails() throws IOException {
        k.integrityQueryWorks = false;
        k.cluster = 65536;
        write(source, 70_000);

        provider.link(LinkMethod.REFLINK, source, target);

        assertTrue(k.calls.contains("GetDiskFreeSpaceW"));
        assertEquals(List.of(new FakeKernel32.Dup(0, 0, 2 * 65536)), k.dups);
    }

    @Test
    void filesOverFourGibAreClonedInChunks() throws IOException {
        write(source, 10);
        k.virtualSizes.put(source, 9 * GIB + 1);

        provider.link(LinkMethod.REFLINK, source, target);

        assertEquals(List.of(new FakeKernel32.Dup(0, 0, 4 * GIB - 4096),
                new FakeKernel32.Dup(4 * GIB - 4096, 4 * GIB - 4096, 4 * GIB - 4096),
                new FakeKernel32.Dup(8 * GIB - 8192, 8 * GIB - 8192, GIB + 12288)), k.dups,
                "9 GiB + 1 byte: two full chunks, then the rest up to the rounded-up tail");
    }

    @Test
    void sparseSourcesGiveSparseTargetsAndOnlyTheirDataIsCloned() throws IOException {
        int size = 1 << 20;
        byte[] data = new byte[size];
        new Random(1).nextBytes(data);
        java.util.Arrays.fill(data, 8192, 900_000, (byte) 0);
        Files.write(source, data);
        k.attributes.put(source, Kernel32.FILE_ATTRIBUTE_SPARSE_FILE);
        k.allocated.put(source, List.of(new ClonePlan.Range(0, 8192), new ClonePlan.Range(900_000, size - 900_000)));

        provider.link(LinkMethod.REFLINK, source, target);

        assertTrue(k.calls.contains("FSCTL_SET_SPARSE"));
        assertEquals(List.of(new FakeKernel32.Dup(0, 0, 8192),
                new FakeKernel32.Dup(897_024, 897_024, size - 897_024)), k.dups);
        assertArrayEquals(data, Files.readAllBytes(target));
    }

    @Test
    void manyAllocatedRangesAreReadInBatches() throws IOException {
        int size = 600 * 8192;
        write(source, size);
        k.attributes.put(source, Kernel32.FILE_ATTRIBUTE_SPARSE_FILE);
        List<ClonePlan.Range> ranges = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ranges.add(new ClonePlan.Range(i * 8192L, 4096));
        }
        k.allocated.put(source, ranges);

        provider.link(LinkMethod.REFLINK, source, target);

        assertEquals(3, k.calls.stream().filter(c -> c.equals("FSCTL_QUERY_ALLOCATED_RANGES")).count(), "256 per call");
        assertEquals(600, k.dups.size());
    }

    @Test
    void theTargetGetsTheSourcesIntegritySetting() throws IOException {
        write(source, 5000);
        k.checksums.put(source, (short) 2); // CHECKSUM_TYPE_CRC64

        provider.link(LinkMethod.REFLINK, source, target);

        assertTrue(k.calls.contains("FSCTL_SET_INTEGRITY_INFORMATION"));
        assertEquals(1, k.dups.size());
    }

    @Test
    void ntfsDeclinesForTheVolumeBeforeCreatingAnything() throws IOException {
        write(source, 100);
        k.fsFlags = Kernel32.FILE_SUPPORTS_HARD_LINKS;
        k.fsName = "NTFS";

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, e.reason());
        assertTrue(e.detail().startsWith("NTFS volume without block cloning"), e.detail());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), k.dups);
    }

    @Test
    void differentVolumesDeclineAsCrossDeviceBeforeOpeningAnything() throws IOException {
        write(source, 100);
        k.roots.put(dir.resolve("env").toString(), "D:\\");

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals(DeclineReason.CROSS_DEVICE, e.reason());
        assertTrue(e.detail().contains("Volume{c}") && e.detail().contains("Volume{d}"), e.detail());
        assertFalse(k.calls.contains("CreateFileW"));
    }

    @Test
    void volumeLookupsAreCachedPerDirectory() throws IOException {
        for (int i = 0; i < 5; i++) {
            Path s = dir.resolve("pkgs/f" + i);
            write(s, 10);
            provider.link(LinkMethod.REFLINK, s, dir.resolve("env/f" + i));
        }
        assertEquals(2, k.calls.stream().filter(c -> c.equals("GetVolumePathNameW")).count(), "one per directory");
    }

    @Test
    void aFailedCloneRemovesTheTargetAndDeclinesPerFile() throws IOException {
        write(source, 9 * 4096);
        k.virtualSizes.put(source, 9 * GIB);
        k.failDuplicateAt = 2;
        k.failDuplicateWith = Win32Error.ERROR_BLOCK_TOO_MANY_REFERENCES;

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals(DeclineReason.OTHER, e.reason());
        assertTrue(e.detail().contains("ERROR_BLOCK_TOO_MANY_REFERENCES"), e.detail());
        assertFalse(Files.exists(target), "the half-cloned file was removed");
    }

    @Test
    void aFullDiskIsARealErrorAndLeavesNothing() throws IOException {
        write(source, 100);
        k.failDuplicateAt = 1;
        k.failDuplicateWith = Win32Error.ERROR_DISK_FULL;

        IOException e = assertThrows(IOException.class, () -> provider.link(LinkMethod.REFLINK, source, target));

        assertSame(FileSystemException.class, e.getClass());
        assertTrue(e.getMessage().contains("ERROR_DISK_FULL"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void anExistingTargetIsNeverTouched() throws IOException {
        write(source, 100);
        Files.writeString(target, "mine");

        assertThrows(FileAlreadyExistsException.class, () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals("mine", Files.readString(target));
    }

    @Test
    void setupFailuresRemoveTheTargetToo() throws IOException {
        write(source, 100);
        k.failures.put("SetFileInformationByHandle", Win32Error.ERROR_DISK_QUOTA_EXCEEDED);

        IOException e = assertThrows(IOException.class, () -> provider.link(LinkMethod.REFLINK, source, target));

        assertTrue(e.getMessage().contains("ERROR_DISK_QUOTA_EXCEEDED"), e.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void symlinksAndDirectoriesAreNotRegularFiles() throws IOException {
        write(source, 10);
        Path link = Files.createSymbolicLink(dir.resolve("pkgs/link"), source);

        for (Path p : List.of(link, dir.resolve("pkgs"))) {
            LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                    () -> provider.link(LinkMethod.REFLINK, p, target));
            assertEquals(DeclineReason.NOT_A_REGULAR_FILE, e.reason());
        }
    }

    @Test
    void hardlinks() throws IOException {
        write(source, 10);
        provider.link(LinkMethod.HARDLINK, source, target);
        assertTrue(Files.isSameFile(source, target));

        k.failures.put("CreateHardLinkW", Win32Error.ERROR_NOT_SAME_DEVICE);
        LinkDeclinedException x = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.HARDLINK, source, dir.resolve("env/other")));
        assertEquals(DeclineReason.CROSS_DEVICE, x.reason());
        assertTrue(x.detail().startsWith("CreateHardLinkW: "), x.detail());

        k.failures.put("CreateHardLinkW", Win32Error.ERROR_TOO_MANY_LINKS);
        assertEquals(DeclineReason.TOO_MANY_LINKS, assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.HARDLINK, source, dir.resolve("env/other"))).reason());

        k.failures.put("CreateHardLinkW", Win32Error.ERROR_DISK_FULL);
        IOException full = assertThrows(IOException.class,
                () -> provider.link(LinkMethod.HARDLINK, source, dir.resolve("env/other")));
        assertFalse(full instanceof LinkDeclinedException);
    }

    @Test
    void symlinksUseTheUnprivilegedFlag() throws IOException {
        write(source, 10);

        provider.link(LinkMethod.SYMLINK, source, target);

        assertTrue(k.calls.contains("CreateSymbolicLinkW 2"));
        assertEquals(source.toAbsolutePath(), Files.readSymbolicLink(target));
    }

    @Test
    void withoutDeveloperModeSymlinksDeclineCleanly() throws IOException {
        write(source, 10);
        k.symlinkResult = flags -> Win32Error.ERROR_PRIVILEGE_NOT_HELD;

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.SYMLINK, source, target));

        assertEquals(DeclineReason.PERMISSION, e.reason());
        assertTrue(e.detail().contains("Developer Mode"), e.detail());
        assertFalse(Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void oldWindowsRejectsTheFlagAndIsAskedAgainWithout() throws IOException {
        write(source, 10);
        k.symlinkResult = flags -> (flags & 2) != 0 ? Win32Error.ERROR_INVALID_PARAMETER : 0;

        provider.link(LinkMethod.SYMLINK, source, target);

        assertTrue(k.calls.contains("CreateSymbolicLinkW 2") && k.calls.contains("CreateSymbolicLinkW 0"), k.calls.toString());
        assertTrue(Files.isSymbolicLink(target));
    }

    @Test
    void copiesAreLeftToThePortableProvider() {
        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.COPY, source, target));
        assertEquals(DeclineReason.UNSUPPORTED_BY_PROVIDER, e.reason());
    }

    @Test
    void describeShowsBlockCloningAndDevDrive() throws IOException {
        FsInfo info = provider.describe(dir).orElseThrow();

        assertEquals("ReFS", info.type());
        assertEquals("\\\\?\\Volume{c}\\", info.device());
        assertEquals("windows", info.provider());
        assertTrue(info.detail().contains("block cloning yes (FILE_SUPPORTS_BLOCK_REFCOUNTING)"), info.detail());
        assertTrue(info.detail().contains("Dev Drive yes (trusted)"), info.detail());
        assertTrue(info.detail().contains("cluster 4096 bytes"), info.detail());
        assertTrue(info.detail().contains("serial 1A2B-3C4D"), info.detail());

        k.devDriveFlags = 0;
        assertTrue(provider.describe(dir).orElseThrow().detail().contains("Dev Drive no"));
    }

    @Test
    void theEngineClonesOnReFsAndHardlinksOnNtfs() throws IOException {
        Path tree = dir.resolve("pkgs/numpy");
        for (int i = 0; i < 20; i++) {
            write(Files.createDirectories(tree.resolve("d" + (i % 3))).resolve("f" + i), 1000 + i);
        }
        Linker linker = new Linker(LinkProviders.of(provider, new PortableLinkProvider()),
                new LinkOptions(LinkMode.AUTO, false, ExistingPolicy.FAIL, 4));

        LinkReport onRefs = linker.linkTree(tree, dir.resolve("env/a"));
        assertEquals(20L, onRefs.files().get(LinkMethod.REFLINK));

        k.fsFlags = Kernel32.FILE_SUPPORTS_HARD_LINKS;
        k.fsName = "NTFS";
        Linker fresh = new Linker(LinkProviders.of(provider, new PortableLinkProvider()), LinkOptions.defaults());
        LinkReport onNtfs = fresh.linkTree(tree, dir.resolve("env/b"));
        assertEquals(20L, onNtfs.files().get(LinkMethod.HARDLINK));
        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, onNtfs.fallbacks().get(0).reason());
        assertFalse(Files.exists(dir.resolve("env/b/.envlink-probe")), "no probe leftovers");
    }
}
