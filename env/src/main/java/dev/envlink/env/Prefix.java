package dev.envlink.env;

import dev.envlink.cache.meta.JsonTrees;
import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** An environment directory and its conda-meta/ bookkeeping. */
final class Prefix {
    static final String CONDA_META = "conda-meta";
    static final String JOURNAL = ".envlink-transaction.json";
    static final String BACKUP = ".envlink-backup";
    static final String LOCK = ".envlink.lock";

    private final Path root;

    Prefix(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path condaMeta() {
        return root.resolve(CONDA_META);
    }

    Path journal() {
        return condaMeta().resolve(JOURNAL);
    }

    Path backup() {
        return condaMeta().resolve(BACKUP);
    }

    Path lockFile() {
        return condaMeta().resolve(LOCK);
    }

    Path resolve(String rel) {
        return root.resolve(rel);
    }

    /** Installed packages by name. */
    @SuppressWarnings("unchecked")
    Map<String, InstalledPackage> installed() throws IOException {
        Map<String, InstalledPackage> out = new TreeMap<>();
        if (!Files.isDirectory(condaMeta())) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(condaMeta(), "*.json")) {
            for (Path f : s) {
                String file = f.getFileName().toString();
                if (file.startsWith(".")) {
                    continue;
                }
                Map<String, Object> record;
                try {
                    Object root = JsonTrees.readValue(Files.readAllBytes(f));
                    if (!(root instanceof Map<?, ?>)) {
                        throw new IOException("not a JSON object");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = (Map<String, Object>) root;
                    record = m;
                } catch (IOException e) {
                    throw new PackageFormatException(f, null, "unreadable conda-meta record: " + e.getMessage(), e);
                }
                InstalledPackage p = new InstalledPackage(file.substring(0, file.length() - 5), f, record);
                out.put(p.name(), p);
            }
        }
        return out;
    }
}
