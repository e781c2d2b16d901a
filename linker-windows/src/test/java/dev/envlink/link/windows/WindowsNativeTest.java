package dev.envlink.link.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real thing on Windows (the CI matrix's windows runner: NTFS, plus a ReFS volume when the
 * workflow could make one and names it in ENVLINK_REFS_DIR).
 */
@EnabledOnOs(OS.WINDOWS)
class WindowsNativeTest {

    @TempDir
    Path dir;
    WindowsLinkProvider provider;

    @BeforeEach
    void setUp() {
        provider = new WindowsLinkProvider();
        assertTrue(provider.availability().available(), () -> provider.availability().cause());
    }

    private static byte[] write(Path p, int size) throws IOException {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        Files.createDirectories(p.getParent());
        Files.write(p, data);
        return data;
    }

    @Test
    void describeAgreesWithTheJdk() throws IOException {
        FsInfo info = provider.describe(dir).orElseThrow();

        assertEquals(Files.getFileStore(dir).type(), info.type(), info.detail());
        assertTrue(info.device().startsWith("\\\\?\\Volume{"), info.device());
        assertTrue(info.detail().contains("Dev Drive "), info.detail());
    }

    @Test
    void ntfsDeclinesReflinksAndLeavesNothing() throws IOException {
        Path source = dir.resolve("a.bin");
        write(source, 10_000);
        Path target = dir.resolve("b.bin");
        FsInfo info = provider.describe(dir).orElseThrow();
        org.junit.jupiter.api.Assumptions.assumeTrue(info.type().equals("NTFS"), "the temp dir is not on NTFS");

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, e.reason(), e.detail());
        assertFalse(Files.exists(target));
    }

    @Test
    void hardlinksAndExistingTargets() throws IOException {
        Path source = dir.resolve("a.bin");
        write(source, 100);
        Path target = dir.resolve("b.bin");

        provider.link(LinkMethod.HARDLINK, source, target);

        assertTrue(Files.isSameFile(source, target));
        assertThrows(FileAlreadyExistsException.class, () -> provider.link(LinkMethod.HARDLINK, source, target));
    }

    @Test
    void longPathsWork() throws IOException {
        Path deep = dir;
        while (deep.toString().length() < 300) {
            deep = deep.resolve("directory-name-for-a-long-path");
        }
        Path source = deep.resolve("source.bin");
        byte[] data = write(source, 1000);

        provider.link(LinkMethod.HARDLINK, source, deep.resolve("linked.bin"));

        assertArrayEquals(data, Files.readAllBytes(deep.resolve("linked.bin")));
        assertTrue(provider.describe(deep).isPresent());
    }

    @Test
    void symlinksWorkOrDeclineCleanly() throws IOException {
        Path source = dir.resolve("a.txt");
        write(source, 10);
        Path target = dir.resolve("link.txt");
        try {
            provider.link(LinkMethod.SYMLINK, source, target);
            assertEquals(source.toAbsolutePath(), Files.readSymbolicLink(target));
        } catch (LinkDeclinedException e) {
            assertEquals(DeclineReason.PERMISSION, e.reason(), e.detail());
            assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
        }
    }

    @Test
    void theEngineHardlinksATreeOnNtfs() throws IOException {
        Path tree = dir.resolve("pkg");
        for (int i = 0; i < 30; i++) {
            write(tree.resolve("lib/d" + (i % 3) + "/f" + i + ".py"), 100 + i);
        }
        Linker linker = new Linker(LinkProviders.of(provider, new PortableLinkProvider()),
                new LinkOptions(LinkMode.AUTO, false, ExistingPolicy.FAIL, 4));

        LinkReport report = linker.linkTree(tree, dir.resolve("env/pkg"));

        assertEquals(30L, report.totalFiles());
        assertEquals(0L, report.files().get(LinkMethod.COPY));
    }

    // ---- ReFS / Dev Drive, when the CI workflow made one ----

    private Path refs() {
        return Path.of(System.getenv("ENVLINK_REFS_DIR"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 65537, 3_000_001})
    @EnabledIfEnvironmentVariable(named = "ENVLINK_REFS_DIR", matches = ".+")
    void refsClonesFilesOfAnySize(int size) throws IOException {
        Path d = Files.createTempDirectory(refs(), "envlink-");
        Path source = d.resolve("src.bin");
        byte[] data = write(source, size);
        Path target = d.resolve("clone.bin");

        provider.link(LinkMethod.REFLINK, source, target);

        assertArrayEquals(data, Files.readAllBytes(target));
        if (size > 0) {
            try (RandomAccessFile f = new RandomAccessFile(target.toFile(), "rw")) {
                f.write(new byte[] {42});
            }
            assertArrayEquals(data, Files.readAllBytes(source), "writes to the clone stay in the clone");
        }
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "ENVLINK_REFS_DIR", matches = ".+")
    void refsDescribeAndSparseFiles() throws Exception {
        FsInfo info = provider.describe(refs()).orElseThrow();
        assertEquals("ReFS", info.type(), info.detail());
        assertTrue(info.detail().contains("block cloning yes"), info.detail());

        Path d = Files.createTempDirectory(refs(), "envlink-");
        Path sparse = d.resolve("sparse.bin");
        Files.write(sparse, new byte[0]);
        Process p = new ProcessBuilder("fsutil", "sparse", "setflag", sparse.toString()).inheritIO().start();
        assertEquals(0, p.waitFor());
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.seek(50L << 20);
            f.write("tail".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        provider.link(LinkMethod.REFLINK, sparse, d.resolve("sparse-clone.bin"));
        assertEquals(-1L, Files.mismatch(sparse, d.resolve("sparse-clone.bin")));
    }

    @Test
    @EnabledIfEnvironmentVariable(named = "ENVLINK_REFS_DIR", matches = ".+")
    void fromNtfsToRefsIsCrossDevice() throws IOException {
        Path source = dir.resolve("a.bin");
        write(source, 100);
        Path target = Files.createTempDirectory(refs(), "envlink-").resolve("a.bin");

        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> provider.link(LinkMethod.REFLINK, source, target));

        assertEquals(DeclineReason.CROSS_DEVICE, e.reason(), e.detail());
        assertFalse(Files.exists(target));
    }
}
