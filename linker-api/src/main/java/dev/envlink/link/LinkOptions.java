package dev.envlink.link;

import java.util.List;
import java.util.Objects;

/**
 * How the engine places files.
 *
 * @param mode        auto or one named method
 * @param strict      fail instead of falling back (needs a named method)
 * @param existing    what to do with an existing destination
 * @param parallelism threads for tree linking
 */
public record LinkOptions(LinkMode mode, boolean strict, ExistingPolicy existing, int parallelism) {

    public LinkOptions {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(existing, "existing");
        if (strict && mode == LinkMode.AUTO) {
            throw new IllegalArgumentException("--strict needs a named method (reflink, hardlink or copy), not auto");
        }
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
    }

    public static LinkOptions defaults() {
        return new LinkOptions(LinkMode.AUTO, false, ExistingPolicy.FAIL, defaultParallelism());
    }

    /**
     * Linking is syscall-bound and the kernel's work is CPU work: one thread per core (at least
     * two, to overlap the waits). More only contend in the filesystem: a 51 000-file install on
     * 2 cores placed its reflinks on Btrfs in 1.95 s with 2 threads and 2.35 s with 4, its
     * hardlinks on ext4 no faster with 4 (bench/install.sh).
     */
    public static int defaultParallelism() {
        return Math.max(2, Math.min(16, Runtime.getRuntime().availableProcessors()));
    }

    public LinkOptions withMode(LinkMode m) {
        return new LinkOptions(m, strict, existing, parallelism);
    }

    public LinkOptions withStrict(boolean s) {
        return new LinkOptions(mode, s, existing, parallelism);
    }

    public LinkOptions withExisting(ExistingPolicy e) {
        return new LinkOptions(mode, strict, e, parallelism);
    }

    public LinkOptions withParallelism(int p) {
        return new LinkOptions(mode, strict, existing, p);
    }

    List<LinkMethod> chain() {
        return mode.chain(strict);
    }
}
