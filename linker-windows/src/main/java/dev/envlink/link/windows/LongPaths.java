package dev.envlink.link.windows;

/**
 * Long path names: Win32 file functions accept up to 32,767 characters when the path starts with
 * {@code \\?\} (drive paths) or {@code \\?\UNC\} (shares), and then skip all normalisation, so the
 * path given must be absolute and normalised already (learn.microsoft.com, "Naming Files, Paths,
 * and Namespaces"). Paths that are not Windows-absolute are returned unchanged.
 */
final class LongPaths {
    static final String PREFIX = "\\\\?\\";
    static final String UNC_PREFIX = "\\\\?\\UNC\\";

    private LongPaths() {
    }

    /** {@code C:\x} to {@code \\?\C:\x}, {@code \\server\share\x} to {@code \\?\UNC\server\share\x}. */
    static String of(String absolute) {
        if (absolute.startsWith(PREFIX) || absolute.startsWith("\\\\.\\")) {
            return absolute;
        }
        String p = absolute.replace('/', '\\');
        if (p.startsWith("\\\\")) {
            return UNC_PREFIX + p.substring(2);
        }
        if (isDrivePath(p)) {
            return PREFIX + p;
        }
        return absolute;
    }

    /** The inverse of {@link #of}: the form shown to users and stored in symlinks. */
    static String strip(String path) {
        if (path.startsWith(UNC_PREFIX)) {
            return "\\\\" + path.substring(UNC_PREFIX.length());
        }
        if (path.startsWith(PREFIX) && isDrivePath(path.substring(PREFIX.length()))) {
            return path.substring(PREFIX.length());
        }
        return path;
    }

    /** "C:\..." (a drive letter, a colon and a separator). */
    static boolean isDrivePath(String p) {
        return p.length() >= 3 && Character.isLetter(p.charAt(0)) && p.charAt(1) == ':'
                && (p.charAt(2) == '\\' || p.charAt(2) == '/');
    }
}
