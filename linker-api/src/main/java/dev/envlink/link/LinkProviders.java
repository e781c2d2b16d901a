package dev.envlink.link;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds providers with {@link ServiceLoader}. A provider that fails to load (a broken services
 * entry, a missing class, a native library that does not link) does not stop the others: the
 * failure is remembered so {@code envlink info} can show it.
 */
public final class LinkProviders {

    /** A provider that could not even be instantiated, and why. */
    public record LoadFailure(String description, Throwable error) {
    }

    private final List<LinkProvider> providers;
    private final List<LoadFailure> failures;

    private LinkProviders(List<LinkProvider> providers, List<LoadFailure> failures) {
        this.providers = List.copyOf(providers);
        this.failures = List.copyOf(failures);
    }

    /** Providers on the class path of this class's loader, plus the portable one if it was missed. */
    public static LinkProviders discover() {
        return discover(LinkProviders.class.getClassLoader());
    }

    public static LinkProviders discover(ClassLoader loader) {
        List<LinkProvider> found = new ArrayList<>();
        List<LoadFailure> failures = new ArrayList<>();
        Iterator<LinkProvider> it = ServiceLoader.load(LinkProvider.class, loader).iterator();
        String previousError = null;
        while (true) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
                previousError = null;
            } catch (ServiceConfigurationError | LinkageError e) {
                String message = String.valueOf(e.getMessage());
                if (message.equals(previousError)) {
                    // The same error again: the iterator is not advancing (e.g. the loader cannot
                    // list the services files at all), so asking again would loop forever.
                    break;
                }
                previousError = message;
                failures.add(new LoadFailure(message, e));
            }
        }
        if (found.stream().noneMatch(p -> p instanceof PortableLinkProvider)) {
            found.add(new PortableLinkProvider());
        }
        return of(found, failures);
    }

    public static LinkProviders of(List<LinkProvider> providers, List<LoadFailure> failures) {
        List<LinkProvider> sorted = new ArrayList<>(providers);
        sorted.sort(Comparator.comparingInt(LinkProvider::priority).reversed()
                .thenComparing(LinkProvider::id));
        return new LinkProviders(sorted, failures);
    }

    public static LinkProviders of(LinkProvider... providers) {
        return of(List.of(providers), List.of());
    }

    /** All loaded providers, highest priority first, available or not. */
    public List<LinkProvider> all() {
        return providers;
    }

    public List<LinkProvider> available() {
        return providers.stream().filter(p -> safeAvailability(p).available()).toList();
    }

    /** Available providers that can attempt {@code method}, highest priority first. */
    public List<LinkProvider> forMethod(LinkMethod method) {
        return available().stream().filter(p -> p.methods().contains(method)).toList();
    }

    public List<LoadFailure> loadFailures() {
        return failures;
    }

    /** A provider whose availability check itself throws is unavailable, not fatal. */
    public static Availability safeAvailability(LinkProvider provider) {
        try {
            return provider.availability();
        } catch (RuntimeException | LinkageError e) {
            return Availability.unavailable("availability check failed", e);
        }
    }
}
