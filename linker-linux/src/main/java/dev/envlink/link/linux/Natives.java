package dev.envlink.link.linux;

/**
 * Binds libc through JNA on first use only (holder idiom): constructing the provider, or loading
 * it on another OS, never touches native code. The binding is {@link DirectLibC} (direct
 * mapping, for speed); {@link LibC} stays the interface the code is written against.
 */
final class Natives {
    private Natives() {
    }

    static LibC libc() {
        return Holder.LIBC;
    }

    private static final class Holder {
        // Binds now, so a missing libc fails inside the availability probe, not on the first link.
        static final LibC LIBC = DirectLibC.bind();
    }
}
