package dev.envlink.link.linux;

import com.sun.jna.Native;

/**
 * Loads libc through JNA on first use only (holder idiom): constructing the provider, or loading
 * it on another OS, never touches native code.
 */
final class Natives {
    private Natives() {
    }

    static LibC libc() {
        return Holder.LIBC;
    }

    private static final class Holder {
        static final LibC LIBC = Native.load("c", LibC.class);
    }
}
