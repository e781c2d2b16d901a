package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A method cannot be used for this file here. Thrown by providers to make the engine try the next
 * method, and by the engine itself in strict mode, where no fallback is allowed.
 */
public class LinkDeclinedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final LinkMethod method;
    private final DeclineReason reason;
    private final transient Path source;
    private final transient Path target;
    private final String detail;

    public LinkDeclinedException(LinkMethod method, DeclineReason reason, Path source, Path target,
                                 String detail) {
        super(message(method, reason, source, target, detail));
        this.method = Objects.requireNonNull(method);
        this.reason = Objects.requireNonNull(reason);
        this.source = source;
        this.target = target;
        this.detail = detail == null || detail.isBlank() ? reason.description() : detail;
    }

    public LinkDeclinedException(LinkMethod method, DeclineReason reason, Path source, Path target,
                                 String detail, Throwable cause) {
        this(method, reason, source, target, detail);
        initCause(cause);
    }

    private static String message(LinkMethod method, DeclineReason reason, Path source, Path target,
                                  String detail) {
        StringBuilder sb = new StringBuilder(method.label()).append(" declined (").append(reason).append(')');
        if (source != null) {
            sb.append(": ").append(source);
            if (target != null) {
                sb.append(" -> ").append(target);
            }
        }
        sb.append(": ").append(detail == null || detail.isBlank() ? reason.description() : detail);
        return sb.toString();
    }

    public LinkMethod method() {
        return method;
    }

    public DeclineReason reason() {
        return reason;
    }

    public Path source() {
        return source;
    }

    public Path target() {
        return target;
    }

    /** The provider's own words, e.g. "FICLONE: Operation not supported (EOPNOTSUPP)". */
    public String detail() {
        return detail;
    }
}
