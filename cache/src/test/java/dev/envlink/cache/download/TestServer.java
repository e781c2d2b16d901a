package dev.envlink.cache.download;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HttpServer on 127.0.0.1, an ephemeral port, for one test. Counts requests per path;
 * handlers that stall wait on {@link #release} (at most 10 s) which {@link #close} opens.
 */
final class TestServer implements AutoCloseable {

    /** Handles the n-th (from 1) request to its path. */
    interface Handler {
        void handle(HttpExchange ex, int n) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-http");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger maxActive = new AtomicInteger();

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.setExecutor(executor);
        server.start();
    }

    TestServer on(String path, Handler h) {
        AtomicInteger count = hits.computeIfAbsent(path, p -> new AtomicInteger());
        server.createContext(path, (HttpHandler) ex -> {
            int now = active.incrementAndGet();
            maxActive.accumulateAndGet(now, Math::max);
            try {
                ex.getRequestBody().readAllBytes();
                h.handle(ex, count.incrementAndGet());
            } catch (IOException e) {
                // client went away or the handler cut the response short on purpose
            } finally {
                active.decrementAndGet();
                try {
                    ex.close();
                } catch (RuntimeException e) {
                    // already closed
                }
            }
        });
        return this;
    }

    /** Serves {@code body} on every request. */
    TestServer serve(String path, byte[] body) {
        return on(path, (ex, n) -> send(ex, 200, body));
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    int hits(String path) {
        AtomicInteger c = hits.get(path);
        return c == null ? 0 : c.get();
    }

    /** Blocks a handler until the test ends (bounded). */
    void stall() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(body);
        }
    }

    static void status(HttpExchange ex, int status) throws IOException {
        byte[] msg = ("status " + status).getBytes();
        ex.sendResponseHeaders(status, msg.length);
        ex.getResponseBody().write(msg);
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
