package dev.envlink.cache.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** What a directory tree holds, for comparing extractions: type, mode, content hash, link target, mtime. */
record TreeSnapshot(Map<String, Node> nodes) {
    enum Type { FILE, DIRECTORY, SYMLINK, OTHER }

    record Node(Type type, int mode, String sha256, long size, String target, long mtimeMillis, Object inode) {
        /** The node without its mtime and inode, for comparing with trees that differ there. */
        Node withoutTimes() {
            return new Node(type, mode, sha256, size, target, 0, null);
        }
    }

    static TreeSnapshot of(Path root) {
        Map<String, Node> nodes = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(root)) {
                        nodes.put(rel(root, dir), node(dir));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    nodes.put(rel(root, file), node(file));
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TreeSnapshot(nodes);
    }

    static String rel(Path root, Path p) {
        return root.relativize(p).toString();
    }

    static Node node(Path p) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Type type = a.isSymbolicLink() ? Type.SYMLINK : a.isDirectory() ? Type.DIRECTORY
                : a.isRegularFile() ? Type.FILE : Type.OTHER;
        String sha = type == Type.FILE ? sha256(p) : null;
        String target = type == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        int mode = type == Type.SYMLINK ? 0 : mode(a);
        return new Node(type, mode, sha, type == Type.FILE ? a.size() : 0, target,
                a.lastModifiedTime().toMillis(), a.fileKey());
    }

    static int mode(PosixFileAttributes a) {
        int m = 0;
        for (PosixFilePermission perm : a.permissions()) {
            m |= 1 << (8 - perm.ordinal());
        }
        return m;
    }

    static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
