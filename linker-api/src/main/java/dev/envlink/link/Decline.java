package dev.envlink.link;

/** One method that was skipped or declined for one file, and why. */
public record Decline(LinkMethod method, DeclineReason reason, String detail, boolean fromProbe) {

    static Decline of(LinkDeclinedException e) {
        return new Decline(e.method(), e.reason(), e.detail(), false);
    }
}
