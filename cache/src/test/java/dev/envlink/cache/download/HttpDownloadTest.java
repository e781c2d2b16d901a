package dev.envlink.cache.download;

import static dev.envlink.cache.download.TestFiles.assertNoPartFiles;
import static dev.envlink.cache.download.TestFiles.bytes;
import static dev.envlink.cache.download.TestFiles.md5;
import static dev.envlink.cache.download.TestFiles.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Downloads over HTTP from a local JDK HttpServer on 127.0.0.1. */
class HttpDownloadTest {

    private static final byte[] BODY = bytes(300_000, 1);
    private static final Duration SHORT_STALL = Duration.ofMillis(300);

    @TempDir
    Path dir;
    TestServer server;
    Recorder events;

    @BeforeEach
    void start() throws IOException {
        server = new TestServer();
        events = new Recorder();
    }

    @AfterEach
    void stop() {
        server.close();
        assertNoPartFiles(dir);
    }

    /** Short backoffs so retry tests stay fast. */
    private Downloader.Builder fast() {
        return Downloader.builder()
                .initialBackoff(Duration.ofMillis(10))
                .maxBackoff(Duration.ofMillis(40))
                .stallTimeout(Duration.ofSeconds(10))
                .connectTimeout(Duration.ofSeconds(5))
                .progress(events);
    }

    private DownloadRequest request(String path) {
        return new DownloadRequest(server.url(path), dir.resolve("pkgs").resolve(Path.of(path).getFileName()),
                Checksums.of(sha256(BODY), md5(BODY)));
    }

    private static void headersThenHalf(com.sun.net.httpserver.HttpExchange ex) throws IOException {
        ex.sendResponseHeaders(200, BODY.length);
        OutputStream os = ex.getResponseBody();
        os.write(BODY, 0, BODY.length / 2);
        os.flush();
    }

    private void assertAbsent(DownloadRequest r) {
        assertFalse(Files.exists(r.target()), "target must not exist: " + r.target());
        assertNoPartFiles(dir);
    }

    // ---- success ----

    @Test
    void downloadsVerifiesAndReports() throws IOException {
        server.serve("/c/a-1-0.conda", BODY);
        DownloadRequest r = request("/c/a-1-0.conda");
        try (Downloader d = fast().build()) {
            DownloadResult res = d.download(r);

            assertArrayEquals(BODY, Files.readAllBytes(r.target()));
            assertEquals(BODY.length, res.bytes());
            assertEquals(sha256(BODY), res.sha256());
            assertEquals(md5(BODY), res.md5());
            assertEquals(1, res.attempts());
            assertEquals(r.url(), res.fetchedFrom());
            assertEquals(r, res.request());
            assertFalse(res.elapsed().isNegative());
        }
        List<String> ev = events.events();
        assertEquals("started " + BODY.length, ev.get(0));
        assertEquals("advanced " + BODY.length, ev.get(ev.size() - 2));
        assertEquals("finished " + BODY.length, ev.get(ev.size() - 1));
        assertNoPartFiles(dir);
    }

    @Test
    void withoutChecksumsStillReportsDigests() throws IOException {
        server.serve("/x.tar.bz2", BODY);
        DownloadRequest r = new DownloadRequest(server.url("/x.tar.bz2"), dir.resolve("x.tar.bz2"));
        try (Downloader d = fast().build()) {
            DownloadResult res = d.download(r);
            assertEquals(sha256(BODY), res.sha256());
            assertEquals(md5(BODY), res.md5());
        }
    }

    @Test
    void emptyBody() throws IOException {
        server.serve("/empty", new byte[0]);
        DownloadRequest r = new DownloadRequest(server.url("/empty"), dir.resolve("empty"), Checksums.sha256(sha256(new byte[0])));
        try (Downloader d = fast().build()) {
            assertEquals(0, d.download(r).bytes());
        }
        assertEquals(0, Files.size(r.target()));
    }

    @Test
    void replacesAnExistingTargetAndCreatesDirectories() throws IOException {
        server.serve("/a.conda", BODY);
        Path target = dir.resolve("deep/er/a.conda");
        Files.createDirectories(target.getParent());
        Files.writeString(target, "old");
        try (Downloader d = fast().build()) {
            d.download(new DownloadRequest(server.url("/a.conda"), target));
        }
        assertArrayEquals(BODY, Files.readAllBytes(target));
    }

    @Test
    void followsRedirects() throws IOException {
        server.serve("/new/a.conda", BODY);
        server.on("/old/a.conda", (ex, n) -> {
            ex.getResponseHeaders().set("Location", "/new/a.conda");
            TestServer.send(ex, 302, new byte[0]);
        });
        DownloadRequest r = request("/old/a.conda");
        try (Downloader d = fast().build()) {
            DownloadResult res = d.download(r);
            assertEquals(server.url("/new/a.conda"), res.fetchedFrom());
            assertEquals(1, res.attempts());
        }
        assertArrayEquals(BODY, Files.readAllBytes(r.target()));
    }

    // ---- transient failures: retried ----

    @Test
    void retriesServiceUnavailableThenSucceeds() throws IOException {
        server.on("/a.conda", (ex, n) -> {
            if (n <= 2) {
                TestServer.status(ex, 503);
            } else {
                TestServer.send(ex, 200, BODY);
            }
        });
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().build()) {
            DownloadResult res = d.download(r);
            assertEquals(3, res.attempts());
        }
        assertEquals(3, server.hits("/a.conda"));
        assertArrayEquals(BODY, Files.readAllBytes(r.target()));
        assertEquals(2, events.count("retrying"));
        assertTrue(events.events().get(0).contains("HTTP 503 Service Unavailable"), events.events().toString());
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 504})
    void retriesTransientStatuses(int status) throws IOException {
        server.on("/a.conda", (ex, n) -> {
            if (n == 1) {
                TestServer.status(ex, status);
            } else {
                TestServer.send(ex, 200, BODY);
            }
        });
        try (Downloader d = fast().build()) {
            assertEquals(2, d.download(request("/a.conda")).attempts());
        }
    }

    @Test
    void givesUpAfterMaxAttemptsWithEarlierFailuresSuppressed() {
        server.on("/a.conda", (ex, n) -> TestServer.status(ex, 503));
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().maxAttempts(3).build()) {
            DownloadException e = assertThrows(DownloadException.class, () -> d.download(r));
            assertEquals(3, e.attempts());
            assertEquals(503, e.statusCode());
            assertTrue(e.retriesExhausted());
            assertEquals(2, e.getSuppressed().length);
            assertTrue(e.getMessage().contains(r.url().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("after 3 attempts: HTTP 503"), e.getMessage());
            assertEquals(r.url(), e.url());
        }
        assertEquals(3, server.hits("/a.conda"));
        assertAbsent(r);
        assertEquals(1, events.count("failed"));
    }

    @Test
    void tooManyRequestsHonoursRetryAfterZero() throws IOException {
        server.on("/a.conda", (ex, n) -> {
            if (n == 1) {
                ex.getResponseHeaders().set("Retry-After", "0");
                TestServer.status(ex, 429);
            } else {
                TestServer.send(ex, 200, BODY);
            }
        });
        DownloadRequest r = request("/a.conda");
        // A 10 s backoff would time the test out: Retry-After must replace it.
        try (Downloader d = fast().initialBackoff(Duration.ofSeconds(10)).maxBackoff(Duration.ofSeconds(10)).build()) {
            DownloadResult res = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> d.download(r));
            assertEquals(2, res.attempts());
        }
        assertEquals(List.of(Duration.ZERO), events.delays);
    }

    @Test
    void retryAfterLongerThanTheLimitFailsAtOnce() {
        server.on("/a.conda", (ex, n) -> {
            ex.getResponseHeaders().set("Retry-After", "3600");
            TestServer.status(ex, 503);
        });
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().maxRetryAfter(Duration.ofSeconds(5)).build()) {
            DownloadException e = assertThrows(DownloadException.class, () -> d.download(r));
            assertEquals(1, e.attempts());
            assertTrue(e.getMessage().contains("Retry-After 3600"), e.getMessage());
        }
        assertEquals(1, server.hits("/a.conda"));
        assertAbsent(r);
    }

    @Test
    void stallMidBodyFailsTheAttemptThenRetrySucceeds() throws IOException {
        server.on("/a.conda", (ex, n) -> {
            if (n == 1) {
                headersThenHalf(ex);
                server.stall();
            } else {
                TestServer.send(ex, 200, BODY);
            }
        });
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().stallTimeout(SHORT_STALL).build()) {
            DownloadResult res = assertTimeoutPreemptively(Duration.ofSeconds(8), () -> d.download(r));
            assertEquals(2, res.attempts());
        }
        assertArrayEquals(BODY, Files.readAllBytes(r.target()));
        String retry = events.events().stream().filter(e -> e.startsWith("retrying")).findFirst().orElseThrow();
        assertTrue(retry.contains("stalled: nothing received for 300 ms (after " + BODY.length / 2 + " bytes"), retry);
    }

    @Test
    void stallBeforeHeadersFailsTheAttemptThenRetrySucceeds() throws IOException {
        server.on("/a.conda", (ex, n) -> {
            if (n == 1) {
                server.stall();
            }
            TestServer.send(ex, 200, BODY);
        });
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().stallTimeout(SHORT_STALL).build()) {
            DownloadResult res = assertTimeoutPreemptively(Duration.ofSeconds(8), () -> d.download(r));
            assertEquals(2, res.attempts());
        }
        assertTrue(events.events().toString().contains("waiting for the response headers"), events.events().toString());
    }

    @Test
    void stallingEveryTimeFails() {
        server.on("/a.conda", (ex, n) -> {
            headersThenHalf(ex);
            server.stall();
        });
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().stallTimeout(SHORT_STALL).maxAttempts(2).build()) {
            DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(8),
                    () -> assertThrows(DownloadException.class, () -> d.download(r)));
            assertEquals(2, e.attempts());
            assertTrue(e.getMessage().contains("stalled"), e.getMessage());
            assertTrue(e.retriesExhausted());
        }
        assertAbsent(r);
    }

    @Test
    void connectionClosedEarlyIsRetried() throws IOException {
        server.on("/a.conda", (ex, n) -> {
            if (n == 1) {
                headersThenHalf(ex); // the exchange is closed short of Content-Length: the server drops the connection
            } else {
                TestServer.send(ex, 200, BODY);
            }
        });
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().build()) {
            assertEquals(2, d.download(r).attempts());
        }
        assertArrayEquals(BODY, Files.readAllBytes(r.target()));
        String retry = events.events().stream().filter(e -> e.startsWith("retrying")).findFirst().orElseThrow();
        assertTrue(retry.startsWith("retrying 1 network error: ") && retry.contains("150000"), retry);
    }

    @Test
    void truncatedEveryTimeFails() {
        server.on("/a.conda", (ex, n) -> headersThenHalf(ex));
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().maxAttempts(2).build()) {
            DownloadException e = assertThrows(DownloadException.class, () -> d.download(r));
            assertEquals(2, e.attempts());
            assertTrue(e.retriesExhausted());
        }
        assertEquals(2, server.hits("/a.conda"));
        assertAbsent(r);
    }

    @Test
    void connectionRefusedIsRetriedThenFails() throws IOException {
        URI dead;
        try (TestServer gone = new TestServer()) {
            dead = gone.url("/a.conda");
        }
        DownloadRequest r = new DownloadRequest(dead, dir.resolve("a.conda"));
        try (Downloader d = fast().maxAttempts(3).build()) {
            DownloadException e = assertThrows(DownloadException.class, () -> d.download(r));
            assertEquals(3, e.attempts());
            assertEquals(-1, e.statusCode());
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
            assertInstanceOf(IOException.class, e.getCause());
        }
        assertAbsent(r);
        assertEquals(0, events.count("started"));
    }

    // ---- permanent failures: not retried ----

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 410})
    void clientErrorsFailImmediately(int status) {
        server.on("/a.conda", (ex, n) -> TestServer.status(ex, status));
        DownloadRequest r = request("/a.conda");
        // A retry would wait 5 s and time out.
        try (Downloader d = fast().initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(5)).build()) {
            DownloadException e = assertTimeoutPreemptively(Duration.ofSeconds(3),
                    () -> assertThrows(DownloadException.class, () -> d.download(r)));
            assertEquals(1, e.attempts());
            assertEquals(status, e.statusCode());
            assertFalse(e.retriesExhausted());
            assertTrue(e.getMessage().contains(r.url() + " failed: HTTP " + status), e.getMessage());
            assertTrue(e.getMessage().endsWith("(not retried)"), e.getMessage());
        }
        assertEquals(1, server.hits("/a.conda"));
        assertAbsent(r);
        assertEquals(List.of("failed"), events.events().stream().map(s -> s.split(" ")[0]).toList());
    }

    @Test
    void failureLeavesAnExistingTargetAlone() throws IOException {
        server.on("/a.conda", (ex, n) -> TestServer.status(ex, 404));
        Path target = dir.resolve("a.conda");
        Files.writeString(target, "previous");
        try (Downloader d = fast().build()) {
            assertThrows(DownloadException.class, () -> d.download(new DownloadRequest(server.url("/a.conda"), target)));
        }
        assertEquals("previous", Files.readString(target));
    }

    @Test
    void checksumMismatchNamesUrlAndHashesRetriesOnceAndLeavesNothing() {
        byte[] wrong = bytes(BODY.length, 2);
        server.serve("/a.conda", wrong);
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().build()) {
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> d.download(r));
            assertEquals(2, e.attempts());
            assertEquals("sha256", e.algorithm());
            assertEquals(sha256(BODY), e.expected());
            assertEquals(sha256(wrong), e.actual());
            assertEquals(wrong.length, e.bytes());
            String m = e.getMessage();
            assertTrue(m.contains(r.url().toString()), m);
            assertTrue(m.contains(sha256(BODY)), m);
            assertTrue(m.contains(sha256(wrong)), m);
        }
        assertEquals(2, server.hits("/a.conda"));
        assertAbsent(r);
    }

    @Test
    void md5MismatchWhenOnlyMd5IsKnown() {
        server.serve("/a.conda", bytes(1000, 3));
        DownloadRequest r = new DownloadRequest(server.url("/a.conda"), dir.resolve("a.conda"), Checksums.md5(md5(BODY)));
        try (Downloader d = fast().maxAttempts(1).build()) {
            ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> d.download(r));
            assertEquals("md5", e.algorithm());
            assertEquals(1, e.attempts());
        }
        assertAbsent(r);
    }

    @Test
    void aBadCopyOnceIsHealedByTheRetry() throws IOException {
        server.on("/a.conda", (ex, n) -> TestServer.send(ex, 200, n == 1 ? bytes(BODY.length, 4) : BODY));
        DownloadRequest r = request("/a.conda");
        try (Downloader d = fast().build()) {
            assertEquals(2, d.download(r).attempts());
        }
        assertArrayEquals(BODY, Files.readAllBytes(r.target()));
    }

    @Test
    void unsupportedSchemeIsAClearError() {
        DownloadRequest r = new DownloadRequest(URI.create("ftp://example.org/a.conda"), dir.resolve("a.conda"));
        try (Downloader d = fast().build()) {
            DownloadException e = assertThrows(DownloadException.class, () -> d.download(r));
            assertTrue(e.getMessage().contains("unsupported URL scheme 'ftp'"), e.getMessage());
            assertTrue(e.getMessage().contains("ftp://example.org/a.conda"), e.getMessage());
        }
        assertAbsent(r);
        assertEquals(1, events.count("failed"));
    }

    @Test
    void closedDownloaderRefuses() {
        Downloader d = fast().build();
        d.close();
        assertThrows(IllegalStateException.class, () -> d.download(request("/a.conda")));
    }

    // ---- interruption and concurrency ----

    @Test
    void interruptionStopsTheDownloadAndLeavesNothing() throws Exception {
        CountDownLatch inBody = new CountDownLatch(1);
        server.on("/a.conda", (ex, n) -> {
            headersThenHalf(ex);
            inBody.countDown();
            server.stall();
        });
        DownloadRequest r = request("/a.conda");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        try (Downloader d = fast().stallTimeout(Duration.ofSeconds(20)).build()) {
            Thread t = new Thread(() -> {
                try {
                    d.download(r);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            assertTrue(inBody.await(5, TimeUnit.SECONDS));
            t.interrupt();
            t.join(5000);
            assertFalse(t.isAlive());
        }
        assertInstanceOf(InterruptedIOException.class, thrown.get());
        assertAbsent(r);
    }

    @Test
    void oneDownloaderServesManyThreads() throws Exception {
        for (int i = 0; i < 8; i++) {
            server.serve("/p" + i + ".conda", BODY);
        }
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (Downloader d = fast().build()) {
            for (int i = 0; i < 8; i++) {
                DownloadRequest r = request("/p" + i + ".conda");
                Thread t = new Thread(() -> {
                    try {
                        d.download(r);
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(10_000);
            }
        }
        assertEquals(List.of(), errors);
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(BODY, Files.readAllBytes(dir.resolve("pkgs/p" + i + ".conda")));
        }
    }
}
