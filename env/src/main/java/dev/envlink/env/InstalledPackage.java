package dev.envlink.env;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A package recorded in conda-meta/, as read back (by envlink, conda, mamba or pixi). */
record InstalledPackage(String dist, Path recordFile, Map<String, Object> record) {

    String name() {
        return string("name").orElse(dist);
    }

    Optional<String> string(String key) {
        Object v = record.get(key);
        return v instanceof String s ? Optional.of(s) : Optional.empty();
    }

    @SuppressWarnings("unchecked")
    List<String> files() {
        Object v = record.get("files");
        return v instanceof List<?> l ? (List<String>) l : List.of();
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> pathsData() {
        Object pd = record.get("paths_data");
        if (pd instanceof Map<?, ?> m && m.get("paths") instanceof List<?> l) {
            return (List<Map<String, Object>>) l;
        }
        return new ArrayList<>();
    }

    Optional<Path> extractedPackageDir() {
        return string("extracted_package_dir").filter(s -> !s.isEmpty()).map(Path::of);
    }
}
