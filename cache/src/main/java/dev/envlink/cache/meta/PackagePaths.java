package dev.envlink.cache.meta;

import java.util.ArrayList;
import java.util.List;

/**
 * Validation of the relative paths a package declares. Environments are written at these paths,
 * so a path that is absolute or climbs out with {@code ..} would let a package write anywhere.
 */
public final class PackagePaths {
    private PackagePaths() {
    }

    /**
     * The path normalised ({@code ./} and empty segments dropped, so {@code ./lib//a} is
     * {@code lib/a}), or an exception saying why it is unsafe: empty, absolute ({@code /x},
     * {@code \x}, {@code C:x}), containing {@code ..} as a segment (separators {@code /} and
     * {@code \} both count) or a NUL character.
     */
    public static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("empty path");
        }
        if (path.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path contains a NUL character");
        }
        if (path.startsWith("/") || path.startsWith("\\")) {
            throw new IllegalArgumentException("absolute path");
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            throw new IllegalArgumentException("absolute path (drive letter)");
        }
        if (alreadyNormal(path)) {
            return path; // the common case: one scan, no splitting
        }
        for (String seg : path.split("[/\\\\]", -1)) {
            if (seg.equals("..")) {
                throw new IllegalArgumentException("path escapes the package with '..'");
            }
        }
        List<String> kept = new ArrayList<>();
        for (String seg : path.split("/", -1)) {
            if (!seg.isEmpty() && !seg.equals(".")) {
                kept.add(seg);
            }
        }
        if (kept.isEmpty()) {
            throw new IllegalArgumentException("path names the package root");
        }
        return String.join("/", kept);
    }

    /** No backslash, and every segment is neither empty, {@code .} nor {@code ..}. */
    private static boolean alreadyNormal(String path) {
        int segStart = 0;
        int n = path.length();
        for (int i = 0; i <= n; i++) {
            char c = i < n ? path.charAt(i) : '/';
            if (c == '\\') {
                return false;
            }
            if (c == '/') {
                int len = i - segStart;
                if (len == 0 || (len == 1 && path.charAt(segStart) == '.')
                        || (len == 2 && path.charAt(segStart) == '.' && path.charAt(segStart + 1) == '.')) {
                    return false;
                }
                segStart = i + 1;
            }
        }
        return true;
    }

    /**
     * The bytes twin of {@link #alreadyNormal}, for paths read as UTF-8 (the cache's paths index):
     * true when the first {@code n} bytes of {@code b} are a path {@link #normalize} returns
     * unchanged and plain ASCII without backslashes (the common case): not empty, not absolute, no
     * NUL, no empty, {@code .} or {@code ..} segment. False means "ask normalize", not "unsafe".
     */
    static boolean plainNormal(byte[] b, int n) {
        if (n == 0 || b[0] == '/' || (n >= 2 && b[1] == ':')) {
            return false;
        }
        int segStart = 0;
        for (int i = 0; i <= n; i++) {
            byte c = i < n ? b[i] : (byte) '/';
            if (c <= 0 || c == '\\') {
                return false; // NUL, non-ASCII (UTF-8 lead and continuation bytes are negative)
            }
            if (c == '/') {
                int len = i - segStart;
                if (len == 0 || (b[segStart] == '.' && (len == 1 || (len == 2 && b[segStart + 1] == '.')))) {
                    return false;
                }
                segStart = i + 1;
            }
        }
        return true;
    }
}
