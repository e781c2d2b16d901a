/**
 * Fetching package archives into the cache: {@link dev.envlink.cache.download.Downloader} over
 * http(s) ({@code java.net.http.HttpClient}) and file:// URLs, with {@link
 * dev.envlink.cache.download.Mirrors} prefix rewriting (offline installs from a directory or a LAN
 * mirror), checksum verification while writing, retries with backoff for transient failures only,
 * stall detection, bounded parallelism for batches, and a {@link
 * dev.envlink.cache.download.TerminalProgress} bar.
 *
 * <p>Invariant: a target path either keeps its previous state or holds the complete, verified new
 * file; temporary {@code .<name>.part-<random>} siblings are removed on every failure path
 * (and {@link dev.envlink.cache.download.Downloader#deleteStalePartFiles} clears those of killed
 * processes).
 */
package dev.envlink.cache.download;
