package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** The facts about a source that a placed file must reproduce, read with one stat call. */
record SourceAttributes(long size, FileTime mtime, Set<PosixFilePermission> permissions, boolean regular,
                        boolean symlink, boolean directory) {

    static SourceAttributes read(Path path) throws IOException {
        BasicFileAttributes a;
        Set<PosixFilePermission> perms = null;
        try {
            PosixFileAttributes p = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            perms = p.permissions();
            a = p;
        } catch (UnsupportedOperationException e) {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        return new SourceAttributes(a.size(), a.lastModifiedTime(), perms, a.isRegularFile(), a.isSymbolicLink(),
                a.isDirectory());
    }

    /** Gives {@code target} the source's permission bits (exec bit included) and mtime. */
    void applyTo(Path target) throws IOException {
        if (permissions != null) {
            Files.setPosixFilePermissions(target, permissions);
        }
        Files.setLastModifiedTime(target, mtime);
    }
}
