package dev.envlink.link;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Small file helpers shared by the tests. */
final class TestFiles {
    private TestFiles() {
    }

    static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.writeString(file, content);
    }

    static Path write(Path file, String content, String perms) throws IOException {
        write(file, content);
        chmod(file, perms);
        return file;
    }

    static void chmod(Path path, String perms) throws IOException {
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(perms));
    }

    static String perms(Path path) throws IOException {
        return PosixFilePermissions.toString(
                Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).permissions());
    }

    static FileTime mtime(Path path) throws IOException {
        return Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS);
    }

    static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    /** Names in {@code dir} (recursively) that the engine uses for temporary files. */
    static List<Path> envlinkTemps(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".envlink-")).toList();
        }
    }

    /** What a tree looks like: relative path -> description of type, mode, content or link text. */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                out.put(rel(dir), "dir " + perms(dir));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String desc;
                if (attrs.isSymbolicLink()) {
                    desc = "symlink -> " + Files.readSymbolicLink(file);
                } else if (attrs.isRegularFile()) {
                    desc = "file " + perms(file) + " " + Files.readString(file);
                } else {
                    desc = "other";
                }
                out.put(rel(file), desc);
                return FileVisitResult.CONTINUE;
            }

            private String rel(Path p) {
                String r = root.relativize(p).toString();
                return r.isEmpty() ? "." : r;
            }
        });
        return out;
    }

    /** Relative path -> mtime, for every directory and regular file (symlinks excluded). */
    static Map<String, FileTime> mtimes(Path root) throws IOException {
        Map<String, FileTime> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !Files.isSymbolicLink(p)).forEach(p -> {
                try {
                    out.put(root.relativize(p).toString(), mtime(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return out;
    }

    /** Regular files under root, as relative paths. */
    static List<Path> regularFiles(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).forEach(p -> out.add(root.relativize(p)));
        }
        return out;
    }
}
