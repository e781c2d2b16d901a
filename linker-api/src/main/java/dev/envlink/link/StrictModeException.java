package dev.envlink.link;

/** The requested method was declined and strict mode forbids falling back to another one. */
public final class StrictModeException extends LinkDeclinedException {
    private static final long serialVersionUID = 1L;

    public StrictModeException(LinkDeclinedException declined) {
        super(declined.method(), declined.reason(), declined.source(), declined.target(),
                declined.detail(), declined);
    }
}
