package dev.envlink.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** <cache>/environments.txt: the prefixes installed from this cache (read by cache clean --unused). */
final class Environments {
    private Environments() {
    }

    static synchronized void register(Path cacheRoot, Path prefix) throws IOException {
        Path file = cacheRoot.resolve("environments.txt");
        String p = prefix.toAbsolutePath().normalize().toString();
        List<String> lines = Files.isRegularFile(file) ? Files.readAllLines(file) : List.of();
        if (!lines.contains(p)) {
            Files.writeString(file, p + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
