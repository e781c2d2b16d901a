package dev.envlink.link;

import java.util.Optional;

/** Whether a provider can be used here, and if not, why not (kept, like netty's native transports). */
public record Availability(boolean available, String cause, Throwable error) {

    private static final Availability AVAILABLE = new Availability(true, null, null);

    public static Availability ok() {
        return AVAILABLE;
    }

    public static Availability unavailable(String cause) {
        return new Availability(false, cause, null);
    }

    public static Availability unavailable(String cause, Throwable error) {
        return new Availability(false, cause + ": " + error, error);
    }

    public Optional<String> unavailabilityCause() {
        return available ? Optional.empty() : Optional.ofNullable(cause);
    }
}
