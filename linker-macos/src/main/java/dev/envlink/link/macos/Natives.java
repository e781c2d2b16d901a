package dev.envlink.link.macos;

/**
 * Binds libSystem through JNA on first use only (holder idiom): constructing the provider, or
 * loading it on another OS, never touches native code.
 */
final class Natives {
    private Natives() {
    }

    static LibSystem libSystem() {
        return Holder.LIB_SYSTEM;
    }

    private static final class Holder {
        // Binds now, so a missing symbol fails inside the availability probe, not on the first link.
        static final LibSystem LIB_SYSTEM = DirectLibSystem.bind();
    }
}
