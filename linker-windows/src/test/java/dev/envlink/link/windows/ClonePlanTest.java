package dev.envlink.link.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.windows.ClonePlan.Range;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cluster alignment, the tail, chunking below 4 GiB and sparse ranges. */
class ClonePlanTest {
    static final long K4 = 4096;
    static final long K64 = 65536;
    static final long GIB = 1L << 30;

    @Test
    void rounding() {
        assertEquals(0, ClonePlan.roundUp(0, K4));
        assertEquals(K4, ClonePlan.roundUp(1, K4));
        assertEquals(K4, ClonePlan.roundUp(K4, K4));
        assertEquals(2 * K4, ClonePlan.roundUp(K4 + 1, K4));
        assertEquals(0, ClonePlan.roundDown(K4 - 1, K4));
        assertEquals(K64, ClonePlan.roundDown(K64 + 5, K64));
    }

    @Test
    void maxChunkIsTheLargestClusterMultipleBelowFourGib() {
        assertEquals(4 * GIB - K4, ClonePlan.maxChunk(K4));
        assertEquals(4 * GIB - K64, ClonePlan.maxChunk(K64));
        assertEquals(0, ClonePlan.maxChunk(K4) % K4);
        assertTrue(ClonePlan.maxChunk(K64) < ClonePlan.CALL_LIMIT);
    }

    @Test
    void emptyFileNeedsNoCall() {
        assertEquals(List.of(), ClonePlan.whole(0, K4));
    }

    @ParameterizedTest
    @CsvSource({"1,4096,4096", "4095,4096,4096", "4096,4096,4096", "4097,4096,8192", "100000,65536,131072",
            "65536,65536,65536", "65537,65536,131072"})
    void theTailIsRoundedUpToTheCluster(long size, long cluster, long cloned) {
        assertEquals(List.of(new Range(0, cloned)), ClonePlan.whole(size, cluster));
    }

    @Test
    void tenGibIsClonedInChunksBelowTheLimit() {
        long size = 10 * GIB + 123;
        List<Range> plan = ClonePlan.whole(size, K4);

        assertEquals(3, plan.size());
        long next = 0;
        for (Range r : plan) {
            assertEquals(next, r.offset(), "contiguous");
            assertEquals(0, r.offset() % K4);
            assertEquals(0, r.length() % K4);
            assertTrue(r.length() < ClonePlan.CALL_LIMIT, r.toString());
            next = r.end();
        }
        assertEquals(ClonePlan.roundUp(size, K4), next);
        assertEquals(new Range(0, 4 * GIB - K4), plan.get(0));
        assertEquals(new Range(4 * GIB - K4, 4 * GIB - K4), plan.get(1));
    }

    @Test
    void exactlyOneCallLimitNeedsTwoCalls() {
        List<Range> plan = ClonePlan.whole(4 * GIB, K64);
        assertEquals(List.of(new Range(0, 4 * GIB - K64), new Range(4 * GIB - K64, K64)), plan);
    }

    @Test
    void sparseRangesAreWidenedToClustersAndMerged() {
        long size = 10L << 20;
        List<Range> allocated = List.of(new Range(1 << 20, 10), new Range(0, 100), new Range(70_000, 10),
                new Range(131_072, 5));

        List<Range> plan = ClonePlan.allocated(size, K64, allocated);

        // [0,100) and [70000,70010) widen to [0,64K) and [64K,128K); [128K,128K+5) touches: one range.
        assertEquals(List.of(new Range(0, 3 * K64), new Range(1 << 20, K64)), plan);
    }

    @Test
    void sparseRangesAreClippedToTheRoundedSize() {
        List<Range> plan = ClonePlan.allocated(5000, K4, List.of(new Range(4096, 1 << 20)));
        assertEquals(List.of(new Range(4096, 4096)), plan);
        assertEquals(List.of(), ClonePlan.allocated(5000, K4, List.of()), "all holes: nothing to clone");
    }

    @Test
    void largeSparseRangesAreChunkedToo() {
        List<Range> plan = ClonePlan.allocated(20 * GIB, K4, List.of(new Range(GIB, 9 * GIB)));
        assertEquals(3, plan.size());
        assertEquals(GIB, plan.get(0).offset());
        assertEquals(10 * GIB, plan.get(2).end());
    }

    @Test
    void clusterMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> ClonePlan.whole(10, 0));
        assertThrows(IllegalArgumentException.class, () -> ClonePlan.whole(10, 3000));
    }
}
