package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fallback engine. For each file it tries the methods of the mode in order, skipping those a
 * probe already found impossible between the two filesystems, and reports what it actually did.
 *
 * <p>Thread-safe: one instance may link many files in parallel and shares its probe cache.
 */
public final class Linker {
    private static final String TEMP_PREFIX = ".envlink-";

    private final LinkProviders providers;
    private final LinkOptions options;
    private final Map<DevicePair, CompletableFuture<PairProbe>> probes = new ConcurrentHashMap<>();

    public Linker(LinkProviders providers, LinkOptions options) {
        this.providers = Objects.requireNonNull(providers);
        this.options = Objects.requireNonNull(options);
    }

    /** An engine over the providers found on the class path. */
    public static Linker create(LinkOptions options) {
        return new Linker(LinkProviders.discover(), options);
    }

    public LinkOptions options() {
        return options;
    }

    public LinkProviders providers() {
        return providers;
    }

    /**
     * The device key of {@code path} from the highest-priority available provider (the same key
     * {@link DeviceIds#of} gives).
     */
    public String deviceId(Path path) throws IOException {
        List<LinkProvider> available = available();
        return available.isEmpty() ? DeviceIds.of(path) : available.get(0).deviceId(path);
    }

    /**
     * The available providers, highest priority first, listed once: the batch engine asks per
     * directory, and {@link LinkProviders#available()} filters anew each time.
     */
    private List<LinkProvider> available() {
        List<LinkProvider> a = available;
        if (a == null) {
            a = providers.available();
            available = a; // benign race: every thread finds the same list
        }
        return a;
    }

    private volatile List<LinkProvider> available;

    /** Probes used so far, one per (source device, target device) pair. */
    public List<PairProbe> probesUsed() {
        List<PairProbe> out = new ArrayList<>();
        for (CompletableFuture<PairProbe> f : probes.values()) {
            if (f.isDone() && !f.isCompletedExceptionally()) {
                out.add(f.join());
            }
        }
        return out;
    }

    /** Links one regular file or recreates one symlink. */
    public FileOutcome linkFile(Path source, Path target) throws IOException {
        SourceAttributes attrs = SourceAttributes.read(source);
        if (attrs.symlink()) {
            recreateSymlink(source, target);
            return new FileOutcome(source, target, LinkMethod.SYMLINK, 0, List.of(), "nio");
        }
        if (!attrs.regular()) {
            throw new IOException(source + ": not a regular file, cannot link it");
        }
        Path dir = parentOf(target);
        return linkRegular(source, target, attrs, DeviceIds.of(source), DeviceIds.of(dir));
    }

    /** Links a whole tree in parallel; see {@link TreeLinker}. */
    public LinkReport linkTree(Path source, Path target) throws IOException {
        return new TreeLinker(this).link(source, target);
    }

    /** Links one regular file whose attributes the caller has read. */
    FileOutcome linkRegular(Path source, Path target, SourceAttributes attrs, String sourceDevice,
                            String targetDevice) throws IOException {
        long size = attrs.size();
        boolean strict = options.strict();
        PairProbe probe = probeCached(source, parentOf(target), sourceDevice, targetDevice);
        List<Decline> declines = new ArrayList<>(2);
        for (LinkMethod method : options.chain()) {
            MethodStatus known = probe.status(method);
            if (known.declined()) {
                if (strict) {
                    throw new StrictModeException(new LinkDeclinedException(method, known.reason(), source, target,
                            known.detail() + " (found by the probe of this filesystem pair)"));
                }
                // No exception per file (a stack trace each): the probe's verdict is shared.
                declines.add(probe.decline(method));
                continue;
            }
            try {
                String provider = place(method, source, target, attrs);
                return new FileOutcome(source, target, method, size, declines, provider);
            } catch (LinkDeclinedException d) {
                if (strict) {
                    throw new StrictModeException(d);
                }
                declines.add(Decline.of(d));
            }
        }
        IOException e = new IOException("no link method could place " + source + " at " + target);
        declines.forEach(d -> e.addSuppressed(new IOException(d.detail())));
        throw e;
    }

    /** Two directories held open by a provider's fast path. */
    record OpenDirectories(LinkProvider provider, DirectoryLinker linker) {
    }

    /**
     * The two directories opened by the highest-priority available provider that has a directory
     * fast path there; null when none has (or none could open them).
     */
    OpenDirectories openDirectories(Path sourceDir, Path targetDir) {
        for (LinkProvider p : available()) {
            java.util.Optional<DirectoryLinker> d = p.openDirectories(sourceDir, targetDir);
            if (d.isPresent()) {
                return new OpenDirectories(p, d.get());
            }
        }
        return null;
    }

    /** The method and provider a file goes to at the first try, when nothing is in the way. */
    record FirstChoice(LinkMethod method, LinkProvider provider, List<Decline> declines) {
    }

    /**
     * What every file from the source device to the target device is placed with at the first try
     * (the probe's verdict), for providers' directory fast path; null when the engine must decide
     * per file: an existing-target policy that places through a temporary name, strict mode whose
     * first choice is ruled out, or a provider that leaves the attributes to the engine.
     */
    FirstChoice firstChoice(Path sample, Path targetDir, String sourceDevice, String targetDevice)
            throws IOException {
        if (options.existing() != ExistingPolicy.FAIL) {
            return null;
        }
        PairProbe probe = probeCached(sample, targetDir, sourceDevice, targetDevice);
        List<Decline> declines = new ArrayList<>(2);
        for (LinkMethod method : options.chain()) {
            if (probe.status(method).declined()) {
                if (options.strict()) {
                    return null;
                }
                declines.add(probe.decline(method)); // as each file placed one by one would report
                continue;
            }
            List<LinkProvider> candidates = providers.forMethod(method);
            if (candidates.isEmpty()) {
                return null;
            }
            LinkProvider p = candidates.get(0);
            boolean attributesDone = method == LinkMethod.HARDLINK || p.preservesAttributes(method);
            return attributesDone ? new FirstChoice(method, p, List.copyOf(declines)) : null;
        }
        return null;
    }

    /** Places the file with one method, honouring the existing-destination policy. */
    private String place(LinkMethod method, Path source, Path target, SourceAttributes attrs) throws IOException {
        if (options.existing() == ExistingPolicy.FAIL) {
            LinkProvider provider = attemptWith(method, source, target);
            if (!provider.preservesAttributes(method)) {
                finish(method, target, attrs);
            }
            return provider.id();
        }
        Path temp = tempSibling(target);
        try {
            LinkProvider provider = attemptWith(method, source, temp);
            if (!provider.preservesAttributes(method)) {
                finish(method, temp, attrs);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return provider.id();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Reflinks and copies are new inodes: give them the source's mode bits and mtime. */
    private static void finish(LinkMethod method, Path placed, SourceAttributes attrs)
            throws IOException {
        if (method != LinkMethod.REFLINK && method != LinkMethod.COPY) {
            return;
        }
        try {
            attrs.applyTo(placed);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(placed);
            throw e;
        }
    }

    /** Tries the providers of a method, highest priority first; returns the id of the one that worked. */
    private String attempt(LinkMethod method, Path source, Path target) throws IOException {
        return attemptWith(method, source, target).id();
    }

    private LinkProvider attemptWith(LinkMethod method, Path source, Path target) throws IOException {
        LinkDeclinedException last = null;
        for (LinkProvider p : providers.forMethod(method)) {
            try {
                p.link(method, source, target);
                return p;
            } catch (LinkDeclinedException d) {
                if (d.reason() != DeclineReason.UNSUPPORTED_BY_PROVIDER) {
                    throw d;
                }
                last = d;
            }
        }
        if (last != null) {
            throw last;
        }
        throw new LinkDeclinedException(method, DeclineReason.UNSUPPORTED_BY_PROVIDER, source, target,
                "no available provider can " + method.label() + " here");
    }

    /** Recreates a symlink with the same target text: never followed, never rewritten. */
    void recreateSymlink(Path source, Path target) throws IOException {
        Path linkTarget = Files.readSymbolicLink(source);
        if (options.existing() == ExistingPolicy.FAIL) {
            Files.createSymbolicLink(target, linkTarget);
            return;
        }
        Path temp = tempSibling(target);
        try {
            Files.createSymbolicLink(temp, linkTarget);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private PairProbe probeCached(Path sample, Path targetDir, String sourceDevice, String targetDevice)
            throws IOException {
        DevicePair key = new DevicePair(sourceDevice, targetDevice);
        CompletableFuture<PairProbe> mine = new CompletableFuture<>();
        CompletableFuture<PairProbe> existing = probes.putIfAbsent(key, mine);
        if (existing != null) {
            try {
                return existing.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new IOException("probe of " + key + " failed", e.getCause());
            }
        }
        try {
            // Copy is the last resort and never declines: trying it would only copy the sample twice.
            List<LinkMethod> methods = options.chain().stream().filter(m -> m != LinkMethod.COPY).toList();
            PairProbe probe = trial(sample, targetDir, sourceDevice, targetDevice, methods);
            mine.complete(probe);
            return probe;
        } catch (Throwable e) {
            // Let a later file try again rather than remember a one-off failure. Errors too (a native
            // library that fails to link on first use): a probe left pending would block every waiter.
            probes.remove(key, mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    /**
     * A fresh, uncached probe of every method from {@code sample} into {@code targetDir}: what
     * {@code envlink probe} shows.
     */
    public PairProbe probe(Path sample, Path targetDir) throws IOException {
        return trial(sample, targetDir, DeviceIds.of(sample), DeviceIds.of(targetDir), List.of(LinkMethod.values()));
    }

    /** Real trials: link the sample to a temporary name in the target directory, then delete it. */
    private PairProbe trial(Path sample, Path targetDir, String sourceDevice, String targetDevice,
                            List<LinkMethod> methods) throws IOException {
        Map<LinkMethod, MethodStatus> statuses = new EnumMap<>(LinkMethod.class);
        for (LinkMethod method : methods) {
            Path temp = targetDir.resolve(TEMP_PREFIX + "probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                String provider = attempt(method, sample, temp);
                statuses.put(method, new MethodStatus(method, MethodStatus.State.WORKS, null, "trial succeeded", provider));
            } catch (LinkDeclinedException d) {
                MethodStatus.State state = d.reason().perFilesystem() ? MethodStatus.State.DECLINED : MethodStatus.State.UNKNOWN;
                statuses.put(method, new MethodStatus(method, state, d.reason(), d.detail(), ""));
            } finally {
                Files.deleteIfExists(temp);
            }
        }
        return new PairProbe(sourceDevice, targetDevice, statuses);
    }

    static Path tempSibling(Path target) {
        Path name = target.getFileName();
        return target.resolveSibling(TEMP_PREFIX + name + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    private static Path parentOf(Path target) {
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("target has no parent directory: " + target);
        }
        return parent;
    }

    private record DevicePair(String source, String target) {
        // equals and hashCode written out: a record's are bootstrapped through method handles on
        // first use (~10 ms of a cold JVM), on the placing threads.
        @Override
        public boolean equals(Object o) {
            return o instanceof DevicePair p && p.source.equals(source) && p.target.equals(target);
        }

        @Override
        public int hashCode() {
            return source.hashCode() * 31 + target.hashCode();
        }

        @Override
        public String toString() {
            return source + " -> " + target;
        }
    }
}
