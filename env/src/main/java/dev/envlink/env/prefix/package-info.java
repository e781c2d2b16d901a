/**
 * Prefix replacement: writing a package file that carries a {@code prefix_placeholder}
 * ({@code paths.json}) into an environment as a new file with the environment's prefix, with
 * conda's text, binary (NUL-padded C strings) and shebang rules. Entry point:
 * {@link dev.envlink.env.prefix.PrefixRewriter}.
 */
package dev.envlink.env.prefix;
