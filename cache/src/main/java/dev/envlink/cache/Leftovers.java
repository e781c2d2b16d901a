package dev.envlink.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes what interrupted runs left in pkgs/: staging and trash directories, temporary archive
 * copies and partial downloads. A leftover is removed only when its package's lock is free (so
 * live work of another process is never touched); names that do not tell the package are removed
 * once they are old.
 */
final class Leftovers {
    private static final Pattern STAGING = Pattern.compile("^\\.(?:tmp|trash)-(.+)-[0-9a-f]+-[0-9a-f]+$");
    private static final Pattern TEMP_ARCHIVE = Pattern.compile("^\\.envlink-(.+?)(?:\\.conda|\\.tar\\.bz2)-[0-9a-f]+$");
    private static final Pattern PART = Pattern.compile("^\\.(.+?)(?:\\.conda|\\.tar\\.bz2)\\.part-.+$");
    private static final Duration ORPHAN_AGE = Duration.ofHours(1);

    private final PackageCache cache;

    Leftovers(PackageCache cache) {
        this.cache = cache;
    }

    List<Path> clean() throws IOException {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(cache.pkgsDir(), ".*")) {
            for (Path p : s) {
                Optional<String> dist = distOf(p.getFileName().toString());
                if (dist.isEmpty()) {
                    if (isOld(p) && looksTemporary(p.getFileName().toString())) {
                        Trees.deleteRecursively(p);
                        removed.add(p);
                    }
                    continue;
                }
                Optional<CacheLock> lock = CacheLock.tryAcquire(cache.lockFile(dist.get()));
                if (lock.isEmpty()) {
                    continue; // being worked on right now
                }
                try (CacheLock l = lock.get()) {
                    Trees.deleteRecursively(p);
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    static Optional<String> distOf(String name) {
        for (Pattern pattern : new Pattern[] {STAGING, TEMP_ARCHIVE, PART}) {
            Matcher m = pattern.matcher(name);
            if (m.matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }

    private static boolean looksTemporary(String name) {
        return name.startsWith(".tmp-") || name.startsWith(".trash-") || name.startsWith(".envlink-")
                || name.contains(".part-");
    }

    private static boolean isOld(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant().isBefore(Instant.now().minus(ORPHAN_AGE));
        } catch (IOException e) {
            return false;
        }
    }
}
