package dev.envlink.link;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.util.Locale;
import java.util.Optional;

/**
 * Classifies NIO exceptions into decline reasons. NIO only gives the OS's error text, so this
 * matches the strerror (Linux, macOS) and FormatMessage (Windows) texts of the relevant codes.
 */
final class NioDeclines {
    private NioDeclines() {
    }

    static Optional<DeclineReason> classify(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return Optional.of(DeclineReason.PERMISSION);
        }
        String reason = e.getReason();
        if (reason == null) {
            return Optional.empty();
        }
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("cross-device") || r.contains("different disk drive") || r.contains("not same device")) {
            return Optional.of(DeclineReason.CROSS_DEVICE);
        }
        if (r.contains("too many links") || r.contains("more links on a file")) {
            return Optional.of(DeclineReason.TOO_MANY_LINKS);
        }
        if (r.contains("operation not permitted") || r.contains("privilege is not held")) {
            return Optional.of(DeclineReason.PERMISSION);
        }
        if (r.contains("not supported") || r.contains("function not implemented")
                || r.contains("request is not supported") || r.contains("invalid function")
                || r.contains("incorrect function")) { // Windows ERROR_INVALID_FUNCTION
            return Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM);
        }
        return Optional.empty();
    }
}
