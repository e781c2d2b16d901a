package dev.envlink.cache.download;

import static dev.envlink.cache.download.TestFiles.assertNoPartFiles;
import static dev.envlink.cache.download.TestFiles.bytes;
import static dev.envlink.cache.download.TestFiles.md5;
import static dev.envlink.cache.download.TestFiles.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** file:// sources, mirrors to a directory (offline install) and to another HTTP server. */
class FileAndMirrorDownloadTest {

    private static final byte[] BODY = bytes(700_000, 7);

    @TempDir
    Path dir;

    @AfterEach
    void noPartFiles() {
        assertNoPartFiles(dir);
    }

    /** A 5 s backoff: any retry would exceed the tests' timeouts. */
    private static Downloader.Builder noRetryExpected() {
        return Downloader.builder().initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(5));
    }

    private Path source(String relative, byte[] content) throws IOException {
        Path p = dir.resolve("mirror").resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    @Test
    void copiesFromAFileUrlThroughTheSameVerification() throws IOException {
        Path src = source("noarch/a-1-0.conda", BODY);
        DownloadRequest r = new DownloadRequest(src.toUri(), dir.resolve("pkgs/a-1-0.conda"), Checksums.of(sha256(BODY), md5(BODY)));
        Recorder events = new Recorder();
        try (Downloader d = noRetryExpected().progress(events).build()) {
            DownloadResult res = d.download(r);
            assertEquals(src.toUri(), res.fetchedFrom());
            assertEquals(1, res.attempts());
            assertEquals(BODY.length, res.bytes());
            assertEquals(sha256(BODY), res.sha256());
        }
        assertArrayEquals(BODY, Files.readAllBytes(r.target()));
        assertEquals("started " + BODY.length, events.events().get(0));
        assertEquals("finished " + BODY.length, events.events().get(events.events().size() - 1));
    }

    @Test
    void missingFileFailsWithoutRetry() {
        DownloadRequest r = new DownloadRequest(dir.resolve("mirror/nope.conda").toUri(), dir.resolve("pkgs/nope.conda"));
        try (Downloader d = noRetryExpected().build()) {
            DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(3),
                    () -> assertThrows(DownloadException.class, () -> d.download(r)));
            assertEquals(1, e.attempts());
            assertTrue(e.getMessage().contains("no such file"), e.getMessage());
        }
        assertFalse(Files.exists(r.target()));
    }

    @Test
    void directoryIsNotAPackage() throws IOException {
        Files.createDirectories(dir.resolve("mirror/d.conda"));
        DownloadRequest r = new DownloadRequest(dir.resolve("mirror/d.conda").toUri(), dir.resolve("pkgs/d.conda"));
        try (Downloader d = noRetryExpected().build()) {
            DownloadException e = assertThrows(DownloadException.class, () -> d.download(r));
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        }
    }

    @Test
    void fileChecksumMismatchIsNotRetried() throws IOException {
        Path src = source("a.conda", BODY);
        String wrong = sha256(new byte[] {1});
        DownloadRequest r = new DownloadRequest(src.toUri(), dir.resolve("pkgs/a.conda"), Checksums.sha256(wrong));
        try (Downloader d = noRetryExpected().build()) {
            ChecksumMismatchException e = assertTimeoutPreemptively(Duration.ofSeconds(3),
                    () -> assertThrows(ChecksumMismatchException.class, () -> d.download(r)));
            assertEquals(1, e.attempts());
            assertTrue(e.getMessage().contains(src.toUri().toString()), e.getMessage());
            assertTrue(e.getMessage().contains(wrong) && e.getMessage().contains(sha256(BODY)), e.getMessage());
        }
        assertFalse(Files.exists(r.target()));
    }

    @Test
    void mirrorToADirectoryInstallsOffline() throws IOException {
        Path src = source("conda-forge/linux-64/numpy-1.26.4-py312h8753938_0.conda", BODY);
        URI original = URI.create("https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312h8753938_0.conda");
        Mirrors mirrors = new Mirrors(Map.of("https://conda.anaconda.org/conda-forge", dir.resolve("mirror/conda-forge").toUri().toString()));
        DownloadRequest r = new DownloadRequest(original, dir.resolve("pkgs/numpy-1.26.4-py312h8753938_0.conda"), Checksums.sha256(sha256(BODY)));
        try (Downloader d = noRetryExpected().mirrors(mirrors).build()) {
            DownloadResult res = d.download(r);
            assertEquals(src.toUri(), res.fetchedFrom());
            assertEquals(original, res.request().url());

            // Not in the mirror: fails naming both, never falls back to the network.
            URI absent = URI.create("https://conda.anaconda.org/conda-forge/noarch/absent-1-0.conda");
            DownloadException e = assertThrows(DownloadException.class,
                    () -> d.download(new DownloadRequest(absent, dir.resolve("pkgs/absent-1-0.conda"))));
            assertEquals(absent, e.url());
            assertEquals(dir.resolve("mirror/conda-forge/noarch/absent-1-0.conda").toUri(), e.source());
            assertTrue(e.getMessage().contains("no such file"), e.getMessage());
            assertEquals(1, e.attempts());
        }
        assertArrayEquals(BODY, Files.readAllBytes(r.target()));
    }

    @Test
    void mirrorToAnotherHttpServer() throws IOException {
        try (TestServer origin = new TestServer(); TestServer mirror = new TestServer()) {
            origin.serve("/conda-forge/noarch/a-1-0.conda", bytes(10, 99));
            mirror.serve("/cf/noarch/a-1-0.conda", BODY);
            Mirrors mirrors = new Mirrors(Map.of(origin.base() + "/conda-forge", mirror.base() + "/cf/"));
            DownloadRequest r = new DownloadRequest(origin.url("/conda-forge/noarch/a-1-0.conda"), dir.resolve("a-1-0.conda"),
                    Checksums.sha256(sha256(BODY)));
            try (Downloader d = Downloader.builder().mirrors(mirrors).build()) {
                DownloadResult res = d.download(r);
                assertEquals(mirror.url("/cf/noarch/a-1-0.conda"), res.fetchedFrom());
            }
            assertEquals(0, origin.hits("/conda-forge/noarch/a-1-0.conda"));
            assertEquals(1, mirror.hits("/cf/noarch/a-1-0.conda"));
            assertArrayEquals(BODY, Files.readAllBytes(r.target()));
        }
    }

    @Test
    void deletesOnlyStalePartFiles() throws IOException {
        Path pkgs = Files.createDirectories(dir.resolve("pkgs"));
        Path stale = Files.writeString(pkgs.resolve(".a.conda.part-0123456789abcdef"), "x");
        Files.setLastModifiedTime(stale, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path fresh = Files.writeString(pkgs.resolve(".b.conda.part-0123456789abcdef"), "x");
        Path pkg = Files.writeString(pkgs.resolve("a.conda"), "x");
        Files.setLastModifiedTime(pkg, FileTime.from(Instant.now().minus(Duration.ofHours(2))));

        assertEquals(1, Downloader.deleteStalePartFiles(pkgs, Duration.ofHours(1)));
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(fresh) && Files.exists(pkg));
        Files.delete(fresh);
        assertEquals(0, Downloader.deleteStalePartFiles(dir.resolve("missing"), Duration.ZERO));
        assertEquals(List.of(), TestFiles.partFiles(pkgs));
    }
}
