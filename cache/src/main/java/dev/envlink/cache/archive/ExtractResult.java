package dev.envlink.cache.archive;

/**
 * What one extraction wrote.
 *
 * @param files regular files written (hard links not included)
 * @param directories directories created (explicit entries and implied parents)
 * @param symlinks symbolic links created
 * @param hardlinks hard links created (to earlier regular files of the same archive)
 * @param bytes bytes of regular file content (holes included)
 */
public record ExtractResult(long files, long directories, long symlinks, long hardlinks, long bytes) {
}
