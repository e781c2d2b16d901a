package dev.envlink.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Discovery with {@link ServiceLoader}: broken providers are recorded, never fatal. */
public class LinkProvidersTest {
    private static final String SERVICES = "META-INF/services/" + LinkProvider.class.getName();

    /** Loadable through a services file; its availability check throws. */
    public static final class ThrowingAvailabilityProvider implements LinkProvider {
        public ThrowingAvailabilityProvider() {
        }

        @Override
        public String id() {
            return "throwing";
        }

        @Override
        public int priority() {
            return 1000;
        }

        @Override
        public Set<LinkMethod> methods() {
            return EnumSet.allOf(LinkMethod.class);
        }

        @Override
        public Availability availability() {
            throw new UnsatisfiedLinkError("libenvlink.so: cannot open shared object file");
        }

        @Override
        public void link(LinkMethod method, Path source, Path target) {
            throw new AssertionError("an unavailable provider must never be asked to link");
        }
    }

    /** Loadable through a services file; its constructor fails. */
    public static final class FailingConstructorProvider extends PortableLinkProviderStub {
        public FailingConstructorProvider() {
            throw new IllegalStateException("cannot construct");
        }
    }

    /** A plain provider with a public constructor, usable from a services file. */
    public static class PortableLinkProviderStub implements LinkProvider {
        public PortableLinkProviderStub() {
        }

        @Override
        public String id() {
            return "stub";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Set<LinkMethod> methods() {
            return EnumSet.of(LinkMethod.COPY);
        }

        @Override
        public Availability availability() {
            return Availability.ok();
        }

        @Override
        public void link(LinkMethod method, Path source, Path target) throws IOException {
            Files.copy(source, target);
        }
    }

    @TempDir
    Path dir;

    /** A class loader that serves an extra services file with these lines, on top of the test class path. */
    private ClassLoader withServices(String... lines) throws IOException {
        Path services = dir.resolve(SERVICES);
        Files.createDirectories(services.getParent());
        Files.writeString(services, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    }

    @Test
    void thePortableProviderIsRegisteredInMetaInfServices() {
        List<String> types = ServiceLoader.load(LinkProvider.class, LinkProviders.class.getClassLoader()).stream()
                .map(p -> p.type().getName()).toList();

        assertEquals(List.of(PortableLinkProvider.class.getName()), types);
    }

    @Test
    void discoverFindsThePortableProvider() {
        LinkProviders providers = LinkProviders.discover();

        assertEquals(1, providers.all().stream().filter(p -> p instanceof PortableLinkProvider).count(),
                "found once, through META-INF/services, not added twice");
        assertEquals(List.of(), providers.loadFailures());
        assertTrue(providers.available().stream().anyMatch(p -> p.id().equals(PortableLinkProvider.ID)));
        assertEquals(List.of(PortableLinkProvider.ID),
                providers.forMethod(LinkMethod.HARDLINK).stream().map(LinkProvider::id).toList());
        assertEquals(List.of(), providers.forMethod(LinkMethod.REFLINK));
    }

    @Test
    void thePortableProviderIsAddedEvenWhenTheServicesFileIsMissing() {
        ClassLoader empty = new ClassLoader(null) {
        };
        LinkProviders providers = LinkProviders.discover(empty);

        assertEquals(List.of(PortableLinkProvider.ID), providers.all().stream().map(LinkProvider::id).toList());
    }

    @Test
    void aBrokenServicesEntryIsRecordedAndDiscoveryGoesOn() throws IOException {
        ClassLoader loader = withServices(
                "dev.envlink.link.DoesNotExist",
                PortableLinkProviderStub.class.getName(),
                FailingConstructorProvider.class.getName(),
                TestFiles.class.getName()); // not a LinkProvider

        LinkProviders providers = LinkProviders.discover(loader);

        List<String> ids = providers.all().stream().map(LinkProvider::id).toList();
        assertEquals(List.of("stub", PortableLinkProvider.ID), ids, "highest priority first");
        List<LinkProviders.LoadFailure> failures = providers.loadFailures();
        assertEquals(3, failures.size(), failures.toString());
        assertTrue(failures.get(0).description().contains("dev.envlink.link.DoesNotExist"), failures.get(0).description());
        assertInstanceOf(ServiceConfigurationError.class, failures.get(0).error());
        assertTrue(failures.stream().anyMatch(f -> f.description().contains("FailingConstructorProvider")),
                failures.toString());
        assertTrue(failures.stream().anyMatch(f -> f.description().contains("TestFiles not a subtype")),
                failures.toString());
    }

    @Test
    void aClassLoaderThatCannotListServicesDoesNotHangDiscovery() {
        ClassLoader broken = new ClassLoader(getClass().getClassLoader()) {
            @Override
            public Enumeration<URL> getResources(String name) throws IOException {
                if (name.startsWith("META-INF/services/")) {
                    throw new IOException("jar index corrupt");
                }
                return Collections.emptyEnumeration();
            }
        };

        LinkProviders providers = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> LinkProviders.discover(broken));

        assertFalse(providers.loadFailures().isEmpty());
        assertEquals(List.of(PortableLinkProvider.ID), providers.all().stream().map(LinkProvider::id).toList());
    }

    @Test
    void aProviderWhoseAvailabilityThrowsIsUnavailable() throws IOException {
        ClassLoader loader = withServices(ThrowingAvailabilityProvider.class.getName());

        LinkProviders providers = LinkProviders.discover(loader);

        assertEquals(List.of("throwing", PortableLinkProvider.ID),
                providers.all().stream().map(LinkProvider::id).toList(), "still listed, for `envlink info`");
        assertEquals(List.of(PortableLinkProvider.ID), providers.available().stream().map(LinkProvider::id).toList());
        assertEquals(List.of(PortableLinkProvider.ID),
                providers.forMethod(LinkMethod.COPY).stream().map(LinkProvider::id).toList());
        assertEquals(List.of(), providers.forMethod(LinkMethod.REFLINK));

        Availability a = LinkProviders.safeAvailability(providers.all().get(0));
        assertFalse(a.available());
        assertInstanceOf(UnsatisfiedLinkError.class, a.error());
        assertTrue(a.unavailabilityCause().orElseThrow().contains("availability check failed"));
    }

    @Test
    void theEngineLinksAroundAProviderWhoseAvailabilityThrows() throws IOException {
        Path source = TestFiles.write(dir.resolve("a"), "a");
        Linker linker = new Linker(LinkProviders.of(new ThrowingAvailabilityProvider(), new PortableLinkProvider()),
                LinkOptions.defaults());

        FileOutcome outcome = linker.linkFile(source, dir.resolve("b"));

        assertEquals(PortableLinkProvider.ID, outcome.provider());
        assertEquals(LinkMethod.HARDLINK, outcome.method());
    }

    @Test
    void providersAreOrderedByPriorityThenId() {
        ScriptedProvider a = new ScriptedProvider("a", 10, EnumSet.of(LinkMethod.COPY));
        ScriptedProvider b = new ScriptedProvider("b", 10, EnumSet.of(LinkMethod.COPY));
        ScriptedProvider top = new ScriptedProvider("top", 20, EnumSet.of(LinkMethod.REFLINK));
        ScriptedProvider off = new ScriptedProvider("off", 30, EnumSet.of(LinkMethod.COPY))
                .availability(Availability.unavailable("disabled"));

        LinkProviders providers = LinkProviders.of(b, new PortableLinkProvider(), off, a, top);

        assertEquals(List.of("off", "top", "a", "b", "portable"), providers.all().stream().map(LinkProvider::id).toList());
        assertEquals(List.of("a", "b", "portable"),
                providers.forMethod(LinkMethod.COPY).stream().map(LinkProvider::id).toList());
        assertEquals(List.of("top"), providers.forMethod(LinkMethod.REFLINK).stream().map(LinkProvider::id).toList());
        assertEquals(List.of(), providers.loadFailures());
    }
}
