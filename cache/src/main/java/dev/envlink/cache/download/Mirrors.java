package dev.envlink.cache.download;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rewrites package URLs by prefix, e.g. {@code https://conda.anaconda.org/conda-forge} to
 * {@code file:///srv/mirror/conda-forge} for offline installs, or to a local HTTP mirror.
 *
 * <p>Matching rules:
 * <ul>
 *   <li>the longest matching prefix wins;</li>
 *   <li>a prefix matches only at a path boundary: {@code …/conda-forge} matches {@code …/conda-forge},
 *       {@code …/conda-forge/x} and {@code …/conda-forge?q}, never {@code …/conda-forge-extra/x};</li>
 *   <li>trailing slashes of prefixes and replacements are ignored ({@code …/conda-forge/} is
 *       {@code …/conda-forge}); scheme and host compare case-insensitively, the path exactly;</li>
 *   <li>the rest of the URL (after the prefix, still percent-encoded) is appended to the
 *       replacement unchanged.</li>
 * </ul>
 * A mirror is used instead of, never in addition to, the original: when the mirror lacks a file
 * the download fails (an offline install must not silently go to the network).
 */
public final class Mirrors {

    private static final Mirrors NONE = new Mirrors(Map.of());

    /** Normalised prefix to normalised replacement, longest prefix first. */
    private final List<Map.Entry<String, String>> rules;

    /**
     * @param prefixToPrefix original URL prefix to replacement prefix; both absolute URIs
     * @throws IllegalArgumentException for a prefix or replacement that is not an absolute URI, or
     *                                  two prefixes that are the same after normalisation
     */
    public Mirrors(Map<String, String> prefixToPrefix) {
        Objects.requireNonNull(prefixToPrefix, "prefixToPrefix");
        Map<String, String> normalised = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : prefixToPrefix.entrySet()) {
            String from = normalise(Objects.requireNonNull(e.getKey(), "mirror prefix"), "mirror prefix");
            String to = normalise(Objects.requireNonNull(e.getValue(), "mirror for " + e.getKey()), "mirror for " + e.getKey());
            if (normalised.put(from, to) != null) {
                throw new IllegalArgumentException("mirror prefix given twice: " + from);
            }
        }
        List<Map.Entry<String, String>> list = new ArrayList<>();
        normalised.forEach((k, v) -> list.add(Map.entry(k, v)));
        list.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        this.rules = List.copyOf(list);
    }

    /** No mapping: {@link #resolve} returns its argument. */
    public static Mirrors none() {
        return NONE;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The normalised mapping, longest prefix first. */
    public Map<String, String> mappings() {
        Map<String, String> m = new LinkedHashMap<>();
        rules.forEach(e -> m.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(m);
    }

    /** The URL to fetch instead of {@code original}: mapped by the longest matching prefix, else itself. */
    public URI resolve(URI original) {
        Objects.requireNonNull(original, "original");
        if (rules.isEmpty()) {
            return original;
        }
        String url = lowerSchemeAndAuthority(original.toString());
        for (Map.Entry<String, String> rule : rules) {
            String prefix = rule.getKey();
            if (url.startsWith(prefix) && atBoundary(url, prefix.length())) {
                return URI.create(rule.getValue() + url.substring(prefix.length()));
            }
        }
        return original;
    }

    private static boolean atBoundary(String url, int at) {
        if (at == url.length()) {
            return true;
        }
        char c = url.charAt(at);
        return c == '/' || c == '?' || c == '#';
    }

    private static String normalise(String uri, String what) {
        String s = uri.strip();
        URI parsed;
        try {
            parsed = new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(what + " is not a valid URI: '" + uri + "' (" + e.getMessage() + ")", e);
        }
        if (!parsed.isAbsolute() || parsed.isOpaque()) {
            throw new IllegalArgumentException(what + " must be an absolute URL such as https://host/path or file:///dir, got '" + uri + "'");
        }
        s = lowerSchemeAndAuthority(s);
        int minimum = authorityEnd(s);
        int end = s.length();
        while (end > minimum && s.charAt(end - 1) == '/') {
            end--;
        }
        return s.substring(0, end);
    }

    /**
     * Lowercases {@code scheme://authority} (ASCII only, so lengths do not change); the path is
     * case-sensitive and stays as it is.
     */
    private static String lowerSchemeAndAuthority(String s) {
        int end = authorityEnd(s);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            b.append(i < end && c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return b.toString();
    }

    /** Index just after {@code scheme:} or {@code scheme://authority}. */
    private static int authorityEnd(String s) {
        int end = s.indexOf(':') + 1;
        if (end > 0 && s.startsWith("//", end)) {
            end += 2;
            while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) {
                end++;
            }
        }
        return end;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mirrors m && m.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return rules.hashCode();
    }

    @Override
    public String toString() {
        return rules.isEmpty() ? "Mirrors.none()" : "Mirrors" + mappings();
    }
}
