package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The provider's identity and availability logic, without touching native code where possible. */
class LinuxLinkProviderTest {

    @Test
    void notLinux() {
        Availability a = LinuxLinkProvider.probeAvailability("Mac OS X", false);
        assertFalse(a.available());
        assertTrue(a.cause().contains("Mac OS X"), a.cause());
        assertTrue(a.unavailabilityCause().isPresent());
        assertTrue(LinuxLinkProvider.probeAvailability("Windows 11", false).cause().contains("Windows 11"));
    }

    @Test
    void killSwitchWinsEvenOnLinux() {
        Availability a = LinuxLinkProvider.probeAvailability("Linux", true);
        assertFalse(a.available());
        assertTrue(a.cause().contains("-D" + LinuxLinkProvider.NO_NATIVE_PROPERTY), a.cause());
        assertTrue(a.cause().contains("-Denvlink.noNative"), a.cause());
        assertNull(a.error());
    }

    @Test
    void killSwitchIsCheckedBeforeTheOs() {
        assertTrue(LinuxLinkProvider.probeAvailability("Mac OS X", true).cause().contains("envlink.noNative"));
    }

    @Test
    void identity() {
        LinuxLinkProvider p = new LinuxLinkProvider();
        assertEquals("linux", p.id());
        assertEquals(LinuxLinkProvider.ID, p.id());
        assertEquals(100, p.priority());
        assertEquals(EnumSet.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.COPY), p.methods());
        assertFalse(p.methods().contains(LinkMethod.SYMLINK));
    }

    @Test
    void symlinkIsDeclinedAsUnsupportedByProvider() {
        LinuxLinkProvider p = new LinuxLinkProvider();
        LinkDeclinedException e = assertThrows(LinkDeclinedException.class,
                () -> p.link(LinkMethod.SYMLINK, Path.of("/nonexistent/a"), Path.of("/nonexistent/b")));
        assertEquals(DeclineReason.UNSUPPORTED_BY_PROVIDER, e.reason());
        assertEquals(LinkMethod.SYMLINK, e.method());
    }

    /** A FIFO (or symlink) source is declined at once: opening it must not block, nothing is created. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void nonRegularSourcesAreDeclinedWithoutBlocking(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Path link = tmp.resolve("link");
        java.nio.file.Files.createSymbolicLink(link, tmp.resolve("elsewhere"));
        LinuxLinkProvider p = new LinuxLinkProvider();
        for (Path source : new Path[] {fifo, link}) {
            for (LinkMethod m : new LinkMethod[] {LinkMethod.COPY, LinkMethod.REFLINK}) {
                Path target = tmp.resolve("out-" + m + "-" + source.getFileName());
                LinkDeclinedException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
                        java.time.Duration.ofSeconds(10),
                        () -> assertThrows(LinkDeclinedException.class, () -> p.link(m, source, target)));
                assertEquals(DeclineReason.NOT_A_REGULAR_FILE, e.reason(), m + " of " + source);
                assertFalse(java.nio.file.Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS), target + " left");
            }
        }
    }

    /** Reflink and copy carry mode bits (never setuid) and the nanosecond mtime on the descriptors. */
    @Test
    @EnabledOnOs(OS.LINUX)
    void copyCarriesModeAndMtime(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src");
        java.nio.file.Files.writeString(src, "#!/bin/sh\necho hi\n");
        java.nio.file.Files.setPosixFilePermissions(src, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        java.nio.file.attribute.FileTime t = java.nio.file.attribute.FileTime.from(
                java.time.Instant.parse("2020-02-03T04:05:06.123456789Z"));
        java.nio.file.Files.setLastModifiedTime(src, t);
        LinuxLinkProvider p = new LinuxLinkProvider();
        assertTrue(p.preservesAttributes(LinkMethod.COPY) && p.preservesAttributes(LinkMethod.REFLINK));
        assertFalse(p.preservesAttributes(LinkMethod.HARDLINK));
        Path dst = tmp.resolve("dst");
        p.link(LinkMethod.COPY, src, dst);
        assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"),
                java.nio.file.Files.getPosixFilePermissions(dst));
        assertEquals(t, java.nio.file.Files.getLastModifiedTime(dst));
        assertEquals("#!/bin/sh\necho hi\n", java.nio.file.Files.readString(dst));
    }

    @Test
    void foundByServiceLoader() {
        LinkProviders found = LinkProviders.discover(LinuxLinkProvider.class.getClassLoader());
        assertTrue(found.all().stream().anyMatch(p -> p instanceof LinuxLinkProvider), "services entry missing");
        assertEquals("linux", found.all().get(0).id(), "highest priority comes first");
        assertTrue(found.loadFailures().isEmpty(), () -> found.loadFailures().toString());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void availableHereAndRemembered() {
        LinuxLinkProvider p = new LinuxLinkProvider();
        Availability a = p.availability();
        assertTrue(a.available(), () -> "unavailable: " + a.cause());
        assertSame(a, p.availability(), "probed once and remembered");
    }

    /**
     * Constructing the provider and asking for id/priority/methods must not initialise JNA: the
     * engine loads every provider, also on other operating systems, just to list them. Checked in
     * an isolated class loader that holds its own copy of the provider, the API and JNA.
     */
    @Test
    void constructionDoesNotLoadNatives() throws Exception {
        URL[] urls = {
                location(LinuxLinkProvider.class), location(LinkProvider.class), location(Native.class)};
        try (Isolated loader = new Isolated(urls)) {
            Class<?> cls = Class.forName(LinuxLinkProvider.class.getName(), true, loader);
            assertSame(loader, cls.getClassLoader());
            Object provider = cls.getConstructor().newInstance();
            assertEquals("linux", cls.getMethod("id").invoke(provider));
            assertEquals(100, cls.getMethod("priority").invoke(provider));
            assertEquals(3, ((Set<?>) cls.getMethod("methods").invoke(provider)).size());

            assertNull(loader.loaded("com.sun.jna.Native"), "com.sun.jna.Native was loaded");
            assertNull(loader.loaded("dev.envlink.link.linux.Natives"), "Natives was loaded");
            assertNull(loader.loaded("dev.envlink.link.linux.Natives$Holder"), "Natives$Holder was loaded");

            // The kill switch answers without natives too.
            Object a = cls.getDeclaredMethod("probeAvailability", String.class, boolean.class);
            java.lang.reflect.Method probe = (java.lang.reflect.Method) a;
            probe.setAccessible(true);
            Object availability = probe.invoke(null, "Linux", true);
            assertEquals(false, availability.getClass().getMethod("available").invoke(availability));
            assertNull(loader.loaded("com.sun.jna.Native"), "the kill switch loaded JNA");
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
            super("isolated-linux-provider", urls, ClassLoader.getPlatformClassLoader());
        }

        Class<?> loaded(String name) {
            return findLoadedClass(name);
        }
    }
}
