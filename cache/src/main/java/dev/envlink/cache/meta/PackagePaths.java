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
}
