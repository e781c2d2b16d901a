package dev.envlink.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which cache entries environments use: each environment's conda-meta/*.json records name the
 * package (name-version-build) it was installed from. Environments come from the cache's
 * environments.txt (one prefix a line, like conda's ~/.conda/environments.txt) and --prefix.
 */
final class UsedPackages {

    private UsedPackages() {
    }

    static Set<String> of(Path cacheRoot, List<Path> extraPrefixes) throws IOException {
        List<Path> prefixes = new ArrayList<>(extraPrefixes);
        Path registry = cacheRoot.resolve("environments.txt");
        if (Files.isRegularFile(registry)) {
            for (String line : Files.readAllLines(registry)) {
                if (!line.isBlank()) {
                    prefixes.add(Path.of(line.trim()));
                }
            }
        }
        Set<String> used = new HashSet<>();
        for (Path prefix : prefixes) {
            Path meta = prefix.resolve("conda-meta");
            if (!Files.isDirectory(meta)) {
                continue;
            }
            try (DirectoryStream<Path> s = Files.newDirectoryStream(meta, "*.json")) {
                for (Path record : s) {
                    String name = record.getFileName().toString();
                    used.add(name.substring(0, name.length() - ".json".length()));
                    JsonNode n = dev.envlink.cache.meta.JsonTrees.readTree(Files.readAllBytes(record));
                    String extracted = n.path("extracted_package_dir").asText("");
                    if (!extracted.isEmpty()) {
                        used.add(Path.of(extracted).getFileName().toString());
                    }
                }
            }
        }
        return used;
    }
}
