package dev.envlink.cache;

import java.nio.file.Path;
import java.util.Optional;

/**
 * One extracted package in a cache layer.
 *
 * @param dist     {@code <name>-<version>-<build>}
 * @param path     the extracted directory
 * @param layer    the layer root it was found in
 * @param writable whether it belongs to envlink's own (writable) layer
 * @param archive  the package archive kept beside it, if any (used to repair the entry)
 */
public record CacheEntry(String dist, Path path, Path layer, boolean writable, Optional<Path> archive) {
}
