package dev.envlink.env.input;

import java.io.IOException;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * An install input (lock file, explicit spec) that cannot be read or does not make sense.
 *
 * <p>The message always names the file, the line when it is known, and the problem:
 * {@code pixi.lock, line 12: ...} or {@code env.txt: ...}.
 */
public final class InputException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String problem;

    /** A problem with the whole input, no line. */
    public InputException(String source, String problem) {
        this(source, 0, problem, null);
    }

    /** A problem at a 1-based line; {@code line <= 0} means unknown. */
    public InputException(String source, int line, String problem) {
        this(source, line, problem, null);
    }

    public InputException(String source, int line, String problem, Throwable cause) {
        super(format(source, line, problem), cause);
        this.source = Objects.requireNonNull(source, "source");
        this.line = Math.max(line, 0);
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    private static String format(String source, int line, String problem) {
        return line > 0 ? source + ", line " + line + ": " + problem : source + ": " + problem;
    }

    /** The file (or other source name) that was being read. */
    public String source() {
        return source;
    }

    /** The 1-based line of the problem, when known. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The problem, without file and line. */
    public String problem() {
        return problem;
    }
}
