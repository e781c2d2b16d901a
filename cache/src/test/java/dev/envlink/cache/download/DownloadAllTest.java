package dev.envlink.cache.download;

import static dev.envlink.cache.download.TestFiles.assertNoPartFiles;
import static dev.envlink.cache.download.TestFiles.bytes;
import static dev.envlink.cache.download.TestFiles.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownloadAllTest {

    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws IOException {
        server = new TestServer();
    }

    @AfterEach
    void stop() {
        server.close();
        assertNoPartFiles(dir);
    }

    private static Downloader.Builder fast() {
        return Downloader.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(40));
    }

    /** Serves body i on /p{i}.conda, slowly enough that parallel requests overlap. */
    private List<DownloadRequest> sixPackages(int missing) {
        List<DownloadRequest> rs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] body = bytes(50_000 + i, i);
            String path = "/p" + i + ".conda";
            if (i == missing) {
                server.on(path, (ex, n) -> TestServer.status(ex, 404));
            } else {
                server.on(path, (ex, n) -> {
                    sleep(60);
                    TestServer.send(ex, 200, body);
                });
            }
            rs.add(new DownloadRequest(server.url(path), dir.resolve("pkgs/p" + i + ".conda"), Checksums.sha256(sha256(body))));
        }
        return rs;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void downloadsAllInRequestOrderWithBoundedParallelism() throws IOException {
        List<DownloadRequest> rs = sixPackages(-1);
        try (Downloader d = fast().parallelism(2).build()) {
            List<DownloadResult> results = d.downloadAll(rs);
            assertEquals(rs, results.stream().map(DownloadResult::request).toList());
        }
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(bytes(50_000 + i, i), Files.readAllBytes(rs.get(i).target()));
        }
        assertTrue(server.maxActive.get() <= 2, "max concurrent requests " + server.maxActive.get());
    }

    @Test
    void oneFailureFailsTheBatchButKeepsTheOthers() {
        List<DownloadRequest> rs = sixPackages(3);
        try (Downloader d = fast().parallelism(2).build()) {
            DownloadBatchException e = assertThrows(DownloadBatchException.class, () -> d.downloadAll(rs));
            String m = e.getMessage();
            assertTrue(m.startsWith("1 of 6 downloads failed: "), m);
            assertTrue(m.contains(rs.get(3).url() + ": HTTP 404 Not Found"), m);
            assertEquals(1, e.getSuppressed().length);
            DownloadException cause = assertInstanceOf(DownloadException.class, e.getSuppressed()[0]);
            assertEquals(404, cause.statusCode());
            assertEquals(List.of(rs.get(3)), List.copyOf(e.failures().keySet()));
            assertEquals(5, e.succeeded().size());
        }
        for (int i = 0; i < 6; i++) {
            assertEquals(i != 3, Files.exists(rs.get(i).target()), rs.get(i).target().toString());
        }
        assertEquals(1, server.hits("/p3.conda"));
        assertTrue(server.maxActive.get() <= 2, "max concurrent requests " + server.maxActive.get());
    }

    @Test
    void severalFailuresAreAllNamed() {
        server.on("/gone.conda", (ex, n) -> TestServer.status(ex, 410));
        server.on("/bad.conda", (ex, n) -> TestServer.send(ex, 200, new byte[] {1, 2, 3}));
        List<DownloadRequest> rs = List.of(
                new DownloadRequest(server.url("/gone.conda"), dir.resolve("gone.conda")),
                new DownloadRequest(server.url("/bad.conda"), dir.resolve("bad.conda"), Checksums.sha256(sha256(new byte[] {9}))));
        try (Downloader d = fast().build()) {
            DownloadBatchException e = assertThrows(DownloadBatchException.class, () -> d.downloadAll(rs));
            assertTrue(e.getMessage().contains(rs.get(0).url() + ": HTTP 410 Gone"), e.getMessage());
            assertTrue(e.getMessage().contains(rs.get(1).url() + ": checksum mismatch"), e.getMessage());
            assertInstanceOf(ChecksumMismatchException.class, e.getSuppressed()[1]);
        }
        assertFalse(Files.exists(dir.resolve("gone.conda")));
        assertFalse(Files.exists(dir.resolve("bad.conda")));
    }

    @Test
    void emptyAndDuplicateTargets() throws IOException {
        try (Downloader d = fast().build()) {
            assertEquals(List.of(), d.downloadAll(List.of()));
            DownloadRequest a = new DownloadRequest(server.url("/a"), dir.resolve("x"));
            DownloadRequest b = new DownloadRequest(server.url("/b"), dir.resolve("sub/../x"));
            assertThrows(IllegalArgumentException.class, () -> d.downloadAll(List.of(a, b)));
        }
    }

    @Test
    void interruptingTheCallerStopsEverythingAndLeavesNoPartFiles() throws Exception {
        CountDownLatch twoInBody = new CountDownLatch(2);
        List<DownloadRequest> rs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String path = "/s" + i + ".conda";
            server.on(path, (ex, n) -> {
                ex.sendResponseHeaders(200, 1000);
                ex.getResponseBody().write(new byte[500]);
                ex.getResponseBody().flush();
                twoInBody.countDown();
                server.stall();
            });
            rs.add(new DownloadRequest(server.url(path), dir.resolve("s" + i + ".conda")));
        }
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Downloader d = fast().parallelism(2).stallTimeout(Duration.ofSeconds(20)).build()) {
            Thread t = new Thread(() -> {
                try {
                    d.downloadAll(rs);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            assertTrue(twoInBody.await(5, TimeUnit.SECONDS));
            t.interrupt();
            t.join(5000);
            assertFalse(t.isAlive());
            assertInstanceOf(InterruptedIOException.class, thrown.get());
            assertNoPartFiles(dir);
        }
        for (DownloadRequest r : rs) {
            assertFalse(Files.exists(r.target()));
        }
        assertEquals(0, server.hits("/s2.conda") + server.hits("/s3.conda"), "queued downloads must not start");
    }
}
