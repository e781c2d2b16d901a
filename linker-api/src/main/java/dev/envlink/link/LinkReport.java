package dev.envlink.link;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What a link run did: files and bytes per method actually used, and every fallback with its reason. */
public record LinkReport(Map<LinkMethod, Long> files, Map<LinkMethod, Long> bytes, long directories,
                         long symlinks, List<String> skipped, List<Fallback> fallbacks,
                         List<PairProbe> probes, Duration elapsed) {

    public long totalFiles() {
        return files.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalBytes() {
        return bytes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Thread-safe accumulator used while linking. */
    public static final class Builder {
        private final Map<LinkMethod, LongAdder> files = new EnumMap<>(LinkMethod.class);
        private final Map<LinkMethod, LongAdder> bytes = new EnumMap<>(LinkMethod.class);
        private final Map<String, FallbackCounter> fallbacks = new ConcurrentHashMap<>();
        private final List<String> skipped = new ArrayList<>();
        private final LongAdder directories = new LongAdder();
        private final LongAdder symlinks = new LongAdder();
        private final long startNanos = System.nanoTime();

        public Builder() {
            for (LinkMethod m : LinkMethod.values()) {
                files.put(m, new LongAdder());
                bytes.put(m, new LongAdder());
            }
        }

        public void add(FileOutcome outcome) {
            placed(outcome.method(), 1, outcome.bytes(), outcome.declines(), outcome::source);
        }

        /**
         * As {@link #add}, for {@code count} files of {@code size} bytes in all placed alike without
         * a {@link FileOutcome} each (a batch fast path); {@code source} is asked for an example
         * path only when a fallback is new to this report.
         */
        public void placed(LinkMethod method, long count, long size, List<Decline> declines,
                           java.util.function.Supplier<Path> source) {
            files.get(method).add(count);
            bytes.get(method).add(size);
            for (Decline d : declines) {
                String key = d.method() + "/" + method + "/" + d.reason();
                fallbacks.computeIfAbsent(key, k -> new FallbackCounter(d.method(), method, d.reason(),
                        source.get() + ": " + d.detail() + (d.fromProbe() ? " (found by the probe)" : "")))
                        .add(count, size);
            }
        }

        public void directory() {
            directories.increment();
        }

        public void symlink() {
            symlinks.increment();
        }

        public synchronized void skipped(String what) {
            skipped.add(what);
        }

        public LinkReport build(Collection<PairProbe> probes) {
            Map<LinkMethod, Long> f = new LinkedHashMap<>();
            Map<LinkMethod, Long> b = new LinkedHashMap<>();
            for (LinkMethod m : LinkMethod.values()) {
                f.put(m, files.get(m).sum());
                b.put(m, bytes.get(m).sum());
            }
            List<Fallback> fb = fallbacks.values().stream().map(FallbackCounter::toFallback)
                    .sorted(Comparator.comparingLong(Fallback::files).reversed()).toList();
            List<String> sk;
            synchronized (this) {
                sk = List.copyOf(skipped);
            }
            return new LinkReport(Collections.unmodifiableMap(f), Collections.unmodifiableMap(b), directories.sum(), symlinks.sum(), sk, fb,
                    List.copyOf(probes), Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }

    private static final class FallbackCounter {
        private final LinkMethod wanted;
        private final LinkMethod used;
        private final DeclineReason reason;
        private final String example;
        private final LongAdder files = new LongAdder();
        private final LongAdder bytes = new LongAdder();

        FallbackCounter(LinkMethod wanted, LinkMethod used, DeclineReason reason, String example) {
            this.wanted = wanted;
            this.used = used;
            this.reason = reason;
            this.example = example;
        }

        void add(long count, long size) {
            files.add(count);
            bytes.add(size);
        }

        Fallback toFallback() {
            return new Fallback(wanted, used, reason, files.sum(), bytes.sum(), example);
        }
    }
}
