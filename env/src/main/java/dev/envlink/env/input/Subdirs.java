package dev.envlink.env.input;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Conda subdirs ("platforms"): the current machine's, and the names conda knows. */
public final class Subdirs {
    private static final Set<String> KNOWN = Set.of(
            "noarch",
            "linux-32", "linux-64", "linux-aarch64", "linux-armv6l", "linux-armv7l",
            "linux-ppc64le", "linux-ppc64", "linux-ppc", "linux-s390x",
            "linux-riscv32", "linux-riscv64", "linux-loongarch64",
            "osx-64", "osx-arm64",
            "win-32", "win-64", "win-arm64",
            "freebsd-64", "emscripten-wasm32", "wasi-wasm32", "zos-z");

    private Subdirs() {
    }

    /**
     * The conda subdir of this machine, from {@code os.name} and {@code os.arch}:
     * {@code linux-64}, {@code linux-aarch64}, {@code osx-64}, {@code osx-arm64}, {@code win-64}, ...
     *
     * @throws IllegalStateException when the OS/architecture pair has no conda subdir
     */
    public static String current() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        return of(os, arch).orElseThrow(() -> new IllegalStateException(
                "no conda platform is known for os.name=" + os + ", os.arch=" + arch));
    }

    /** The conda subdir for a Java {@code os.name} / {@code os.arch} pair. */
    public static Optional<String> of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String prefix;
        if (os.startsWith("linux")) {
            prefix = "linux";
        } else if (os.startsWith("mac") || os.startsWith("darwin")) {
            prefix = "osx";
        } else if (os.startsWith("windows")) {
            prefix = "win";
        } else if (os.startsWith("freebsd")) {
            prefix = "freebsd";
        } else {
            return Optional.empty();
        }
        String suffix = switch (arch) {
            case "amd64", "x86_64", "x64" -> "64";
            case "aarch64", "arm64" -> switch (prefix) {
                case "linux" -> "aarch64";
                default -> "arm64";
            };
            case "x86", "i386", "i486", "i586", "i686" -> "32";
            case "ppc64le" -> "ppc64le";
            case "ppc64" -> "ppc64";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            case "loongarch64" -> "loongarch64";
            case "arm", "armv7l", "aarch32" -> "armv7l";
            default -> null;
        };
        if (suffix == null) {
            return Optional.empty();
        }
        String subdir = prefix + "-" + suffix;
        return KNOWN.contains(subdir) ? Optional.of(subdir) : Optional.empty();
    }

    /** Whether conda knows this subdir name ({@code noarch} included). */
    public static boolean isKnown(String subdir) {
        return KNOWN.contains(subdir);
    }

    /** All subdir names conda knows ({@code noarch} included). */
    public static Set<String> known() {
        return KNOWN;
    }
}
