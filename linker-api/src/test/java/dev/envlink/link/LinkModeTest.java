package dev.envlink.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The mode's method chain and the options that select it. */
class LinkModeTest {

    @Test
    void autoTriesEverythingCheapestFirst() {
        assertEquals(List.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.COPY), LinkMode.AUTO.chain(false));
    }

    @Test
    void namedMethodsFallBackOnlyToCopy() {
        assertEquals(List.of(LinkMethod.REFLINK, LinkMethod.COPY), LinkMode.REFLINK.chain(false));
        assertEquals(List.of(LinkMethod.HARDLINK, LinkMethod.COPY), LinkMode.HARDLINK.chain(false));
        assertEquals(List.of(LinkMethod.SYMLINK, LinkMethod.COPY), LinkMode.SYMLINK.chain(false));
        assertEquals(List.of(LinkMethod.COPY), LinkMode.COPY.chain(false));
        for (LinkMode m : LinkMode.values()) {
            if (m != LinkMode.AUTO) {
                List<LinkMethod> chain = m.chain(false);
                assertEquals(LinkMethod.COPY, chain.get(chain.size() - 1), m.toString());
                assertTrue(chain.size() <= 2, m + " has a fallback other than copy: " + chain);
            }
        }
    }

    @Test
    void strictKeepsOnlyTheNamedMethod() {
        assertEquals(List.of(LinkMethod.REFLINK), LinkMode.REFLINK.chain(true));
        assertEquals(List.of(LinkMethod.HARDLINK), LinkMode.HARDLINK.chain(true));
        assertEquals(List.of(LinkMethod.SYMLINK), LinkMode.SYMLINK.chain(true));
        assertEquals(List.of(LinkMethod.COPY), LinkMode.COPY.chain(true));
        assertThrows(IllegalArgumentException.class, () -> LinkMode.AUTO.chain(true));
    }

    @Test
    void strictAutoOptionsAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new LinkOptions(LinkMode.AUTO, true, ExistingPolicy.FAIL, 1));
        assertThrows(IllegalArgumentException.class, () -> LinkOptions.defaults().withStrict(true));
        assertThrows(IllegalArgumentException.class,
                () -> LinkOptions.defaults().withMode(LinkMode.COPY).withStrict(true).withMode(LinkMode.AUTO));
    }

    @Test
    void optionsValidateTheirFields() {
        assertThrows(IllegalArgumentException.class, () -> LinkOptions.defaults().withParallelism(0));
        assertThrows(NullPointerException.class, () -> LinkOptions.defaults().withMode(null));
        assertThrows(NullPointerException.class, () -> LinkOptions.defaults().withExisting(null));
    }

    @Test
    void defaults() {
        LinkOptions o = LinkOptions.defaults();
        assertEquals(LinkMode.AUTO, o.mode());
        assertEquals(false, o.strict());
        assertEquals(ExistingPolicy.FAIL, o.existing(), "never destroy data by default");
        assertTrue(o.parallelism() >= 2 && o.parallelism() <= 16, "parallelism " + o.parallelism());
        assertEquals(LinkMode.HARDLINK.chain(true), o.withMode(LinkMode.HARDLINK).withStrict(true).chain());
    }

    @Test
    void parseAndLabel() {
        assertEquals(LinkMode.REFLINK, LinkMode.parse(" Reflink "));
        assertEquals("auto", LinkMode.AUTO.label());
        assertEquals(LinkMethod.HARDLINK, LinkMethod.parse("hardlink"));
        assertEquals("copy", LinkMethod.COPY.label());
        assertThrows(IllegalArgumentException.class, () -> LinkMode.parse("clone"));
    }
}
