package dev.envlink.testing.fs;

import java.io.File;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs the external admin tools (mkfs, losetup, mount) with a timeout and captured output. */
final class Commands {

    private static final long TIMEOUT_SECONDS = 60;

    /** root's PATH (e.g. under sudo or in CI images) often lacks the sbin dirs where these tools live. */
    private static final List<String> EXTRA_DIRS = List.of("/sbin", "/usr/sbin", "/bin", "/usr/bin");

    private Commands() {
    }

    /** Outcome of one command; {@code output} is stdout and stderr merged. */
    record Result(List<String> command, int exitCode, String output) {
        boolean ok() {
            return exitCode == 0;
        }

        /** Returns the output, or throws an exception quoting command, exit code and output. */
        String orThrow() throws IOException {
            if (!ok()) {
                throw new IOException("Command " + String.join(" ", command) + " failed with exit code "
                        + exitCode + (output.isBlank() ? " and no output" : ": " + output.strip()));
            }
            return output;
        }
    }

    /** Looks for an executable on PATH and in the sbin/bin directories. */
    static Optional<Path> findTool(String name) {
        Set<String> dirs = new LinkedHashSet<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    dirs.add(dir);
                }
            }
        }
        dirs.addAll(EXTRA_DIRS);
        return dirs.stream()
                .map(dir -> Path.of(dir, name))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst();
    }

    /** Runs the command and fails with a descriptive IOException unless it exits with 0. */
    static String run(List<String> command) throws IOException {
        return exec(command).orThrow();
    }

    /** Runs the command (first element is a tool name resolved via {@link #findTool}) and waits. */
    static Result exec(List<String> command) throws IOException {
        String tool = command.get(0);
        Path executable = findTool(tool)
                .orElseThrow(() -> new IOException("Tool not found on PATH, /sbin or /usr/sbin: " + tool));
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, executable.toString());

        // Output goes to a file rather than a pipe: no reader thread, and a chatty tool can never block.
        Path log = Files.createTempFile("envlink-cmd-", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(resolved)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("LC_ALL", "C"); // stable messages, e.g. "target is busy"
            Process process = builder.start();
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    throw new IOException("Command " + String.join(" ", command) + " timed out after "
                            + TIMEOUT_SECONDS + " s; output: " + readLenient(log).strip());
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("Interrupted while running " + String.join(" ", command));
            }
            return new Result(command, process.exitValue(), readLenient(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Decodes leniently: a stray non-UTF-8 byte in tool output must not hide the real error. */
    private static String readLenient(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
