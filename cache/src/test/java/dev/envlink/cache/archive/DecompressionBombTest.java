package dev.envlink.cache.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import dev.envlink.testing.conda.CondaPackageBuilder;
import dev.envlink.testing.conda.RawEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Decompression bombs stop at the limits, quickly, having written no more than the limit. */
class DecompressionBombTest {
    private static final long LIMIT = 64L << 20;

    @TempDir
    Path tmp;

    private final PackageExtractor extractor = new PackageExtractor(new ExtractLimits(LIMIT, 10_000));

    private static long bytesUnder(Path dir) throws IOException {
        long n = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                n += Files.size(p);
            }
        }
        return n;
    }

    @Test
    void oneGibibyteOfZerosInASmallConda() throws IOException {
        Path archive = CondaPackageBuilder.create("bomb", "1.0", "0")
                .raw(RawEntry.zeros("bomb.bin", 1L << 30)).zstdLevel(19).writeConda(tmp);
        assertTrue(Files.size(archive) < 1 << 20, "a small archive: " + Files.size(archive));
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        long t0 = System.nanoTime();
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> extractor.extract(archive, dest));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals("bomb.bin", e.entry(), e.getMessage());
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        assertTrue(seconds < 10, "refused in " + seconds + " s");
        assertTrue(bytesUnder(dest) <= LIMIT);
    }

    @ParameterizedTest
    @EnumSource(PackageFormat.class)
    void manyEntriesEachUnderTheLimitAddUpOverIt(PackageFormat format) throws IOException {
        CondaPackageBuilder b = CondaPackageBuilder.create("sum", "1.0", "0");
        for (int i = 0; i < 40; i++) {
            b.raw(RawEntry.zeros("part" + i, 4L << 20));
        }
        Path archive = Packages.write(b, format, tmp);
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> extractor.extract(archive, dest));
        assertTrue(e.getMessage().contains("limit"), e.getMessage());
        assertTrue(e.entry().startsWith("part"), e.getMessage());
        assertTrue(bytesUnder(dest) <= LIMIT, "wrote " + bytesUnder(dest));
        assertTrue(bytesUnder(dest) >= LIMIT - (8L << 20), "counted while writing: " + bytesUnder(dest));
    }

    @ParameterizedTest
    @EnumSource(PackageFormat.class)
    void declaredSizesAreCheckedBeforeAnythingIsWritten(PackageFormat format) throws IOException {
        CondaPackageBuilder b = CondaPackageBuilder.create("declared", "1.0", "0")
                .raw(RawEntry.lyingSize("huge", 5L << 30, new byte[0]))
                .raw(RawEntry.sparse("sparse", 1L << 30, new TreeMap<>(Map.of(0L, new byte[] {1}))));
        Path archive = Packages.write(b, format, tmp);
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> extractor.extract(archive, dest));
        assertEquals("huge", e.entry());
        assertTrue(e.getMessage().contains("declared size 5368709120"), e.getMessage());
        assertTrue(Files.notExists(dest.resolve("huge")));

        Path sparseOnly = Packages.write(CondaPackageBuilder.create("sparse", "1.0", "0")
                .raw(RawEntry.sparse("big.img", 3L << 29, new TreeMap<>(Map.of(0L, new byte[] {1})))), format, tmp);
        Path dest2 = Files.createDirectories(tmp.resolve("dest2"));
        e = assertThrows(PackageFormatException.class, () -> extractor.extract(sparseOnly, dest2));
        assertEquals("big.img", e.entry(), e.getMessage());
        assertTrue(e.getMessage().contains("declared size 1610612736"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(PackageFormat.class)
    void tooManyEntries(PackageFormat format) throws IOException {
        CondaPackageBuilder b = CondaPackageBuilder.create("entries", "1.0", "0");
        for (int i = 0; i < 200; i++) {
            b.raw(RawEntry.file("f/" + i, new byte[0]));
        }
        Path archive = Packages.write(b, format, tmp);
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        PackageExtractor small = new PackageExtractor(new ExtractLimits(LIMIT, 100));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> small.extract(archive, dest));
        assertTrue(e.getMessage().contains("more than 100 entries"), e.getMessage());
        try (Stream<Path> s = Files.walk(dest)) {
            assertTrue(s.count() <= 104); // 100 entries, f/, info/ and dest itself
        }
    }

    @Test
    void bzip2BombIsRefusedToo() throws IOException {
        Path archive = CondaPackageBuilder.create("bzbomb", "1.0", "0")
                .raw(RawEntry.zeros("bomb.bin", 256L << 20)).writeTarBz2(tmp);
        assertTrue(Files.size(archive) < 1 << 20, "a small archive: " + Files.size(archive));
        Path dest = Files.createDirectories(tmp.resolve("dest"));
        PackageExtractor small = new PackageExtractor(new ExtractLimits(16L << 20, 100));
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> small.extract(archive, dest));
        assertEquals("bomb.bin", e.entry());
        assertTrue(bytesUnder(dest) <= 16L << 20);
    }
}
