package dev.envlink.link.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import dev.envlink.link.Availability;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkProvider;
import dev.envlink.link.LinkProviders;
import dev.envlink.link.TreeCloner;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The provider's identity, discovery and availability logic, without touching native code where possible. */
class WindowsLinkProviderTest {

    @Test
    void notWindows() {
        Availability a = WindowsLinkProvider.probeAvailability("Linux", false);
        assertFalse(a.available());
        assertEquals("not Windows (os.name=Linux)", a.cause());
        assertNull(a.error(), "answered without trying native code");
        assertTrue(WindowsLinkProvider.probeAvailability("Mac OS X", false).cause().contains("Mac OS X"));
    }

    @Test
    void killSwitchWinsEvenOnWindows() {
        Availability a = WindowsLinkProvider.probeAvailability("Windows 11", true);
        assertFalse(a.available());
        assertTrue(a.cause().contains("-Denvlink.noNative=true"), a.cause());
        assertEquals("envlink.noNative", WindowsLinkProvider.NO_NATIVE_PROPERTY);
    }

    @Test
    void identity() {
        WindowsLinkProvider p = new WindowsLinkProvider();
        assertEquals("windows", p.id());
        assertEquals(100, p.priority());
        assertEquals(EnumSet.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.SYMLINK), p.methods());
        assertFalse(TreeCloner.class.isAssignableFrom(p.getClass()), "ReFS clones files, not directories");
    }

    @Test
    void foundByServiceLoader() {
        LinkProviders found = LinkProviders.discover(WindowsLinkProvider.class.getClassLoader());
        assertTrue(found.all().stream().anyMatch(p -> p instanceof WindowsLinkProvider), "services entry missing");
        assertTrue(found.loadFailures().isEmpty(), () -> found.loadFailures().toString());
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void unavailableElsewhereWithTheCause() {
        LinkProvider p = LinkProviders.discover(WindowsLinkProvider.class.getClassLoader()).all().stream()
                .filter(x -> x.id().equals("windows")).findFirst().orElseThrow();
        Availability a = LinkProviders.safeAvailability(p);
        assertFalse(a.available());
        assertEquals("not Windows (os.name=" + System.getProperty("os.name") + ")", a.cause());
    }

    @Test
    @EnabledOnOs(OS.WINDOWS)
    void availableOnWindowsAndRemembered() {
        WindowsLinkProvider p = new WindowsLinkProvider();
        Availability a = p.availability();
        assertTrue(a.available(), () -> "unavailable: " + a.cause());
        assertSame(a, p.availability());
    }

    /** Constructing and asking id/priority/methods and availability elsewhere never initialises JNA. */
    @Test
    void constructionDoesNotLoadNatives() throws Exception {
        URL[] urls = {location(WindowsLinkProvider.class), location(LinkProvider.class), location(Native.class)};
        try (Isolated loader = new Isolated(urls)) {
            Class<?> cls = Class.forName(WindowsLinkProvider.class.getName(), true, loader);
            assertSame(loader, cls.getClassLoader());
            Object provider = cls.getConstructor().newInstance();
            assertEquals("windows", cls.getMethod("id").invoke(provider));
            assertEquals(100, cls.getMethod("priority").invoke(provider));
            assertEquals(3, ((Set<?>) cls.getMethod("methods").invoke(provider)).size());

            Method probe = cls.getDeclaredMethod("probeAvailability", String.class, boolean.class);
            probe.setAccessible(true);
            Object off = probe.invoke(null, "Linux", false);
            assertEquals(false, off.getClass().getMethod("available").invoke(off));
            Object killed = probe.invoke(null, "Windows 11", true);
            assertEquals(false, killed.getClass().getMethod("available").invoke(killed));

            assertNull(loader.loaded("com.sun.jna.Native"), "com.sun.jna.Native was loaded");
            assertNull(loader.loaded("dev.envlink.link.windows.Natives$Holder"), "Natives$Holder was loaded");
            assertNull(loader.loaded("dev.envlink.link.windows.DirectKernel32"), "DirectKernel32 was loaded");
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
            super("isolated-windows-provider", urls, ClassLoader.getPlatformClassLoader());
        }

        Class<?> loaded(String name) {
            return findLoadedClass(name);
        }
    }
}
