package dev.envlink.cli;

import dev.envlink.link.LinkProviders;
import java.util.Set;

/**
 * Probes the link providers on a second thread while picocli parses the command line: loading
 * JNA and binding libc (~40 ms) then happens beside picocli's model building (~80 ms of
 * annotation reflection) instead of after it. Only for the commands
 * that link; the command itself probes again (memoised natives make that cheap) and reports any
 * failure, so nothing is lost if this thread fails or is still running.
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
        @Override
        public void run() {
            try {
                LinkProviders.discover().available();
            } catch (RuntimeException | LinkageError ignored) {
                // The command's own discovery reports it.
            }
        }
    }
}
