package dev.envlink.link.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import dev.envlink.link.Availability;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkProvider;
import dev.envlink.link.LinkProviders;
import dev.envlink.link.TreeCloner;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The provider's identity, discovery and availability logic, without touching native code where possible. */
class MacosLinkProviderTest {

    @Test
    void notMacOs() {
        Availability a = MacosLinkProvider.probeAvailability("Linux", false);
        assertFalse(a.available());
        assertEquals("not macOS (os.name=Linux)", a.cause());
        assertTrue(a.unavailabilityCause().isPresent());
        assertNull(a.error(), "answered without trying native code");
        assertTrue(MacosLinkProvider.probeAvailability("Windows 11", false).cause().contains("Windows 11"));
    }

    @Test
    void recognisesMacOsNames() {
        assertTrue(MacosLinkProvider.isMacOs("Mac OS X"));
        assertTrue(MacosLinkProvider.isMacOs("Darwin"));
        assertFalse(MacosLinkProvider.isMacOs("Linux"));
        assertFalse(MacosLinkProvider.isMacOs("Windows Server 2022"));
    }

    @Test
    void killSwitchWinsEvenOnMacOs() {
        Availability a = MacosLinkProvider.probeAvailability("Mac OS X", true);
        assertFalse(a.available());
        assertTrue(a.cause().contains("-Denvlink.noNative=true"), a.cause());
        assertEquals("envlink.noNative", MacosLinkProvider.NO_NATIVE_PROPERTY);
        assertTrue(MacosLinkProvider.probeAvailability("Linux", true).cause().contains("envlink.noNative"));
    }

    @Test
    void identity() {
        MacosLinkProvider p = new MacosLinkProvider();
        assertEquals("macos", p.id());
        assertEquals(MacosLinkProvider.ID, p.id());
        assertEquals(100, p.priority());
        assertEquals(EnumSet.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.COPY), p.methods());
        assertInstanceOf(TreeCloner.class, p, "offers whole-tree clones to the engine");
    }

    @Test
    void symlinkIsDeclinedAsUnsupportedByProvider() {
        MacosLinkProvider p = new MacosLinkProvider();
        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> p.link(LinkMethod.SYMLINK, Path.of("/nonexistent/a"), Path.of("/nonexistent/b")));
        assertEquals(DeclineReason.UNSUPPORTED_BY_PROVIDER, e.reason());
    }

    @Test
    void foundByServiceLoader() {
        LinkProviders found = LinkProviders.discover(MacosLinkProvider.class.getClassLoader());
        assertTrue(found.all().stream().anyMatch(p -> p instanceof MacosLinkProvider), "services entry missing");
        assertTrue(found.loadFailures().isEmpty(), () -> found.loadFailures().toString());
    }

    @Test
    @DisabledOnOs(OS.MAC)
    void unavailableElsewhereWithTheCause() {
        LinkProvider p = LinkProviders.discover(MacosLinkProvider.class.getClassLoader()).all().stream()
                .filter(x -> x.id().equals("macos")).findFirst().orElseThrow();
        Availability a = LinkProviders.safeAvailability(p);
        assertFalse(a.available());
        assertTrue(a.cause().startsWith("not macOS (os.name=" + System.getProperty("os.name")), a.cause());
    }

    @Test
    @EnabledOnOs(OS.MAC)
    void availableOnMacOsAndRemembered() {
        MacosLinkProvider p = new MacosLinkProvider();
        Availability a = p.availability();
        assertTrue(a.available(), () -> "unavailable: " + a.cause());
        assertSame(a, p.availability(), "probed once and remembered");
    }

    /**
     * Constructing the provider, asking for id/priority/methods and its availability elsewhere must
     * not initialise JNA: every provider is loaded on every OS just to be listed. Checked in an
     * isolated class loader that holds its own copy of the provider, the API and JNA.
     */
    @Test
    void constructionDoesNotLoadNatives() throws Exception {
        URL[] urls = {location(MacosLinkProvider.class), location(LinkProvider.class), location(Native.class)};
        try (Isolated loader = new Isolated(urls)) {
            Class<?> cls = Class.forName(MacosLinkProvider.class.getName(), true, loader);
            assertSame(loader, cls.getClassLoader());
            Object provider = cls.getConstructor().newInstance();
            assertEquals("macos", cls.getMethod("id").invoke(provider));
            assertEquals(100, cls.getMethod("priority").invoke(provider));
            assertEquals(3, ((Set<?>) cls.getMethod("methods").invoke(provider)).size());

            Method probe = cls.getDeclaredMethod("probeAvailability", String.class, boolean.class);
            probe.setAccessible(true);
            Object off = probe.invoke(null, "Linux", false);
            assertEquals(false, off.getClass().getMethod("available").invoke(off));
            Object killed = probe.invoke(null, "Mac OS X", true);
            assertEquals(false, killed.getClass().getMethod("available").invoke(killed));

            assertNull(loader.loaded("com.sun.jna.Native"), "com.sun.jna.Native was loaded");
            assertNull(loader.loaded("dev.envlink.link.macos.Natives$Holder"), "Natives$Holder was loaded");
            assertNull(loader.loaded("dev.envlink.link.macos.DirectLibSystem"), "DirectLibSystem was loaded");
        }
    }

    private static URL location(Class<?> c) throws Exception {
        URL url = c.getProtectionDomain().getCodeSource().getLocation();
        assertNotNull(url, c.getName());
        return url;
    }

    /** A loader that does not delegate to the application class loader, and tells what it loaded. */
    private static final class Isolated extends URLClassLoader {
        Isolated(URL[] urls) {
            super("isolated-macos-provider", urls, ClassLoader.getPlatformClassLoader());
        }

        Class<?> loaded(String name) {
            return findLoadedClass(name);
        }
    }
}
