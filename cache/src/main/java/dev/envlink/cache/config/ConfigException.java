package dev.envlink.cache.config;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The configuration file is unreadable or wrong. The message names the file, the line when
 * known ({@code file:line: problem}) and the offending key.
 */
public final class ConfigException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final String key;

    /**
     * @param file    the configuration file
     * @param line    1-based line, or 0 when unknown
     * @param key     the top-level key at fault, or null
     * @param problem what is wrong
     */
    public ConfigException(Path file, int line, String key, String problem) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    public ConfigException(Path file, int line, String key, String problem, Throwable cause) {
        this(file, line, key, problem);
        initCause(cause);
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the problem, or 0 when unknown. */
    public int line() {
        return line;
    }

    /** The key at fault, or null. */
    public String key() {
        return key;
    }
}
