package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A small source tree of known content, and checks that a linked copy matches it. */
final class Trees {
    private Trees() {
    }

    /** Regular files of the standard tree, relative path -> size. */
    static final Map<String, Integer> FILES = Map.of(
            "bin/tool", 70_000,
            "lib/libfoo.so", 200_000,
            "lib/python/pkg/__init__.py", 12,
            "lib/python/pkg/mod.py", 5_000,
            "share/doc/README", 1);

    static final int DIRECTORIES = 7; // root, bin, lib, lib/python, lib/python/pkg, share, share/doc

    static long totalBytes() {
        return FILES.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Creates the standard tree (files of random data, one relative symlink) under {@code root}. */
    static Path create(Path root) throws IOException {
        Random random = new Random(root.toString().hashCode());
        for (Map.Entry<String, Integer> e : new TreeMap<>(FILES).entrySet()) {
            Path f = root.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            byte[] data = new byte[e.getValue()];
            random.nextBytes(data);
            Files.write(f, data);
        }
        Files.createSymbolicLink(root.resolve("lib/libfoo.so.1"), Path.of("libfoo.so"));
        return root;
    }

    /** Asserts {@code target} holds the same files and symlinks as {@code source}, as separate names. */
    static void assertSameContent(Path source, Path target) throws IOException {
        assertEquals(listing(source).keySet(), listing(target).keySet(), "entries of " + target);
        for (String rel : FILES.keySet()) {
            Path s = source.resolve(rel);
            Path t = target.resolve(rel);
            assertTrue(Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS), t + " is a regular file");
            assertArrayEquals(Files.readAllBytes(s), Files.readAllBytes(t), "content of " + t);
        }
        Path link = target.resolve("lib/libfoo.so.1");
        assertTrue(Files.isSymbolicLink(link), link + " is a symlink");
        assertEquals(Path.of("libfoo.so"), Files.readSymbolicLink(link), "symlink text of " + link);
    }

    /** Asserts no target file is a hardlink of its source (reflinks and copies are new inodes). */
    static void assertNewInodes(Path source, Path target) throws IOException {
        for (String rel : FILES.keySet()) {
            assertFalse(Files.isSameFile(source.resolve(rel), target.resolve(rel)),
                    target.resolve(rel) + " must not be the source's inode");
        }
    }

    /** Relative path -> "d", "f" or "l" for everything under root (root itself excluded). */
    static Map<String, String> listing(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root)).forEach(p -> out.put(root.relativize(p).toString(),
                    Files.isSymbolicLink(p) ? "l" : Files.isDirectory(p) ? "d" : "f"));
        }
        return out;
    }
}
