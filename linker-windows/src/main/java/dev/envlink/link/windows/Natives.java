package dev.envlink.link.windows;

/**
 * Binds kernel32 through JNA on first use only (holder idiom): constructing the provider, or
 * loading it on another OS, never touches native code.
 */
final class Natives {
    private Natives() {
    }

    static Kernel32 kernel32() {
        return Holder.KERNEL32;
    }

    private static final class Holder {
        // Binds now, so a missing function fails inside the availability probe, not on the first link.
        static final Kernel32 KERNEL32 = DirectKernel32.bind();
    }
}
