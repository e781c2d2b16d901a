package dev.envlink.cache.download;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/** Status classification, backoff and Retry-After parsing. */
final class RetryPolicy {

    private static final Map<Integer, String> PHRASES = Map.ofEntries(
            Map.entry(300, "Multiple Choices"), Map.entry(301, "Moved Permanently"), Map.entry(302, "Found"),
            Map.entry(303, "See Other"), Map.entry(304, "Not Modified"), Map.entry(307, "Temporary Redirect"),
            Map.entry(308, "Permanent Redirect"), Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"), Map.entry(403, "Forbidden"), Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"), Map.entry(406, "Not Acceptable"),
            Map.entry(407, "Proxy Authentication Required"), Map.entry(408, "Request Timeout"),
            Map.entry(410, "Gone"), Map.entry(416, "Range Not Satisfiable"), Map.entry(429, "Too Many Requests"),
            Map.entry(451, "Unavailable For Legal Reasons"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private RetryPolicy() {
    }

    /** The statuses that say "try again later": 408, 429, 500, 502, 503, 504. */
    static boolean isTransientStatus(int status) {
        return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Statuses whose body is the file. 206 would be a range we never asked for; 204 has no body. */
    static boolean isSuccess(int status) {
        return status == 200 || status == 203;
    }

    static String describeStatus(int status) {
        String phrase = PHRASES.get(status);
        return "HTTP " + status + (phrase == null ? "" : " " + phrase);
    }

    /**
     * Delay after the {@code failedAttempts}-th failure: {@code initial × 2^(failedAttempts-1)}
     * capped at {@code max}, of which the upper half is jittered ("equal jitter": between 50 % and
     * 100 % of that), so that parallel downloads hitting the same overloaded server spread out.
     *
     * @param random01 uniform in [0, 1)
     */
    static Duration backoff(int failedAttempts, Duration initial, Duration max, double random01) {
        long cap = max.toNanos();
        long base = Math.min(initial.toNanos(), cap);
        for (int i = 1; i < failedAttempts && base < cap; i++) {
            base = base > cap / 2 ? cap : base * 2;
        }
        long half = base / 2;
        return Duration.ofNanos(half + (long) (random01 * (base - half)));
    }

    /**
     * Parses a Retry-After value: delay seconds or an HTTP date. Empty when unparsable (then the
     * normal backoff applies). Dates in the past give zero.
     */
    static Optional<Duration> parseRetryAfter(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException tooLong) {
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE));
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** "1.5 s", "300 ms", "2 min". */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 120_000) {
            return (ms % 1000 == 0 ? String.valueOf(ms / 1000) : String.format(java.util.Locale.ROOT, "%.1f", ms / 1000.0)) + " s";
        }
        return d.toMinutes() + " min";
    }
}
