package dev.envlink.cache.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Debian's conda-package-handling ({@code cph}): an independent extractor to compare with. */
final class Cph {
    private Cph() {
    }

    static boolean required() {
        return "1".equals(System.getenv("ENVLINK_REQUIRE_FS_TESTS"));
    }

    /** Skips the test (or fails it under ENVLINK_REQUIRE_FS_TESTS=1) when cph is not installed. */
    static void assumeInstalled() {
        String problem = null;
        try {
            Result r = run(List.of("cph", "--version"));
            if (r.exitCode() != 0) {
                problem = "cph --version exited " + r.exitCode() + ": " + r.output();
            }
        } catch (IOException e) {
            problem = "cph is not installed (apt-get install conda-package-handling): " + e.getMessage();
        }
        if (problem != null) {
            if (required()) {
                throw new AssertionError(problem + " (required because ENVLINK_REQUIRE_FS_TESTS=1)");
            }
            Assumptions.abort(problem);
        }
    }

    record Result(int exitCode, String output) {
    }

    /** {@code cph x ARCHIVE --dest DEST}. */
    static Result extract(Path archive, Path dest) throws IOException {
        return run(List.of("cph", "x", archive.toAbsolutePath().toString(), "--dest", dest.toAbsolutePath().toString()));
    }

    static Result run(List<String> command) throws IOException {
        Path log = Files.createTempFile("envlink-cph", ".log");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new IOException("timed out: " + command);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted: " + command, e);
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
