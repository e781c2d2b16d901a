package dev.envlink.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Deleting trees that may hold read-only directories (package info/ dirs often are 0555). */
public final class Trees {
    private Trees() {
    }

    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            makeWritable(root);
            try (DirectoryStream<Path> s = Files.newDirectoryStream(root)) {
                for (Path child : s) {
                    deleteRecursively(child);
                }
            }
        }
        try {
            Files.delete(root);
        } catch (NoSuchFileException ignored) {
            // Someone else removed it: the goal is reached.
        }
    }

    private static void makeWritable(Path dir) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
            if (!p.contains(PosixFilePermission.OWNER_WRITE) || !p.contains(PosixFilePermission.OWNER_EXECUTE)) {
                p.add(PosixFilePermission.OWNER_WRITE);
                p.add(PosixFilePermission.OWNER_EXECUTE);
                Files.setPosixFilePermissions(dir, p);
            }
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not POSIX, or not ours: deletion below reports the real problem.
        }
    }
}
