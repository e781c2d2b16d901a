package dev.envlink.cache;

import java.util.Set;

/** The channel of a package URL: the URL up to its subdir (…/conda-forge/linux-64/x.conda → …/conda-forge). */
final class Channels {
    private static final Set<String> SUBDIRS = Set.of("noarch", "linux-64", "linux-aarch64", "linux-ppc64le",
            "linux-s390x", "linux-32", "linux-armv7l", "osx-64", "osx-arm64", "win-64", "win-32", "win-arm64",
            "emscripten-wasm32", "wasi-wasm32", "zos-z");

    private Channels() {
    }

    static String fromUrl(String url) {
        int slash = url.lastIndexOf('/');
        if (slash <= 0) {
            return url;
        }
        String dir = url.substring(0, slash);
        int prev = dir.lastIndexOf('/');
        if (prev > 0 && SUBDIRS.contains(dir.substring(prev + 1))) {
            return dir.substring(0, prev);
        }
        return dir;
    }
}
