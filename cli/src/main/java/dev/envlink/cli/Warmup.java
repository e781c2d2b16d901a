package dev.envlink.cli;

import dev.envlink.cache.meta.JsonTrees;
import dev.envlink.link.LinkProviders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Probes the link providers on a second thread while picocli parses the command line: loading
 * JNA and binding libc (~40 ms) then happens beside picocli's model building (~80 ms of
 * annotation reflection) instead of after it. Then it parses a tiny JSON document the way package
 * metadata is read: the first parse initialises Jackson's parser classes, and with them
 * {@code BigDecimal}, whose static set-up on Java 25 squares big integers for ~18 ms, which would
 * otherwise fall on the first package's metadata read. Last, the default time zone is loaded
 * (~7 ms: the history line an install or remove appends is dated in local time, after the files
 * are placed). Only for the commands that link; the command itself probes again (memoised
 * natives make that cheap) and reports any failure, so nothing is lost if this thread fails or is
 * still running.
 */
final class Warmup {
    private static final Set<String> LINKING = Set.of("install", "remove", "link", "probe", "info", "verify");

    private Warmup() {
    }

    static void start(String[] args) {
        if (args.length == 0 || !LINKING.contains(args[0])) {
            return;
        }
        Thread t = new Thread(new Probe(), "envlink-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** A class, not a lambda: linking a lambda's call site costs the main thread ~5 ms here. */
    private static final class Probe implements Runnable {
        private static final byte[] SAMPLE = "{\"name\": \"x\", \"n\": [1, 2.5, true, null]}"
                .getBytes(StandardCharsets.UTF_8);

        @Override
        public void run() {
            try {
                LinkProviders.discover().available();
            } catch (RuntimeException | LinkageError ignored) {
                // The command's own discovery reports it.
            }
            try {
                JsonTrees.readTree(SAMPLE);
                java.time.LocalDateTime.now();
            } catch (IOException | RuntimeException | LinkageError ignored) {
                // Only a warm-up: the real reads report their own errors.
            }
        }
    }
}
