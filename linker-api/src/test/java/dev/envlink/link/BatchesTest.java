package dev.envlink.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class BatchesTest {
    @Test
    void everyItemRunsOnceOnTheCallerAndItsHelpers() throws IOException {
        int n = 10_007;
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Batches.run(n, 3, "testing", 7, i -> {
            seen.incrementAndGet(i);
            threads.add(Thread.currentThread().getName());
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, seen.get(i), "item " + i);
        }
        assertTrue(threads.size() <= 3, threads.toString());

        // One thread: the caller's own, no helper started.
        Set<String> alone = ConcurrentHashMap.newKeySet();
        Batches.run(100, 1, "testing", 7, i -> alone.add(Thread.currentThread().getName()));
        assertEquals(Set.of(Thread.currentThread().getName()), alone);
    }

    @Test
    void theFirstErrorStopsTheRestAndCarriesOthers() {
        AtomicInteger ran = new AtomicInteger();
        IOException e = assertThrows(IOException.class, () -> Batches.run(100_000, 2, "testing", 1, i -> {
            ran.incrementAndGet();
            if (i % 10 == 3) {
                throw new IOException("item " + i);
            }
        }));
        assertTrue(e.getMessage().startsWith("item "), e.getMessage());
        assertTrue(e.getSuppressed().length <= 10);
        assertTrue(ran.get() < 1000, "stopped early: " + ran.get());
    }

    @Test
    void uncheckedIoAndRuntimeFailuresComeOutAsThemselves() {
        IOException cause = new IOException("wrapped");
        assertSame(cause, assertThrows(IOException.class, () -> Batches.run(50, 2, "testing", 5, i -> {
            if (i == 20) {
                throw new UncheckedIOException(cause);
            }
        })));
        IllegalStateException bug = new IllegalStateException("bug");
        assertSame(bug, assertThrows(IllegalStateException.class, () -> Batches.run(50, 2, "testing", 5, i -> {
            if (i == 33) {
                throw bug;
            }
        })));
        assertThrows(IOException.class, () -> Batches.run(1, 4, "testing", i -> {
            throw new IOException("the only one");
        }));
    }
}
