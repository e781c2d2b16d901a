package dev.envlink.cache;

import dev.envlink.cache.meta.PathEntry;
import dev.envlink.cache.meta.PathsJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/** Checks an extracted entry against its own paths.json (or legacy file list). */
final class EntryValidator {
    private EntryValidator() {
    }

    /** Problems found, one line each naming the file; empty when the entry is sound. */
    static List<String> problems(Path entry, ValidationMode mode) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(entry.resolve("info/index.json"))) {
            out.add("info/index.json: missing");
            return out;
        }
        if (mode == ValidationMode.SKIP) {
            return out;
        }
        PathsJson paths;
        try {
            paths = PathsJson.load(entry);
        } catch (IOException e) {
            out.add("info/paths.json: " + e.getMessage());
            return out;
        }
        checkFiles(entry, paths, mode, out);
        return out;
    }

    /** As {@link #problems(Path, ValidationMode)} with the entry's file list already read. */
    static List<String> problems(Path entry, ValidationMode mode, PathsJson paths) {
        List<String> out = new ArrayList<>();
        if (!Files.isRegularFile(entry.resolve("info/index.json"))) {
            out.add("info/index.json: missing");
            return out;
        }
        if (mode != ValidationMode.SKIP) {
            checkFiles(entry, paths, mode, out);
        }
        return out;
    }

    private static void checkFiles(Path entry, PathsJson paths, ValidationMode mode, List<String> out) {
        for (PathEntry p : paths.paths()) {
            Path f = entry.resolve(p.path());
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                switch (p.type()) {
                    case SOFTLINK -> {
                        if (!a.isSymbolicLink()) {
                            out.add(p.path() + ": should be a symlink");
                        }
                    }
                    case DIRECTORY -> {
                        if (!a.isDirectory()) {
                            out.add(p.path() + ": should be a directory");
                        }
                    }
                    case HARDLINK -> checkFile(p, f, a, mode, out);
                }
            } catch (java.nio.file.NoSuchFileException e) {
                out.add(p.path() + ": missing");
            } catch (IOException e) {
                out.add(p.path() + ": " + e.getMessage());
            }
        }
    }

    private static void checkFile(PathEntry p, Path f, BasicFileAttributes a, ValidationMode mode, List<String> out)
            throws IOException {
        if (a.isSymbolicLink()) {
            // Packages built from symlinked files record them as hardlink entries; conda accepts them.
            return;
        }
        if (!a.isRegularFile()) {
            out.add(p.path() + ": should be a regular file");
            return;
        }
        if (p.sizeInBytes() != null && p.sizeInBytes() != a.size()) {
            out.add(p.path() + ": size " + a.size() + " bytes, recorded " + p.sizeInBytes());
            return;
        }
        if (mode == ValidationMode.FULL && p.sha256() != null) {
            String actual = FileHashes.sha256(f);
            if (!actual.equalsIgnoreCase(p.sha256())) {
                out.add(p.path() + ": sha256 " + actual + ", recorded " + p.sha256());
            }
        }
    }
}
