package dev.envlink.env.input;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Conda archive names and what a package URL says about channel and subdir. */
final class CondaNames {
    static final String CONDA = ".conda";
    static final String TAR_BZ2 = ".tar.bz2";

    private CondaNames() {
    }

    /** Whether the name is a conda archive: {@code <something>.conda} or {@code <something>.tar.bz2}. */
    static boolean isArchive(String fileName) {
        return fileName.endsWith(CONDA) && fileName.length() > CONDA.length()
                || fileName.endsWith(TAR_BZ2) && fileName.length() > TAR_BZ2.length();
    }

    static String distName(String fileName) {
        if (fileName.endsWith(CONDA)) {
            return fileName.substring(0, fileName.length() - CONDA.length());
        }
        if (fileName.endsWith(TAR_BZ2)) {
            return fileName.substring(0, fileName.length() - TAR_BZ2.length());
        }
        return fileName;
    }

    /**
     * {@code name}, {@code version}, {@code build} of a {@code name-version-build} dist name (the
     * name may contain dashes, version and build may not); empty when it has fewer parts.
     */
    static Map<String, Object> nameVersionBuild(String distName) {
        Map<String, Object> out = new LinkedHashMap<>();
        int b = distName.lastIndexOf('-');
        int v = b > 0 ? distName.lastIndexOf('-', b - 1) : -1;
        if (v > 0 && b > v + 1 && b < distName.length() - 1) {
            out.put("name", distName.substring(0, v));
            out.put("version", distName.substring(v + 1, b));
            out.put("build", distName.substring(b + 1));
        }
        return out;
    }

    /** File name, subdir and channel of a package URL. */
    record UrlParts(String fileName, Optional<String> subdir, Optional<String> channel) {
    }

    /**
     * Splits {@code <channel>/<subdir>/<file>}. The subdir is only recognised when it is a
     * conda subdir name; without one there is no channel either. File name and subdir are
     * percent-decoded.
     */
    static UrlParts split(URI url) {
        String rawPath = url.getRawPath();
        if (rawPath == null || rawPath.isEmpty()) {
            return new UrlParts("", Optional.empty(), Optional.empty());
        }
        int slash = rawPath.lastIndexOf('/');
        String rawFile = rawPath.substring(slash + 1);
        String fileName = decode(rawFile);
        if (slash <= 0) {
            return new UrlParts(fileName, Optional.empty(), Optional.empty());
        }
        int prev = rawPath.lastIndexOf('/', slash - 1);
        String rawSubdir = rawPath.substring(prev + 1, slash);
        String subdir = decode(rawSubdir);
        if (!Subdirs.isKnown(subdir)) {
            return new UrlParts(fileName, Optional.empty(), Optional.empty());
        }
        String base = withoutQueryAndFragment(url);
        String tail = "/" + rawSubdir + "/" + rawFile;
        Optional<String> channel = base.endsWith(tail)
                ? Optional.of(stripTrailingSlashes(base.substring(0, base.length() - tail.length())))
                : Optional.empty();
        return new UrlParts(fileName, Optional.of(subdir), channel.filter(c -> !c.isEmpty()));
    }

    static String withoutQueryAndFragment(URI url) {
        String s = url.toString();
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        int q = s.indexOf('?');
        if (q >= 0) {
            s = s.substring(0, q);
        }
        return s;
    }

    static String stripTrailingSlashes(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }

    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            // URLDecoder would turn '+' into a space; '+' is literal in URL paths.
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    static boolean isHex(String s, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hex = c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
            if (!hex) {
                return false;
            }
        }
        return true;
    }
}
