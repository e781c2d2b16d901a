package dev.envlink.cache.download;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Fetches package files over http(s) or from file:// URLs into place, verified and atomically.
 *
 * <p>Every download, from any scheme, goes the same way: the bytes are written to
 * {@code .<name>.part-<random>} in the target's directory and hashed (SHA-256 and MD5) while
 * written; then the size is checked against Content-Length, the digests against the expected
 * {@link Checksums}, the part file is fsynced and renamed over the target. The target path never
 * shows a partial or unverified file, and the part file is deleted on every failure, exception or
 * interruption.
 *
 * <p>Retries, with exponential backoff and jitter ({@link Builder#initialBackoff}, capped by
 * {@link Builder#maxBackoff}), happen only for transient failures: connection refused or reset,
 * connect timeouts, stalls (no byte for {@link Builder#stallTimeout}), truncated bodies, HTTP 408,
 * 429, 500, 502, 503 and 504. A Retry-After (seconds or date) on those is honoured instead of the
 * backoff when it is at most {@link Builder#maxRetryAfter}; a longer one fails at once. Other
 * statuses (401, 403, 404, other 4xx, unfollowed redirects), unsupported schemes, missing or
 * unreadable file:// sources, TLS certificate errors and local write errors fail immediately.
 *
 * <p>Checksum mismatch: retried <em>once</em> when fetched over http(s) (a flaky proxy, CDN node or
 * mirror that is mid-sync can serve a bad copy once; two identical failures mean the index or the
 * server really disagree, so more attempts would only waste bandwidth), never for file:// sources
 * (reading the same file again gives the same bytes). The retry counts towards
 * {@link Builder#maxAttempts}.
 *
 * <p>A mirror replaces the original URL (see {@link Mirrors}); there is no fallback to the original.
 *
 * <p>Thread-safe: {@link #download} may be called from many threads at once (each call runs in
 * the caller's thread); {@link #downloadAll} runs its requests on a pool of
 * {@link Builder#parallelism} threads shared by all concurrent {@code downloadAll} calls.
 */
public final class Downloader implements AutoCloseable {

    private static final Set<String> SCHEMES = Set.of("http", "https", "file");
    private static final int FILE_BUFFER = 256 * 1024;
    private static final AtomicInteger POOLS = new AtomicInteger();

    /**
     * Built on the first HTTP request: its selector thread sits in native code, and the JVM's exit
     * waits (~0.3 s) for such threads, so an install that downloads nothing must not start one.
     */
    private final java.util.function.Supplier<HttpClient> clientFactory;
    private HttpClient client;
    private final int parallelism;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration stallTimeout;
    private final Duration maxRetryAfter;
    private final Duration maxAttemptDuration;
    private final Mirrors mirrors;
    private final ProgressListener progress;
    private final String userAgent;
    private final ThreadPoolExecutor pool;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Downloader(Builder b) {
        this.parallelism = b.parallelism;
        this.maxAttempts = b.maxAttempts;
        this.initialBackoff = b.initialBackoff;
        this.maxBackoff = b.maxBackoff;
        this.stallTimeout = b.stallTimeout;
        this.maxRetryAfter = b.maxRetryAfter;
        this.maxAttemptDuration = b.maxAttemptDuration;
        this.mirrors = b.mirrors;
        this.progress = b.progress;
        this.userAgent = b.userAgent;
        if (b.httpClient != null) {
            HttpClient given = b.httpClient;
            this.clientFactory = () -> given;
        } else {
            Duration connectTimeout = b.connectTimeout;
            java.net.ProxySelector proxy = b.proxy;
            this.clientFactory = () -> {
                HttpClient.Builder hb = HttpClient.newBuilder()
                        .followRedirects(HttpClient.Redirect.NORMAL)
                        .version(HttpClient.Version.HTTP_2)
                        .connectTimeout(connectTimeout);
                if (proxy != null) {
                    hb.proxy(proxy);
                }
                return hb.build();
            };
        }
        int id = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(parallelism, parallelism, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "envlink-download-" + id + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.pool.allowCoreThreadTimeOut(true);
    }

    private synchronized HttpClient client() {
        if (client == null) {
            client = clientFactory.get();
        }
        return client;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A downloader with the defaults. */
    public static Downloader create() {
        return builder().build();
    }

    public int parallelism() {
        return parallelism;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Mirrors mirrors() {
        return mirrors;
    }

    // ------------------------------------------------------------------ single download

    /**
     * Downloads one file into {@code r.target()}, retrying transient failures.
     *
     * @throws DownloadException          when it gave up (a {@link ChecksumMismatchException} for a
     *                                    content mismatch); nothing is at the target path then
     *                                    (an existing file there is left as it was)
     * @throws InterruptedIOException     when the thread was interrupted (its flag stays set)
     * @throws IllegalStateException      when the downloader is closed
     */
    public DownloadResult download(DownloadRequest r) throws IOException {
        Objects.requireNonNull(r, "request");
        ensureOpen();
        long start = System.nanoTime();
        try {
            return downloadWithRetries(r, start);
        } catch (DownloadException | InterruptedIOException e) {
            progress.failed(r, e);
            throw e;
        }
    }

    private DownloadResult downloadWithRetries(DownloadRequest r, long start) throws IOException {
        URI source = mirrors.resolve(r.url());
        String scheme = source.getScheme() == null ? "" : source.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new DownloadException(r.url(), source, 1, -1, false,
                    "unsupported URL scheme '" + source.getScheme() + "': only http, https and file URLs can be downloaded",
                    null);
        }
        boolean isFile = scheme.equals("file");
        List<AttemptFailure> earlier = new ArrayList<>();
        int checksumRetries = 0;
        for (int attempt = 1; ; attempt++) {
            try {
                Fetched f = isFile ? fetchFile(r, source) : fetchHttp(r, source, scheme);
                DownloadResult result = new DownloadResult(r, f.from(), f.bytes(), f.sha256(), f.md5(), attempt,
                        Duration.ofNanos(System.nanoTime() - start));
                progress.finished(result);
                return result;
            } catch (AttemptFailure f) {
                boolean retry = attempt < maxAttempts;
                if (f.kind == AttemptFailure.Kind.PERMANENT) {
                    retry = false;
                } else if (f.kind == AttemptFailure.Kind.CHECKSUM) {
                    retry &= !isFile && checksumRetries++ == 0;
                }
                if (!retry) {
                    throw finalFailure(r, source, attempt, f, earlier);
                }
                earlier.add(f);
                Duration delay = f.retryAfter != null ? f.retryAfter
                        : RetryPolicy.backoff(attempt, initialBackoff, maxBackoff, ThreadLocalRandom.current().nextDouble());
                progress.retrying(r, attempt, f, delay);
                sleep(delay, r);
            }
        }
    }

    private DownloadException finalFailure(DownloadRequest r, URI source, int attempts, AttemptFailure f,
                                           List<AttemptFailure> earlier) {
        URI from = f.from != null ? f.from : source;
        DownloadException e;
        if (f.kind == AttemptFailure.Kind.CHECKSUM) {
            boolean retried = attempts > 1;
            e = new ChecksumMismatchException(r.url(), from, attempts, retried, f.algorithm, f.expected, f.actual, f.bytes);
        } else {
            boolean exhausted = f.kind == AttemptFailure.Kind.TRANSIENT;
            e = new DownloadException(r.url(), from, attempts, f.status, exhausted, f.reason(), f.getCause());
        }
        earlier.forEach(e::addSuppressed);
        return e;
    }

    private static void sleep(Duration d, DownloadRequest r) throws InterruptedIOException {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(d.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(r.url());
        }
    }

    private static InterruptedIOException interrupted(URI url) {
        return new InterruptedIOException("interrupted while downloading " + url);
    }

    private record Fetched(URI from, long bytes, String sha256, String md5) {
    }

    // ------------------------------------------------------------------ one attempt: file://

    private Fetched fetchFile(DownloadRequest r, URI source) throws AttemptFailure, InterruptedIOException {
        Path path;
        try {
            path = Path.of(source);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw AttemptFailure.permanent("invalid file URL: " + e.getMessage(), e, source);
        }
        if (!Files.isRegularFile(path)) {
            throw AttemptFailure.permanent(Files.exists(path) ? "not a regular file: " + path : "no such file: " + path,
                    null, source);
        }
        FileChannel in;
        try {
            in = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw AttemptFailure.permanent("no such file: " + path, e, source);
        } catch (IOException e) {
            throw AttemptFailure.permanent("cannot open " + path + ": " + describe(e), e, source);
        }
        try (in; PartFile part = openPart(r, source)) {
            long size;
            try {
                size = in.size();
            } catch (IOException e) {
                size = -1;
            }
            progress.started(r, size);
            ByteBuffer buf = ByteBuffer.allocateDirect(FILE_BUFFER);
            long deadline = System.nanoTime() + maxAttemptDuration.toNanos();
            // Bounded by the size of a regular file, and by maxAttemptDuration should it keep growing.
            while (true) {
                buf.clear();
                int n;
                try {
                    n = in.read(buf);
                } catch (ClosedByInterruptException e) {
                    throw interrupted(r.url());
                } catch (IOException e) {
                    throw AttemptFailure.permanent("cannot read " + path + ": " + describe(e), e, source);
                }
                if (n < 0) {
                    break;
                }
                buf.flip();
                try {
                    part.write(buf);
                } catch (ClosedByInterruptException e) {
                    throw interrupted(r.url());
                } catch (IOException e) {
                    throw AttemptFailure.permanent("cannot write " + part.path() + ": " + describe(e), e, source);
                }
                progress.advanced(r, part.bytes());
                if (System.nanoTime() - deadline > 0) {
                    throw AttemptFailure.permanent("reading " + path + " took longer than " + RetryPolicy.human(maxAttemptDuration), null, source);
                }
            }
            return finish(r, part, source);
        } catch (IOException e) {
            // the body throws only these two; anything else comes from in.close()
            if (e instanceof AttemptFailure a) {
                throw a;
            }
            if (e instanceof InterruptedIOException i) {
                throw i;
            }
            throw AttemptFailure.permanent("cannot close " + path + ": " + describe(e), e, source);
        }
    }

    // ------------------------------------------------------------------ one attempt: http(s)

    private Fetched fetchHttp(DownloadRequest r, URI source, String scheme) throws AttemptFailure, InterruptedIOException {
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(source).GET()
                    .header("User-Agent", userAgent)
                    .header("Accept-Encoding", "identity");
            if (scheme.equals("http")) {
                // No h2c upgrade dance over plain http: mirrors on the LAN are HTTP/1.1 servers.
                b.version(HttpClient.Version.HTTP_1_1);
            }
            request = b.build();
        } catch (IllegalArgumentException e) {
            throw AttemptFailure.permanent("invalid URL: " + e.getMessage(), e, source);
        }
        try (PartFile part = openPart(r, source)) {
            Sink sink = new Sink(r, part);
            CompletableFuture<HttpResponse<Long>> response;
            try {
                response = client().sendAsync(request, sink::handle);
            } catch (IllegalArgumentException e) {
                throw AttemptFailure.permanent("invalid URL: " + e.getMessage(), e, source);
            }
            HttpResponse<Long> resp = await(response, sink, source, r);
            URI from = resp.uri();
            int status = resp.statusCode();
            if (!RetryPolicy.isSuccess(status)) {
                throw statusFailure(status, resp.headers(), from);
            }
            long received = resp.body();
            OptionalLong length = contentLength(resp.headers());
            if (length.isPresent() && length.getAsLong() != received) {
                throw AttemptFailure.transientFailure("truncated: received " + received + " of "
                        + length.getAsLong() + " bytes (Content-Length)", null, from);
            }
            return finish(r, part, from);
        }
    }

    /**
     * Waits for the response and its body, failing the attempt when nothing arrives for
     * {@code stallTimeout}. Each pass of the loop either returns, fails, or saw data within the
     * stall timeout; {@code maxAttemptDuration} bounds the whole.
     */
    private HttpResponse<Long> await(CompletableFuture<HttpResponse<Long>> response, Sink sink, URI source,
                                     DownloadRequest r) throws AttemptFailure, InterruptedIOException {
        long stallNanos = stallTimeout.toNanos();
        long pollMillis = Math.max(5, Math.min(500, stallTimeout.toMillis() / 5));
        long deadline = System.nanoTime() + maxAttemptDuration.toNanos();
        try {
            while (true) {
                try {
                    return response.get(pollMillis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException notYet) {
                    long now = System.nanoTime();
                    AttemptFailure f = null;
                    if (now - sink.lastActivity() >= stallNanos) {
                        f = AttemptFailure.transientFailure("stalled: nothing received for "
                                + RetryPolicy.human(stallTimeout) + " " + sink.stage(), null, source);
                    } else if (now - deadline > 0) {
                        f = AttemptFailure.transientFailure("took longer than " + RetryPolicy.human(maxAttemptDuration)
                                + " " + sink.stage(), null, source);
                    }
                    if (f != null) {
                        sink.abort(f);
                        response.cancel(true);
                        throw f;
                    }
                }
            }
        } catch (InterruptedException e) {
            InterruptedIOException x = interrupted(r.url());
            sink.abort(x);
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw x;
        } catch (ExecutionException | CompletionException e) {
            AttemptFailure f = classify(e.getCause() == null ? e : e.getCause(), source);
            sink.abort(f);
            throw f;
        }
    }

    private AttemptFailure statusFailure(int status, HttpHeaders headers, URI from) {
        String reason = RetryPolicy.describeStatus(status);
        if (status / 100 == 3) {
            reason += " (redirect not followed" + headers.firstValue("Location").map(l -> " to " + l).orElse("") + ")";
        }
        if (!RetryPolicy.isTransientStatus(status)) {
            return AttemptFailure.status(false, status, reason, from, null);
        }
        Optional<Duration> retryAfter = headers.firstValue("Retry-After")
                .flatMap(v -> RetryPolicy.parseRetryAfter(v, Instant.now()));
        if (retryAfter.isPresent() && retryAfter.get().compareTo(maxRetryAfter) > 0) {
            return AttemptFailure.status(false, status, reason + " with Retry-After "
                    + headers.firstValue("Retry-After").orElse("") + ", longer than the "
                    + RetryPolicy.human(maxRetryAfter) + " this downloader waits", from, null);
        }
        return AttemptFailure.status(true, status, reason, from, retryAfter.orElse(null));
    }

    private static AttemptFailure classify(Throwable t, URI source) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof AttemptFailure f) {
                return f;
            }
        }
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof HttpConnectTimeoutException) {
            return AttemptFailure.transientFailure("connect timed out: " + describe(c), c, source);
        }
        if (c instanceof HttpTimeoutException) {
            return AttemptFailure.transientFailure("timed out: " + describe(c), c, source);
        }
        if (c instanceof ConnectException) {
            return AttemptFailure.transientFailure("cannot connect: " + describe(c), c, source);
        }
        if (causedBy(c, CertificateException.class) || causedBy(c, SSLPeerUnverifiedException.class)) {
            return AttemptFailure.permanent("TLS certificate not accepted: " + describe(c), c, source);
        }
        if (c instanceof IOException) {
            return AttemptFailure.transientFailure("network error: " + describe(c), c, source);
        }
        return AttemptFailure.permanent("unexpected error: " + describe(c), c, source);
    }

    private static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    /** "ConnectException: Connection refused", following causes when the message is empty. */
    static String describe(Throwable t) {
        StringBuilder b = new StringBuilder();
        Throwable c = t;
        for (int depth = 0; c != null && depth < 4; depth++, c = c.getCause()) {
            if (b.length() > 0) {
                b.append(": ");
            }
            b.append(c.getClass().getSimpleName());
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                b.append(": ").append(c.getMessage());
                break;
            }
        }
        return b.toString();
    }

    private static OptionalLong contentLength(HttpHeaders headers) {
        try {
            return headers.firstValueAsLong("Content-Length");
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * Receives the body into the part file. The HTTP client calls {@link #handle} with the status
     * and headers, then (for a success) the subscriber methods; the downloading thread may
     * {@link #abort} at any time, after which nothing more is written.
     */
    private final class Sink implements HttpResponse.BodySubscriber<Long> {
        private final DownloadRequest request;
        private final PartFile part;
        private final CompletableFuture<Long> body = new CompletableFuture<>();
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean headersSeen;
        private Flow.Subscription subscription; // guarded by this
        private boolean done;                   // guarded by this

        Sink(DownloadRequest request, PartFile part) {
            this.request = request;
            this.part = part;
        }

        long lastActivity() {
            return lastActivity;
        }

        String stage() {
            return headersSeen ? "(after " + part.bytes() + " bytes of the body)" : "(waiting for the response headers)";
        }

        HttpResponse.BodySubscriber<Long> handle(HttpResponse.ResponseInfo info) {
            lastActivity = System.nanoTime();
            headersSeen = true;
            if (!RetryPolicy.isSuccess(info.statusCode())) {
                return new Discard();
            }
            progress.started(request, contentLength(info.headers()).orElse(-1));
            return this;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (this) {
                if (done || subscription != null) {
                    s.cancel();
                    return;
                }
                subscription = s;
            }
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            Flow.Subscription s;
            long bytes;
            synchronized (this) {
                if (done) {
                    return;
                }
                try {
                    for (ByteBuffer b : items) {
                        part.write(b);
                    }
                } catch (IOException e) {
                    done = true;
                    subscription.cancel();
                    body.completeExceptionally(AttemptFailure.permanent(
                            "cannot write " + part.path() + ": " + describe(e), e, null));
                    return;
                }
                s = subscription;
                bytes = part.bytes();
            }
            lastActivity = System.nanoTime();
            progress.advanced(request, bytes);
            s.request(1);
        }

        @Override
        public void onError(Throwable t) {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            long bytes;
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                bytes = part.bytes();
            }
            body.complete(bytes);
        }

        @Override
        public CompletableFuture<Long> getBody() {
            return body;
        }

        /** Stops receiving; when this returns, no more bytes will be written. */
        void abort(IOException why) {
            Flow.Subscription s;
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
                s = subscription;
            }
            if (s != null) {
                s.cancel();
            }
            body.completeExceptionally(why);
        }
    }

    /** Body of an error response: not read (the connection is closed instead). */
    private static final class Discard implements HttpResponse.BodySubscriber<Long> {
        private final CompletableFuture<Long> body = CompletableFuture.completedFuture(-1L);

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }

        @Override
        public CompletableFuture<Long> getBody() {
            return body;
        }
    }

    // ------------------------------------------------------------------ shared by both schemes

    private static PartFile openPart(DownloadRequest r, URI source) throws AttemptFailure {
        try {
            return PartFile.create(r.target());
        } catch (IOException e) {
            throw AttemptFailure.permanent("cannot create a temporary file next to " + r.target() + ": " + describe(e),
                    e, source);
        }
    }

    /** Verifies the checksums, then fsync and rename; the part file is deleted by its owner on failure. */
    private static Fetched finish(DownloadRequest r, PartFile part, URI from) throws AttemptFailure {
        part.digest();
        long bytes = part.bytes();
        String sha256 = part.sha256Hex();
        String md5 = part.md5Hex();
        Checksums expected = r.expected();
        if (expected.sha256().isPresent() && !expected.sha256().get().equals(sha256)) {
            throw AttemptFailure.checksum("sha256", expected.sha256().get(), sha256, bytes, from);
        }
        if (expected.md5().isPresent() && !expected.md5().get().equals(md5)) {
            throw AttemptFailure.checksum("md5", expected.md5().get(), md5, bytes, from);
        }
        try {
            part.commit(r.target());
        } catch (IOException e) {
            throw AttemptFailure.permanent("cannot move the download into place at " + r.target() + ": " + describe(e),
                    e, from);
        }
        return new Fetched(from, bytes, sha256, md5);
    }

    // ------------------------------------------------------------------ many downloads

    /**
     * Downloads all requests, at most {@link Builder#parallelism} at a time (shared by concurrent
     * calls). Every request runs to its end even when others fail.
     *
     * @return the results in request order
     * @throws DownloadBatchException     when any failed after its retries: lists each failed URL with
     *                                    its cause (also attached as suppressed); the successful ones
     *                                    are complete at their targets
     * @throws InterruptedIOException     when the calling thread was interrupted: running downloads
     *                                    are interrupted (their part files deleted) before it returns
     * @throws IllegalArgumentException   when two requests have the same target
     */
    public List<DownloadResult> downloadAll(List<DownloadRequest> requests) throws IOException {
        List<DownloadRequest> rs = List.copyOf(requests);
        ensureOpen();
        Set<Path> targets = new HashSet<>();
        for (DownloadRequest r : rs) {
            if (!targets.add(r.target().toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("two downloads into the same target: " + r.target());
            }
        }
        if (rs.isEmpty()) {
            return List.of();
        }
        Batch batch = new Batch(rs);
        for (int i = 0; i < rs.size(); i++) {
            BatchTask task = new BatchTask(batch, i);
            try {
                pool.execute(task);
            } catch (RejectedExecutionException e) {
                task.reject();
            }
        }
        try {
            batch.done.await();
        } catch (InterruptedException e) {
            batch.abort();
            boolean stopped = false;
            try {
                // Bounded: interrupted downloads end within one poll interval or a file read.
                stopped = batch.done.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException again) {
                // keep the flag; we are leaving anyway
            }
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + rs.size() + " files"
                    + (stopped ? "" : " (some downloads are still stopping)"));
        }
        List<DownloadResult> ok = new ArrayList<>();
        Map<DownloadRequest, IOException> failed = new LinkedHashMap<>();
        for (int i = 0; i < rs.size(); i++) {
            if (batch.results[i] != null) {
                ok.add(batch.results[i]);
            } else {
                failed.put(rs.get(i), batch.errors[i]);
            }
        }
        if (!failed.isEmpty()) {
            throw new DownloadBatchException(rs.size(), ok, failed);
        }
        return Collections.unmodifiableList(ok);
    }

    /** State of one {@link #downloadAll} call. */
    private static final class Batch {
        final List<DownloadRequest> requests;
        final DownloadResult[] results;
        final IOException[] errors;
        final CountDownLatch done;
        final AtomicBoolean aborted = new AtomicBoolean();
        /** Threads working for this batch; interrupts are delivered only while registered. */
        final Set<Thread> running = ConcurrentHashMap.newKeySet();

        Batch(List<DownloadRequest> requests) {
            this.requests = requests;
            this.results = new DownloadResult[requests.size()];
            this.errors = new IOException[requests.size()];
            this.done = new CountDownLatch(requests.size());
        }

        void abort() {
            aborted.set(true);
            synchronized (running) {
                running.forEach(Thread::interrupt);
            }
        }
    }

    private final class BatchTask implements Runnable {
        private final Batch batch;
        private final int index;

        BatchTask(Batch batch, int index) {
            this.batch = batch;
            this.index = index;
        }

        @Override
        public void run() {
            Thread me = Thread.currentThread();
            try {
                synchronized (batch.running) {
                    if (batch.aborted.get()) {
                        batch.errors[index] = new InterruptedIOException("cancelled before it started");
                        return;
                    }
                    batch.running.add(me);
                }
                try {
                    batch.results[index] = download(batch.requests.get(index));
                } catch (IOException e) {
                    batch.errors[index] = e;
                } catch (RuntimeException | Error e) {
                    batch.errors[index] = new IOException("unexpected error downloading "
                            + batch.requests.get(index).url() + ": " + describe(e), e);
                } finally {
                    synchronized (batch.running) {
                        batch.running.remove(me);
                    }
                    Thread.interrupted(); // a pool thread must not carry this batch's interrupt on
                }
            } finally {
                batch.done.countDown();
            }
        }

        /** Never ran: the pool was shut down. */
        void reject() {
            batch.errors[index] = new InterruptedIOException("the downloader was closed before "
                    + batch.requests.get(index).url() + " started");
            batch.done.countDown();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /** Deletes {@code .<name>.part-*} files in {@code dir} (not recursive) older than {@code minAge},
     *  left by a process that was killed; returns how many. Never touches other files. */
    public static int deleteStalePartFiles(Path dir, Duration minAge) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Instant before = Instant.now().minus(minAge);
        int deleted = 0;
        try (var entries = Files.newDirectoryStream(dir, p -> PartFile.isPartName(p.getFileName().toString()))) {
            for (Path p : entries) {
                try {
                    if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(before)
                            && Files.deleteIfExists(p)) {
                        deleted++;
                    }
                } catch (NoSuchFileException gone) {
                    // someone else cleaned it
                }
            }
        }
        return deleted;
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("this Downloader is closed");
        }
    }

    /**
     * Stops the pool: queued {@link #downloadAll} work fails, running work is interrupted (its part
     * files deleted). Waits up to 30 s for it to end. The HTTP client (Java 17 has no close) is
     * released with the downloader.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Runnable r : pool.shutdownNow()) {
            if (r instanceof BatchTask t) {
                t.reject();
            }
        }
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Downloader[parallelism=" + parallelism + ", maxAttempts=" + maxAttempts + ", stallTimeout="
                + RetryPolicy.human(stallTimeout) + ", " + mirrors + "]";
    }

    // ------------------------------------------------------------------ builder

    public static final class Builder {
        private int parallelism = 4;
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration stallTimeout = Duration.ofSeconds(30);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Duration maxAttemptDuration = Duration.ofHours(6);
        private Mirrors mirrors = Mirrors.none();
        private ProgressListener progress = ProgressListener.none();
        private HttpClient httpClient;
        private ProxySelector proxy;
        private String userAgent = "envlink/" + version();

        private Builder() {
        }

        /** Concurrent downloads in {@link #downloadAll}; default 4, 1 to 64. */
        public Builder parallelism(int n) {
            if (n < 1 || n > 64) {
                throw new IllegalArgumentException("parallelism must be between 1 and 64, got " + n);
            }
            this.parallelism = n;
            return this;
        }

        /** Attempts per file including the first; default 4, 1 (no retries) to 100. */
        public Builder maxAttempts(int n) {
            if (n < 1 || n > 100) {
                throw new IllegalArgumentException("maxAttempts must be between 1 and 100, got " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /** Backoff after the first failure (doubled after each further one, jittered); default 500 ms. */
        public Builder initialBackoff(Duration d) {
            this.initialBackoff = nonNegative(d, "initialBackoff");
            return this;
        }

        /** Cap of the backoff; default 30 s. */
        public Builder maxBackoff(Duration d) {
            this.maxBackoff = nonNegative(d, "maxBackoff");
            return this;
        }

        /** TCP (and TLS) connect timeout of the built-in HTTP client; default 10 s. Ignored with {@link #httpClient}. */
        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive(d, "connectTimeout");
            return this;
        }

        /** An attempt fails when no byte (nor the response headers) arrived for this long; default 30 s. */
        public Builder stallTimeout(Duration d) {
            this.stallTimeout = positive(d, "stallTimeout");
            return this;
        }

        /** Longest Retry-After honoured; a server asking for more fails the download at once. Default 60 s. */
        public Builder maxRetryAfter(Duration d) {
            this.maxRetryAfter = nonNegative(d, "maxRetryAfter");
            return this;
        }

        /** Upper bound of one attempt even while bytes keep trickling in; default 6 h. */
        public Builder maxAttemptDuration(Duration d) {
            this.maxAttemptDuration = positive(d, "maxAttemptDuration");
            return this;
        }

        public Builder mirrors(Mirrors m) {
            this.mirrors = Objects.requireNonNull(m, "mirrors");
            return this;
        }

        public Builder progress(ProgressListener p) {
            this.progress = Objects.requireNonNull(p, "progress");
            return this;
        }

        /**
         * Uses this client instead of a built-in one (which follows redirects NORMAL, prefers HTTP/2,
         * uses {@link #connectTimeout} and {@link #proxy}). Its redirect policy should be NORMAL.
         */
        public Builder httpClient(HttpClient c) {
            this.httpClient = Objects.requireNonNull(c, "httpClient");
            return this;
        }

        /** Proxy selection of the built-in client; default: the JVM's default selector (http(s).proxyHost properties). */
        public Builder proxy(ProxySelector p) {
            this.proxy = Objects.requireNonNull(p, "proxy");
            return this;
        }

        public Builder userAgent(String ua) {
            if (ua == null || ua.isBlank()) {
                throw new IllegalArgumentException("userAgent must not be blank");
            }
            this.userAgent = ua;
            return this;
        }

        public Downloader build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") is less than initialBackoff ("
                        + initialBackoff + ")");
            }
            return new Downloader(this);
        }

        private static Duration nonNegative(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + " must not be negative: " + d);
            }
            return d;
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive: " + d);
            }
            return d;
        }

        private static String version() {
            String v = Downloader.class.getPackage().getImplementationVersion();
            return v == null ? "dev" : v;
        }
    }
}
