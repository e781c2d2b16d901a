package dev.envlink.cache.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The process environment as the configuration code sees it: variables, OS name and home
 * directory. Injectable so every rule can be tested for every OS on any machine.
 */
public interface Env {

    /** The variable's value, or null when unset. */
    String get(String name);

    /** As {@code System.getProperty("os.name")}: "Linux", "Mac OS X", "Windows 11", ... */
    String osName();

    /** The user's home directory. */
    Path home();

    /** Which family of directory conventions applies. */
    enum Os {
        /** Linux and other Unix-likes: XDG base directories. */
        LINUX,
        MACOS,
        WINDOWS
    }

    default Os os() {
        String n = osName() == null ? "" : osName().toLowerCase(Locale.ROOT);
        if (n.startsWith("windows")) {
            return Os.WINDOWS;
        }
        if (n.startsWith("mac") || n.startsWith("darwin")) {
            return Os.MACOS;
        }
        return Os.LINUX;
    }

    /** The variable's value, or null when unset or empty (an empty variable counts as unset). */
    default String getNonEmpty(String name) {
        String v = get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The real environment of this process. */
    static Env system() {
        return SystemEnv.INSTANCE;
    }

    /** A fixed environment (for tests). */
    static Env of(Map<String, String> vars, String osName, Path home) {
        Map<String, String> copy = Map.copyOf(vars);
        Objects.requireNonNull(osName, "osName");
        Objects.requireNonNull(home, "home");
        return new Env() {
            @Override
            public String get(String name) {
                return copy.get(name);
            }

            @Override
            public String osName() {
                return osName;
            }

            @Override
            public Path home() {
                return home;
            }

            @Override
            public String toString() {
                return "Env.of(" + copy + ", " + osName + ", " + home + ")";
            }
        };
    }
}

/** {@link System#getenv}, {@code os.name} and {@code user.home}. */
final class SystemEnv implements Env {
    static final SystemEnv INSTANCE = new SystemEnv();

    private SystemEnv() {
    }

    @Override
    public String get(String name) {
        return System.getenv(name);
    }

    @Override
    public String osName() {
        return System.getProperty("os.name", "");
    }

    @Override
    public Path home() {
        return Path.of(System.getProperty("user.home"));
    }

    @Override
    public String toString() {
        return "Env.system()";
    }
}
