package dev.envlink.env.prefix;

/**
 * What {@link PrefixRewriter#rewrite} wrote.
 *
 * @param bytesWritten     size of the target file
 * @param sha256           lowercase hex sha256 of the target file's bytes (a record's
 *                         {@code sha256_in_prefix})
 * @param replacements     placeholder occurrences replaced (0 when the file did not contain the
 *                         placeholder where it is replaced, the target then equals the source)
 * @param shebangRewritten the first line was turned into a {@code #!/usr/bin/env <interpreter>}
 *                         line because it was too long or the interpreter's path has spaces
 */
public record RewriteResult(long bytesWritten, String sha256, int replacements, boolean shebangRewritten) {
}
