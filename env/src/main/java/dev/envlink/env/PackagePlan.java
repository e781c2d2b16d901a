package dev.envlink.env;

import dev.envlink.cache.CacheEntry;
import dev.envlink.cache.meta.PackageMetadata;
import java.util.List;
import java.util.Map;

/**
 * One package to add: where it comes from and every path it creates.
 *
 * @param entry         the cache entry
 * @param metadata      its parsed info/
 * @param files         what it places, in package order
 * @param requestedSpec what the user asked for (recorded as requested_spec)
 * @param clobbers      target path -> dist of the package whose file this one replaces
 */
record PackagePlan(CacheEntry entry, PackageMetadata metadata, List<PlannedFile> files, String requestedSpec,
                   Map<String, String> clobbers) {

    String dist() {
        return entry.dist();
    }

    String name() {
        return metadata.index().name();
    }
}
