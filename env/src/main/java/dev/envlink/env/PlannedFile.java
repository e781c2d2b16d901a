package dev.envlink.env;

import dev.envlink.cache.meta.LinkJson;
import dev.envlink.cache.meta.PathEntry;
import java.nio.file.Path;

/**
 * One path an install creates in the prefix.
 *
 * @param target relative path in the prefix ({@code /}-separated)
 * @param action how it is placed
 * @param sourceRoot the cache entry the file comes from (null for generated entry points)
 * @param entry  the package's record of it (null for generated entry points)
 * @param entryPoint the definition of a generated entry point (null otherwise)
 */
record PlannedFile(String target, Action action, Path sourceRoot, PathEntry entry, LinkJson.EntryPoint entryPoint) {

    PlannedFile(String target, Action action, Path sourceRoot, PathEntry entry) {
        this(target, action, sourceRoot, entry, null);
    }

    /** The file in the cache entry (null for generated entry points); made on demand, not per plan. */
    Path source() {
        return sourceRoot == null || entry == null ? null : sourceRoot.resolve(entry.path());
    }

    enum Action {
        /** Through the link engine (reflink, hardlink or copy). */
        LINK,
        /** Copied, never linked (no_link). */
        COPY,
        /** A new file with the prefix placeholder replaced. */
        REWRITE,
        /** A symlink recreated with the same target text. */
        SYMLINK,
        /** An (empty) directory. */
        DIRECTORY,
        /** A generated noarch-python entry point script. */
        ENTRY_POINT,
        /**
         * The bytecode of a noarch-python source file, compiled by the environment's python after
         * everything else is placed (as conda does); recorded as a {@code pyc_file}.
         */
        PYC
    }
}
