package dev.envlink.env;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Compiles the site-packages sources of noarch: python packages with the environment's own
 * python once they are placed, as conda does ({@code python -m compileall}): the bytecode then
 * belongs to the package (recorded as {@code pyc_file}, removed with it) instead of appearing,
 * untracked, at the first import. A source that does not compile, or a prefix whose python
 * cannot run here (another platform's environment), is a warning, not a failure: conda too
 * records only the bytecode that was made.
 */
final class PycCompiler {
    /** Generous: compileall of a large package takes seconds; a hung interpreter must not hang the install. */
    static final java.time.Duration TIMEOUT = java.time.Duration.ofMinutes(15);
    /** Past this many sources compileall runs one worker per core ({@code -j 0}). */
    static final int PARALLEL_FROM = 64;

    /** The bytecode paths made, and why the others were not. */
    record Outcome(Set<String> compiled, Optional<String> warning) {
    }

    private PycCompiler() {
    }

    /** Compiles the sources of {@code pycTargets} (prefix-relative bytecode paths of {@code python}). */
    static Outcome compile(Path prefix, NoarchPython python, List<String> pycTargets) {
        return compile(prefix, python, pycTargets, TIMEOUT);
    }

    /** As {@link #compile(Path, NoarchPython, List)}, giving the interpreter at most {@code timeout}. */
    static Outcome compile(Path prefix, NoarchPython python, List<String> pycTargets, java.time.Duration timeout) {
        if (pycTargets.isEmpty()) {
            return new Outcome(Set.of(), Optional.empty());
        }
        Optional<Path> interpreter = python.interpreters().stream().map(prefix::resolve)
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p)).findFirst();
        if (interpreter.isEmpty()) {
            return new Outcome(Set.of(), Optional.of("noarch: python sources not compiled (" + pycTargets.size()
                    + " files): no python at " + String.join(" or ", python.interpreters()) + " in " + prefix));
        }
        String os = System.getProperty("os.name", "");
        if (!runnableHere(interpreter.get(), os)) {
            return outcome(prefix, pycTargets, interpreter.get() + " is not a program for " + os
                    + " (an environment of another platform?)");
        }
        List<String> command = new ArrayList<>(List.of(interpreter.get().toString(),
                "-E", "-s", "-Wi", "-m", "compileall", "-q", "-l", "-i", "-"));
        if (pycTargets.size() >= PARALLEL_FROM) {
            command.addAll(List.of("-j", "0"));
        }
        String output;
        int exit;
        Path log = null;
        try {
            // Output to a file, not a pipe read to its end: a hung interpreter holding the pipe open
            // would block that read, and the time limit would never be reached.
            log = Files.createTempFile("envlink-compileall-", ".log");
            Process p = new ProcessBuilder(command).directory(prefix.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            Thread feeder = new Thread(() -> feed(p, prefix, python, pycTargets), "envlink-pyc-list");
            feeder.setDaemon(true);
            feeder.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return outcome(prefix, pycTargets, interpreter.get() + " -m compileall did not finish in "
                        + timeout.toSeconds() + " s");
            }
            output = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).strip(); // lenient: any bytes
            exit = p.exitValue();
        } catch (IOException e) {
            return outcome(prefix, pycTargets, interpreter.get() + " cannot run here: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return outcome(prefix, pycTargets, "interrupted while compiling");
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException ignored) {
                    // A temporary file left behind is harmless.
                }
            }
        }
        String why = interpreter.get() + " -m compileall exited with " + exit
                + (output.isEmpty() ? "" : ": " + firstLines(output, 3));
        return outcome(prefix, pycTargets, exit == 0 && output.isEmpty() ? null : why);
    }

    /**
     * Whether {@code program} starts like an executable of this system ({@code #!}; ELF elsewhere
     * than macOS and Windows; Mach-O on macOS; MZ on Windows). Java's process launcher hands a
     * file the kernel refuses to the shell, which would run another platform's python, or a
     * package's stand-in text, as a shell script.
     */
    static boolean runnableHere(Path program, String osName) {
        byte[] head = new byte[4];
        int n;
        try (java.io.InputStream in = Files.newInputStream(program)) {
            n = in.readNBytes(head, 0, 4);
        } catch (IOException e) {
            return false;
        }
        return runnableHere(java.util.Arrays.copyOf(head, n), osName);
    }

    /** {@link #runnableHere(Path, String)} on the file's first bytes. */
    static boolean runnableHere(byte[] head, String osName) {
        if (head.length >= 2 && head[0] == '#' && head[1] == '!') {
            return true;
        }
        String os = osName.toLowerCase(java.util.Locale.ROOT);
        if (os.startsWith("windows")) {
            return head.length >= 2 && head[0] == 'M' && head[1] == 'Z';
        }
        if (head.length < 4) {
            return false;
        }
        int magic = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        if (os.startsWith("mac")) {
            return magic == 0xFEEDFACE || magic == 0xFEEDFACF || magic == 0xCEFAEDFE || magic == 0xCFFAEDFE
                    || magic == 0xCAFEBABE; // 32/64-bit, either byte order, universal
        }
        return magic == 0x7F454C46; // \x7fELF
    }

    /** The source list on compileall's standard input, one absolute path a line. */
    private static void feed(Process p, Path prefix, NoarchPython python, List<String> pycTargets) {
        try (OutputStream in = p.getOutputStream()) {
            StringBuilder sb = new StringBuilder();
            for (String pyc : pycTargets) {
                sb.append(prefix.resolve(python.sourceOfPyc(pyc))).append('\n');
            }
            in.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // The interpreter died early: its exit code and output say why.
        }
    }

    /** What is there now; a warning naming the bytecode that is missing (with {@code why}). */
    private static Outcome outcome(Path prefix, List<String> pycTargets, String why) {
        Set<String> made = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        for (String pyc : pycTargets) {
            if (Files.isRegularFile(prefix.resolve(pyc), LinkOption.NOFOLLOW_LINKS)) {
                made.add(pyc);
            } else {
                missing.add(pyc);
            }
        }
        if (missing.isEmpty()) {
            return new Outcome(made, Optional.empty());
        }
        return new Outcome(made, Optional.of(missing.size() + " of " + pycTargets.size()
                + " noarch: python sources not compiled (first: " + missing.get(0) + ")"
                + (why == null ? "" : "; " + why)));
    }

    private static String firstLines(String s, int n) {
        String[] lines = s.split("\\R");
        return String.join(" | ", java.util.Arrays.asList(lines).subList(0, Math.min(n, lines.length)))
                + (lines.length > n ? " ..." : "");
    }
}
