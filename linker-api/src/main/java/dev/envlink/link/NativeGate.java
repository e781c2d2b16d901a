package dev.envlink.link;

import java.util.Optional;

/**
 * The checks every native provider makes before touching native code: the
 * {@code -Denvlink.noNative=true} kill switch, then the operating system.
 */
public final class NativeGate {
    /** Kill switch shared by all native providers, like netty's -Dio.netty.transport.noNative. */
    public static final String NO_NATIVE_PROPERTY = "envlink.noNative";

    private NativeGate() {
    }

    public static boolean disabled() {
        return Boolean.getBoolean(NO_NATIVE_PROPERTY);
    }

    /** Why the provider is off before any native code runs, or empty when it may go on probing. */
    public static Optional<Availability> refusal(boolean noNative, boolean rightOs, String osLabel, String osName) {
        if (noNative) {
            return Optional.of(Availability.unavailable("disabled by -D" + NO_NATIVE_PROPERTY + "=true"));
        }
        if (!rightOs) {
            return Optional.of(Availability.unavailable("not " + osLabel + " (os.name=" + osName + ")"));
        }
        return Optional.empty();
    }
}
