package dev.envlink.link;

/**
 * The outcome of trying one method between two filesystems.
 *
 * @param method   the method tried
 * @param state    whether it worked
 * @param reason   why it was declined (null unless DECLINED)
 * @param detail   the provider's message, or how it worked
 * @param provider id of the provider that tried it ("" if none could)
 */
public record MethodStatus(LinkMethod method, State state, DeclineReason reason, String detail, String provider) {

    public enum State {
        /** A real trial succeeded. */
        WORKS,
        /** A real trial was declined for a reason that holds for the whole filesystem pair. */
        DECLINED,
        /** Not tried, or the trial's answer was about that one file only. */
        UNKNOWN
    }

    public boolean works() {
        return state == State.WORKS;
    }

    public boolean declined() {
        return state == State.DECLINED;
    }
}
