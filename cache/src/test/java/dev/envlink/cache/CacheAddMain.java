package dev.envlink.cache;

import java.nio.file.Path;

/** A separate process that adds one package: used by the multi-process tests. */
public final class CacheAddMain {
    private CacheAddMain() {
    }

    public static void main(String[] args) throws Exception {
        PackageCache cache = PackageCache.open(Path.of(args[0]));
        PackageCache.AddResult r = cache.add(PackageCache.AddRequest.of(Path.of(args[1])));
        System.out.println("OUTCOME " + r.outcome());
    }
}
