package dev.envlink.cache.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Duration INITIAL = Duration.ofMillis(500);
    private static final Duration CAP = Duration.ofSeconds(30);

    @Test
    void backoffDoublesWithJitterAndIsCapped() {
        assertEquals(Duration.ofMillis(250), RetryPolicy.backoff(1, INITIAL, CAP, 0.0));
        assertEquals(Duration.ofMillis(375), RetryPolicy.backoff(1, INITIAL, CAP, 0.5));
        assertTrue(RetryPolicy.backoff(1, INITIAL, CAP, 0.9999999999).compareTo(Duration.ofMillis(499)) > 0);
        assertEquals(Duration.ofMillis(500), RetryPolicy.backoff(2, INITIAL, CAP, 0.0));
        assertEquals(Duration.ofMillis(1000), RetryPolicy.backoff(3, INITIAL, CAP, 0.0));
        assertEquals(Duration.ofMillis(1500), RetryPolicy.backoff(3, INITIAL, CAP, 0.5));
        assertEquals(Duration.ofSeconds(15), RetryPolicy.backoff(20, INITIAL, CAP, 0.0));
        Duration top = RetryPolicy.backoff(100, INITIAL, CAP, 0.9999999999);
        assertTrue(top.compareTo(CAP) <= 0 && top.compareTo(CAP.minusMillis(1)) >= 0, top.toString());
        assertEquals(Duration.ZERO, RetryPolicy.backoff(3, Duration.ZERO, CAP, 0.7));
    }

    @Test
    void classifiesStatuses() {
        for (int s : new int[] {408, 429, 500, 502, 503, 504}) {
            assertTrue(RetryPolicy.isTransientStatus(s), String.valueOf(s));
        }
        for (int s : new int[] {400, 401, 403, 404, 410, 501, 505}) {
            assertFalse(RetryPolicy.isTransientStatus(s), String.valueOf(s));
        }
        assertEquals("HTTP 404 Not Found", RetryPolicy.describeStatus(404));
        assertEquals("HTTP 599", RetryPolicy.describeStatus(599));
    }

    @Test
    void parsesRetryAfter() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        assertEquals(Optional.of(Duration.ZERO), RetryPolicy.parseRetryAfter("0", now));
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryPolicy.parseRetryAfter(" 7 ", now));
        assertEquals(Optional.of(Duration.ofSeconds(90)), RetryPolicy.parseRetryAfter("Wed, 01 Jan 2025 00:01:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), RetryPolicy.parseRetryAfter("Tue, 31 Dec 2024 23:00:00 GMT", now));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("soon", now));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter("-5", now));
        assertEquals(Optional.empty(), RetryPolicy.parseRetryAfter(null, now));
        assertTrue(RetryPolicy.parseRetryAfter("99999999999999999999999", now).orElseThrow().compareTo(Duration.ofDays(365)) > 0);
    }
}
