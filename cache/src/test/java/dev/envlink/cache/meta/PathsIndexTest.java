package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.cache.PackageCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binary copy of paths.json: the same list back, and never used for another paths.json. */
class PathsIndexTest {
    @TempDir
    Path tmp;

    private static final PathsIndex.Stamp STAMP = new PathsIndex.Stamp(1234, 1_700_000_000_123_456_789L, 42);

    /** Every field combination a paths.json entry can have. */
    private static final PathsJson ALL_KINDS = new PathsJson(1, List.of(
            new PathEntry("bin/tool", PathType.HARDLINK, "a".repeat(64), 10L, "/opt/build/prefix", FileMode.TEXT, false),
            new PathEntry("lib/libx.so", PathType.HARDLINK, "b".repeat(64), 4096L, "/opt/build/prefix", FileMode.BINARY, false),
            new PathEntry("etc/conf", PathType.HARDLINK, null, null, null, null, true),
            new PathEntry("lib/libx.so.1", PathType.SOFTLINK, "c".repeat(64), 11L, null, null, false),
            new PathEntry("share/empty", PathType.DIRECTORY, null, null, null, null, false),
            new PathEntry("share/naïve ✓/файл.txt", PathType.HARDLINK, "d".repeat(64), 0L, null, null, false)));

    @Test
    void everyKindOfEntryComesBackEqual() {
        byte[] data = PathsIndex.encode(ALL_KINDS, STAMP);
        assertEquals(Optional.of(ALL_KINDS), PathsIndex.decode(data, STAMP));
        assertEquals(Optional.of(new PathsJson(1, List.of())), PathsIndex.decode(
                PathsIndex.encode(new PathsJson(1, List.of()), STAMP), STAMP));
    }

    @Test
    void anotherPathsJsonIsNotDecoded() {
        byte[] data = PathsIndex.encode(ALL_KINDS, STAMP);
        assertEquals(Optional.empty(), PathsIndex.decode(data, new PathsIndex.Stamp(1235, STAMP.mtimeNanos(), 42)));
        assertEquals(Optional.empty(), PathsIndex.decode(data, new PathsIndex.Stamp(1234, STAMP.mtimeNanos() + 1, 42)));
        assertEquals(Optional.empty(), PathsIndex.decode(data, new PathsIndex.Stamp(1234, STAMP.mtimeNanos(), 43)));
    }

    @Test
    void damageIsNoticed() {
        byte[] data = PathsIndex.encode(ALL_KINDS, STAMP);
        assertThrows(RuntimeException.class, () -> PathsIndex.decode(java.util.Arrays.copyOf(data, data.length - 1), STAMP),
                "truncated");
        byte[] longer = java.util.Arrays.copyOf(data, data.length + 1);
        assertThrows(RuntimeException.class, () -> PathsIndex.decode(longer, STAMP), "trailing bytes");
        byte[] badType = data.clone();
        badType[32] = 7; // the first entry's type, after a 32-byte header
        assertThrows(RuntimeException.class, () -> PathsIndex.decode(badType, STAMP));
        // An unsafe path (as if the file had been tampered with) is refused, not passed on.
        byte[] unsafe = PathsIndex.encode(new PathsJson(1, List.of(PathEntry.file("ab/c"))), STAMP);
        int at = indexOf(unsafe, "ab/c".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        unsafe[at] = '.';
        unsafe[at + 1] = '.'; // "../c"
        assertThrows(IllegalArgumentException.class, () -> PathsIndex.decode(unsafe, STAMP));
        byte[] notOurs = ByteBuffer.allocate(8).putInt(0x12345678).array();
        assertEquals(Optional.empty(), PathsIndex.decode(notOurs, STAMP));
    }

    @Test
    void readUsesTheIndexOnlyWhilePathsJsonIsUnchanged() throws IOException {
        Path info = Files.createDirectories(tmp.resolve("pkg-1.0-0/info"));
        Files.writeString(info.resolve("paths.json"), "{\"paths_version\": 1, \"paths\": ["
                + "{\"_path\": \"a.txt\", \"path_type\": \"hardlink\", \"sha256\": \"" + "e".repeat(64)
                + "\", \"size_in_bytes\": 3}]}");
        PathsJson parsed = PathsJson.read(info);
        PathsJson.writeIndex(info, parsed);
        assertTrue(Files.isRegularFile(info.resolve(PathsIndex.FILE)));
        assertEquals(Optional.of(parsed), PathsIndex.read(info));
        assertEquals(parsed, PathsJson.read(info));

        // A different paths.json (content and time): the index is ignored, the JSON decides.
        Files.writeString(info.resolve("paths.json"), "{\"paths\": [{\"_path\": \"b.txt\", \"path_type\": \"hardlink\"}]}");
        Files.setLastModifiedTime(info.resolve("paths.json"), FileTime.fromMillis(1_600_000_000_000L));
        assertEquals(Optional.empty(), PathsIndex.read(info));
        assertEquals(List.of(PathEntry.file("b.txt")), PathsJson.read(info).paths());
        // A damaged index is ignored too.
        PathsJson.writeIndex(info, PathsJson.read(info));
        byte[] idx = Files.readAllBytes(info.resolve(PathsIndex.FILE));
        Files.write(info.resolve(PathsIndex.FILE), java.util.Arrays.copyOf(idx, idx.length - 3));
        assertEquals(List.of(PathEntry.file("b.txt")), PathsJson.read(info).paths());
        // Legacy file lists get none.
        Path legacy = Files.createDirectories(tmp.resolve("old-1.0-0/info"));
        PathsJson.writeIndex(legacy, new PathsJson(1, List.of(PathEntry.file("x"))));
        assertFalse(Files.exists(legacy.resolve(PathsIndex.FILE)));
    }

    /** The cache writes the index with each entry it makes, and it reads back as the JSON does. */
    @Test
    void theCacheIndexesEveryConformancePackage() throws IOException {
        PackageCache cache = PackageCache.open(tmp.resolve("cache"));
        int indexed = 0;
        for (Path archive : Corpus.archives()) {
            Path entry = cache.add(PackageCache.AddRequest.of(archive)).entry().path();
            Path info = entry.resolve("info");
            if (!Files.exists(info.resolve("paths.json"))) {
                continue;
            }
            assertTrue(Files.isRegularFile(info.resolve(PathsIndex.FILE)), entry.toString());
            Optional<PathsJson> fromIndex = PathsIndex.read(info);
            assertTrue(fromIndex.isPresent(), entry.toString());
            Optional<PathsJson> fromJson = PathsJsonStream.parse(Files.readAllBytes(info.resolve("paths.json")));
            assertEquals(fromJson.orElseGet(() -> readTree(info)), fromIndex.get(), entry.toString());
            indexed++;
        }
        assertTrue(indexed > 10, "indexed " + indexed);
    }

    private static PathsJson readTree(Path info) {
        try {
            return PathsJson.readTree(info);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Paths are checked on their bytes when plain ASCII, by {@link PackagePaths#normalize} otherwise:
     * either way a tampered index with an unsafe or unnormal path is refused, and every path
     * normalize keeps as it is comes back.
     */
    @Test
    void tamperedPathsAreRefusedAndNormalOnesKept() {
        for (String bad : new String[] {"/b/c", "a//c", "./bc", "ab/.", "..\\c", "a\0/c", "ab/", "C:/c", "a/..",
            "é/..", "..é/", "\\b/c", "x:/b"}) {
            byte[] data = withPath(bad);
            assertThrows(IllegalArgumentException.class, () -> PathsIndex.decode(data, STAMP), bad);
        }
        for (String good : new String[] {"a/bc", ".a/b", "a/..b", "a...", "1:/b", "a\\bc", "é/ü", "a/.é", "1/2/3/4/5"}) {
            assertEquals(List.of(good), PathsIndex.decode(withPath(good), STAMP).orElseThrow().paths().stream()
                    .map(PathEntry::path).toList(), good);
        }
    }

    /** An index of one file whose path was changed in place to {@code path} (same byte length as written). */
    private static byte[] withPath(String path) {
        byte[] bytes = path.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String placeholder = "q".repeat(bytes.length);
        byte[] data = PathsIndex.encode(new PathsJson(1, List.of(PathEntry.file(placeholder))), STAMP);
        int at = indexOf(data, placeholder.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        System.arraycopy(bytes, 0, data, at, bytes.length);
        return data;
    }

    private static int indexOf(byte[] data, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= data.length; i++) {
            for (int k = 0; k < part.length; k++) {
                if (data[i + k] != part[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
