package dev.envlink.link;

import java.util.List;
import java.util.Locale;

/**
 * What the user asked for. {@code AUTO} tries reflink, then hardlink, then copy. A named method
 * falls back to a copy only: someone who asks for reflinks wants isolated files, and a hardlink
 * fallback would silently share inodes with the source.
 */
public enum LinkMode {
    AUTO(List.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.COPY)),
    REFLINK(List.of(LinkMethod.REFLINK, LinkMethod.COPY)),
    HARDLINK(List.of(LinkMethod.HARDLINK, LinkMethod.COPY)),
    SYMLINK(List.of(LinkMethod.SYMLINK, LinkMethod.COPY)),
    COPY(List.of(LinkMethod.COPY));

    private final List<LinkMethod> chain;

    LinkMode(List<LinkMethod> chain) {
        this.chain = chain;
    }

    /** Methods to try in order. In strict mode only the first is allowed. */
    public List<LinkMethod> chain(boolean strict) {
        if (strict) {
            if (this == AUTO) {
                throw new IllegalArgumentException("strict needs a named method, not auto");
            }
            return chain.subList(0, 1);
        }
        return chain;
    }

    public static LinkMode parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
