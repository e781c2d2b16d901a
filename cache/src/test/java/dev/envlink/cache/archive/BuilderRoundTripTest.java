package dev.envlink.cache.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageFormatException;
import dev.envlink.testing.conda.CondaPackageBuilder;
import dev.envlink.testing.conda.RawEntry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Packages written by {@link CondaPackageBuilder} extract to exactly what was put in. */
class BuilderRoundTripTest {
    private static final Instant T1 = Instant.parse("2021-05-06T07:08:09Z");
    private static final Instant T2 = Instant.parse("2001-02-03T04:05:06Z");

    @TempDir
    Path tmp;

    private final PackageExtractor extractor = new PackageExtractor(ExtractLimits.defaults());

    private Path dest(String name) throws IOException {
        return Files.createDirectories(tmp.resolve("dest-" + name));
    }

    @ParameterizedTest
    @EnumSource(PackageFormat.class)
    void filesModesMtimesLinksAndEmptyDirectories(PackageFormat format) throws IOException {
        byte[] tool = "#!/bin/sh\necho tool\n".getBytes(StandardCharsets.UTF_8);
        byte[] lib = new byte[70_000];
        new Random(1).nextBytes(lib);
        CondaPackageBuilder b = CondaPackageBuilder.create("round", "1.0", "h0_0")
                .file("bin/tool", tool, 0755, T1)
                .file("lib/libround.so.1", lib, 0644, T2)
                .symlink("lib/libround.so", "libround.so.1")
                .symlink("share/abs", "/usr/share/dict/words")
                .hardlink("lib/libround-hard.so", "lib/libround.so.1")
                .file("etc/readonly.conf", "x=1\n".getBytes(StandardCharsets.UTF_8), 0444, T1)
                .file("bin/group-writable", "gw".getBytes(StandardCharsets.UTF_8), 0775, T1)
                .file("bin/setuid", "su".getBytes(StandardCharsets.UTF_8), 04755, T1)
                .file("empty.txt", new byte[0], 0600, T2)
                .textFileWithPrefix("etc/round.conf", "prefix=" + CondaPackageBuilder.DEFAULT_PLACEHOLDER + "\n",
                        CondaPackageBuilder.DEFAULT_PLACEHOLDER)
                .emptyDir("var/cache/round", 0750);
        Path archive = Packages.write(b, format, tmp);
        Path dest = dest(format.name());
        ExtractResult r = extractor.extract(archive, dest);

        assertArrayEquals(tool, Files.readAllBytes(dest.resolve("bin/tool")));
        assertArrayEquals(lib, Files.readAllBytes(dest.resolve("lib/libround.so.1")));
        assertEquals(0755, mode(dest.resolve("bin/tool")));
        assertEquals(0644, mode(dest.resolve("lib/libround.so.1")));
        assertEquals(0444, mode(dest.resolve("etc/readonly.conf")));
        assertEquals(0775, mode(dest.resolve("bin/group-writable")), "umask must not take group write");
        assertEquals(0755, mode(dest.resolve("bin/setuid")), "setuid stripped");
        assertEquals(0600, mode(dest.resolve("empty.txt")));
        assertEquals(0, Files.size(dest.resolve("empty.txt")));
        assertEquals(FileTime.from(T1), Files.getLastModifiedTime(dest.resolve("bin/tool")));
        assertEquals(FileTime.from(T2), Files.getLastModifiedTime(dest.resolve("lib/libround.so.1")));
        assertEquals(FileTime.from(T2), Files.getLastModifiedTime(dest.resolve("empty.txt")));
        assertEquals("libround.so.1", Files.readSymbolicLink(dest.resolve("lib/libround.so")).toString());
        assertEquals("/usr/share/dict/words", Files.readSymbolicLink(dest.resolve("share/abs")).toString());
        assertEquals(Files.readAttributes(dest.resolve("lib/libround.so.1"), "unix:ino").get("ino"),
                Files.readAttributes(dest.resolve("lib/libround-hard.so"), "unix:ino").get("ino"));
        assertTrue(Files.isDirectory(dest.resolve("var/cache/round"), LinkOption.NOFOLLOW_LINKS));
        assertEquals(0750, mode(dest.resolve("var/cache/round")));
        assertEquals(FileTime.from(CondaPackageBuilder.DEFAULT_MTIME),
                Files.getLastModifiedTime(dest.resolve("var/cache/round")), "directory mtime set after its contents");
        String paths = Files.readString(dest.resolve("info/paths.json"));
        assertTrue(paths.contains("\"prefix_placeholder\": \"/opt/anaconda1anaconda2anaconda3\""), paths);
        assertTrue(Files.readString(dest.resolve("info/index.json")).contains("\"name\": \"round\""));

        Set<String> expected = new TreeSet<>(List.of("bin", "bin/tool", "bin/group-writable", "bin/setuid", "lib",
                "lib/libround.so.1", "lib/libround.so", "lib/libround-hard.so", "share", "share/abs", "etc",
                "etc/readonly.conf", "etc/round.conf", "empty.txt", "var", "var/cache", "var/cache/round", "info",
                "info/index.json", "info/paths.json"));
        assertEquals(expected, TreeSnapshot.of(dest).nodes().keySet());
        assertEquals(new ExtractResult(9, 8, 2, 1, r.bytes()), r);
        long bytes = 0;
        for (String p : expected) {
            Path f = dest.resolve(p);
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && !p.equals("lib/libround-hard.so")) {
                bytes += Files.size(f);
            }
        }
        assertEquals(bytes, r.bytes());
    }

    @ParameterizedTest
    @EnumSource(PackageFormat.class)
    void unicodeDeepAndLongNames(PackageFormat format) throws IOException {
        Assumptions.assumeTrue("UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding")),
                "file names need a UTF-8 locale, sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding"));
        String unicode = "share/ünïcødé/日本語/файл-😀.txt";
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            deep.append("d").append(i).append('/');
        }
        deep.append("leaf.txt");
        String longName = "lib/python3.12/site-packages/" + "a_really_long_module_name_".repeat(8) + "/__init__.py";
        String longGnu = "share/" + "gnu-long-name-component-".repeat(6) + "/file.txt";
        String longTarget = "../" + "x".repeat(150);
        CondaPackageBuilder b = CondaPackageBuilder.create("names", "1.0", "0")
                .file(unicode, "unicode".getBytes(StandardCharsets.UTF_8), 0644)
                .file(deep.toString(), "deep".getBytes(StandardCharsets.UTF_8), 0644)
                .file(longName, "long".getBytes(StandardCharsets.UTF_8), 0644)
                .symlink("share/long-link", longTarget)
                .raw(RawEntry.file(longGnu, "gnu".getBytes(StandardCharsets.UTF_8)).gnuLongNames())
                .raw(RawEntry.symlink("share/gnu-link", longTarget).gnuLongNames())
                .raw(RawEntry.file("./share/dotslash.txt", "dot".getBytes(StandardCharsets.UTF_8)))
                .raw(RawEntry.file("share//double//slash.txt", "ds".getBytes(StandardCharsets.UTF_8)));
        assertTrue(longName.length() > 200 && longGnu.length() > 100);
        Path dest = dest(format.name());
        extractor.extract(Packages.write(b, format, tmp), dest);
        assertEquals("unicode", Files.readString(dest.resolve(unicode)));
        assertEquals("deep", Files.readString(dest.resolve(deep.toString())));
        assertEquals("long", Files.readString(dest.resolve(longName)));
        assertEquals("gnu", Files.readString(dest.resolve(longGnu)));
        assertEquals(longTarget, Files.readSymbolicLink(dest.resolve("share/long-link")).toString());
        assertEquals(longTarget, Files.readSymbolicLink(dest.resolve("share/gnu-link")).toString());
        assertEquals("dot", Files.readString(dest.resolve("share/dotslash.txt")));
        assertEquals("ds", Files.readString(dest.resolve("share/double/slash.txt")));
    }

    @ParameterizedTest
    @EnumSource(PackageFormat.class)
    void largeAndZeroFilesKeepContentAndBecomeSparse(PackageFormat format) throws IOException {
        byte[] mixed = new byte[3 << 20];
        new Random(2).nextBytes(mixed);
        java.util.Arrays.fill(mixed, 1 << 20, 2 << 20, (byte) 0);
        CondaPackageBuilder b = CondaPackageBuilder.create("big", "1.0", "0")
                .bzip2BlockSize(1)
                .file("data/mixed.bin", mixed, 0644)
                .zeroFile("data/zeros.bin", 16 << 20, 0644)
                .raw(RawEntry.sparse("data/sparse.bin", 40L << 20,
                        new java.util.TreeMap<>(Map.of(0L, "head".getBytes(StandardCharsets.US_ASCII),
                                (20L << 20), "middle".getBytes(StandardCharsets.US_ASCII),
                                (40L << 20) - 4, "tail".getBytes(StandardCharsets.US_ASCII)))));
        Path dest = dest(format.name());
        ExtractResult r = extractor.extract(Packages.write(b, format, tmp), dest);
        assertArrayEquals(mixed, Files.readAllBytes(dest.resolve("data/mixed.bin")));
        assertEquals(16 << 20, Files.size(dest.resolve("data/zeros.bin")));
        assertTrue(allZero(dest.resolve("data/zeros.bin")));
        Path sparse = dest.resolve("data/sparse.bin");
        assertEquals(40L << 20, Files.size(sparse));
        byte[] s = Files.readAllBytes(sparse);
        assertEquals("head", new String(s, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("middle", new String(s, 20 << 20, 6, StandardCharsets.US_ASCII));
        assertEquals("tail", new String(s, (40 << 20) - 4, 4, StandardCharsets.US_ASCII));
        assertEquals(mixed.length + (16L << 20) + (40L << 20), r.bytes() - infoBytes(dest));
        // holes are kept (where the filesystem supports them): far fewer blocks than bytes
        long zeroBlocks = allocatedBytes(dest.resolve("data/zeros.bin"));
        long sparseBlocks = allocatedBytes(sparse);
        if (zeroBlocks >= 0) {
            assertTrue(zeroBlocks < (1 << 20), "zeros.bin allocates " + zeroBlocks + " bytes");
            assertTrue(sparseBlocks < (1 << 20), "sparse.bin allocates " + sparseBlocks + " bytes");
        }
    }

    private static long infoBytes(Path dest) throws IOException {
        long n = 0;
        try (Stream<Path> s = Files.walk(dest.resolve("info"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                n += Files.size(p);
            }
        }
        return n;
    }

    private static boolean allZero(Path p) throws IOException {
        byte[] data = Files.readAllBytes(p);
        for (byte x : data) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Allocated bytes by {@code stat -c %b*%B}, or -1 where stat is not available. */
    static long allocatedBytes(Path p) {
        try {
            Process proc = new ProcessBuilder("stat", "-c", "%b %B", p.toString()).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!proc.waitFor(10, TimeUnit.SECONDS) || proc.exitValue() != 0) {
                return -1;
            }
            String[] parts = out.split(" ");
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Test
    void multiBlockAndConcatenatedBzip2Streams() throws IOException {
        // a tar split across two bzip2 streams (as pbzip2 writes), each of many 100 kB blocks
        CondaPackageBuilder b = CondaPackageBuilder.create("multi", "1.0", "0");
        Random random = new Random(3);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            byte[] data = new byte[random.nextInt(300_000)];
            for (int k = 0; k < data.length; k++) {
                data[k] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 'a' + k % 7);
            }
            files.put("share/f" + i, data);
            b.file("share/f" + i, data, 0644);
        }
        Path single = b.bzip2BlockSize(1).writeTarBz2(tmp.resolve("single"));
        Path tar = tmp.resolve("multi.tar");
        try (var in = new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(
                Files.newInputStream(single))) {
            Files.copy(in, tar);
        }
        byte[] all = Files.readAllBytes(tar);
        Path concatenated = tmp.resolve("multi-1.0-0.tar.bz2");
        try (OutputStream out = Files.newOutputStream(concatenated)) {
            int half = all.length / 2 + 123;
            for (byte[] part : List.of(java.util.Arrays.copyOfRange(all, 0, half),
                    java.util.Arrays.copyOfRange(all, half, all.length))) {
                BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(nonClosing(out), 1);
                bz.write(part);
                bz.finish();
            }
        }
        for (Path archive : List.of(single, concatenated)) {
            Path dest = dest(archive.getParent().getFileName() + "-" + archive.getFileName());
            extractor.extract(archive, dest);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                assertArrayEquals(f.getValue(), Files.readAllBytes(dest.resolve(f.getKey())), f.getKey());
            }
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    @ParameterizedTest
    @EnumSource(PackageFormat.class)
    void legacyMetadataNoarchAndLinkJson(PackageFormat format) throws IOException {
        CondaPackageBuilder b = CondaPackageBuilder.create("legacy", "0.1", "py_0")
                .noarchPython()
                .legacyMetadata()
                .file("site-packages/legacy/__init__.py", "x = 1\n")
                .textFileWithPrefix("bin/legacy", "#!/opt/anaconda1anaconda2anaconda3/bin/python\n",
                        CondaPackageBuilder.DEFAULT_PLACEHOLDER);
        Path dest = dest(format.name());
        extractor.extract(Packages.write(b, format, tmp), dest);
        assertFalse(Files.exists(dest.resolve("info/paths.json")));
        assertEquals("site-packages/legacy/__init__.py\nbin/legacy\n", Files.readString(dest.resolve("info/files")));
        assertEquals("/opt/anaconda1anaconda2anaconda3 text bin/legacy\n",
                Files.readString(dest.resolve("info/has_prefix")));
        assertTrue(Files.readString(dest.resolve("info/link.json")).contains("\"python\""));
        assertTrue(Files.readString(dest.resolve("info/index.json")).contains("\"noarch\": \"python\""));
    }

    @ParameterizedTest
    @EnumSource(PackageFormat.class)
    void fromDirectoryPackagesARealTree(PackageFormat format) throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("bin"));
        Files.writeString(src.resolve("bin/run"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(src.resolve("bin/run"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(src.resolve("lib/empty"));
        Files.writeString(src.resolve("lib/a.so.1"), "a");
        Files.createSymbolicLink(src.resolve("lib/a.so"), Path.of("a.so.1"));
        Files.createLink(src.resolve("lib/a-hard.so"), src.resolve("lib/a.so.1"));
        Files.setLastModifiedTime(src.resolve("lib/a.so.1"), FileTime.from(T1));
        Files.setLastModifiedTime(src.resolve("lib/empty"), FileTime.from(T2));
        Path dest = dest(format.name());
        extractor.extract(Packages.write(CondaPackageBuilder.create("tree", "1", "0").fromDirectory(src), format,
                tmp.resolve("out")), dest);
        Map<String, TreeSnapshot.Node> expected = new java.util.TreeMap<>(TreeSnapshot.of(src).nodes());
        Map<String, TreeSnapshot.Node> actual = new java.util.TreeMap<>(TreeSnapshot.of(dest).nodes());
        actual.keySet().removeIf(k -> k.equals("info") || k.startsWith("info/"));
        List<String> problems = new ArrayList<>();
        for (String k : expected.keySet()) {
            TreeSnapshot.Node e = expected.get(k);
            TreeSnapshot.Node a = actual.get(k);
            if (a == null || !e.withoutTimes().equals(a.withoutTimes())) {
                problems.add(k + ": " + e + " vs " + a);
            } else if (e.type() == TreeSnapshot.Type.FILE && e.mtimeMillis() / 1000 != a.mtimeMillis() / 1000) {
                problems.add(k + " mtime");
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(expected.keySet(), actual.keySet());
        assertEquals(FileTime.from(T2), Files.getLastModifiedTime(dest.resolve("lib/empty")));
    }

    @Test
    void formatNamesAndLimits() {
        assertEquals(PackageFormat.CONDA, PackageFormat.of(Path.of("/x/a-1-0.conda")).orElseThrow());
        assertEquals(PackageFormat.TAR_BZ2, PackageFormat.of(Path.of("a-1-0.tar.bz2")).orElseThrow());
        assertTrue(PackageFormat.of(Path.of("a-1-0.tar.gz")).isEmpty());
        assertTrue(PackageFormat.of(Path.of(".conda")).isEmpty());
        assertEquals("numpy-2.1.0-py312h1_0", PackageFormat.distName(Path.of("c/numpy-2.1.0-py312h1_0.conda")));
        assertEquals("a-1-0", PackageFormat.distName(Path.of("a-1-0.tar.bz2")));
        assertThrows(IllegalArgumentException.class, () -> PackageFormat.distName(Path.of("a.zip")));

        ExtractLimits d = ExtractLimits.defaults();
        assertEquals(64L << 30, d.maxUnpackedBytes());
        assertEquals(2_000_000, d.maxEntries());
        assertEquals(64L << 20, ExtractLimits.parseSize("64m"));
        assertEquals(64L << 20, ExtractLimits.parseSize("64MiB"));
        assertEquals(2L << 30, ExtractLimits.parseSize("2G"));
        assertEquals(1234, ExtractLimits.parseSize("1234"));
        assertThrows(IllegalArgumentException.class, () -> new ExtractLimits(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ExtractLimits(1, -1));
        String old = System.getProperty(ExtractLimits.MAX_UNPACKED_BYTES_PROPERTY);
        try {
            System.setProperty(ExtractLimits.MAX_UNPACKED_BYTES_PROPERTY, "3g");
            System.setProperty(ExtractLimits.MAX_ENTRIES_PROPERTY, "77");
            assertEquals(new ExtractLimits(3L << 30, 77), ExtractLimits.defaults());
            System.setProperty(ExtractLimits.MAX_ENTRIES_PROPERTY, "lots");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, ExtractLimits::defaults);
            assertTrue(e.getMessage().contains(ExtractLimits.MAX_ENTRIES_PROPERTY), e.getMessage());
        } finally {
            System.clearProperty(ExtractLimits.MAX_ENTRIES_PROPERTY);
            if (old == null) {
                System.clearProperty(ExtractLimits.MAX_UNPACKED_BYTES_PROPERTY);
            } else {
                System.setProperty(ExtractLimits.MAX_UNPACKED_BYTES_PROPERTY, old);
            }
        }
    }

    @Test
    void callerErrors() throws IOException {
        Path archive = CondaPackageBuilder.create("x", "1", "0").file("a", "a").writeConda(tmp);
        assertThrows(java.nio.file.NotDirectoryException.class, () -> extractor.extract(archive, archive));
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> extractor.extract(archive, tmp.resolve("missing")));
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> extractor.extract(tmp.resolve("nope-1-0.conda"), dest("x")));
        PackageFormatException e = assertThrows(PackageFormatException.class,
                () -> extractor.extract(tmp.resolve("a.zip"), dest("y")));
        assertTrue(e.getMessage().contains("a.zip"));
    }

    private static int mode(Path p) throws IOException {
        return TreeSnapshot.mode(Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
    }
}
