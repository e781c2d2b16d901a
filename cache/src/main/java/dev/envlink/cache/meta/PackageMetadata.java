package dev.envlink.cache.meta;

import dev.envlink.cache.PackageFormatException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * All metadata of an extracted package directory ({@code <pkgDir>/info/...}).
 *
 * @param index          {@code info/index.json} (required)
 * @param paths          {@code info/paths.json}, else the legacy {@code info/files} and friends,
 *                       else empty (see {@link PathsJson#load})
 * @param link           {@code info/link.json}, for noarch packages
 * @param repodataRecord {@code info/repodata_record.json}, written by the cache (or conda) after
 *                       extraction
 */
public record PackageMetadata(IndexJson index, PathsJson paths, Optional<LinkJson> link,
        Optional<RepodataRecord> repodataRecord) {

    public PackageMetadata {
        Objects.requireNonNull(index, "index");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(repodataRecord, "repodataRecord");
    }

    /**
     * Reads the metadata of an extracted package. Any problem (a missing or malformed file, a
     * missing required field, an unsafe path) is a {@link PackageFormatException} naming the
     * package directory and the file.
     */
    public static PackageMetadata read(Path pkgDir) throws PackageFormatException {
        Path info = pkgDir.resolve("info");
        IndexJson index = IndexJson.read(info);
        PathsJson paths = PathsJson.load(pkgDir);
        Optional<LinkJson> link = LinkJson.read(info);
        Optional<RepodataRecord> record = RepodataRecord.read(info);
        return new PackageMetadata(index, paths, link, record);
    }
}
