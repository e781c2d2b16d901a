package dev.envlink.link.windows;

import java.util.ArrayList;
import java.util.List;

/**
 * Which FSCTL_DUPLICATE_EXTENTS_TO_FILE calls clone a file, as pure arithmetic.
 *
 * <p>The Block Cloning rules (learn.microsoft.com, fileio/block-cloning): "the source and
 * destination regions must begin and end at a cluster boundary", "the cloned region must be less
 * than 4GB in length", "the destination region must not extend past the end of file" (so the
 * destination's end of file is set to the source's size first) and a sparse source needs a sparse
 * destination. Cluster sizes are 4 KiB or 64 KiB, fixed when the volume is formatted.
 *
 * <p>The tail: a file whose size is not a multiple of the cluster size ends inside its last
 * cluster. The last range is rounded up to the cluster boundary: the source's allocation covers
 * that whole cluster ([MS-FSCC] 2.3.8 refuses only "a source range beyond the source file's
 * allocation size"), the destination's end of file was set to the exact size, so its allocation
 * covers the same cluster and its logical size stays exact. Every range therefore starts and ends
 * on a cluster boundary, and the same offset is used in source and destination.
 */
final class ClonePlan {
    /** The documented per-call limit: a region must be less than 4 GiB. */
    static final long CALL_LIMIT = 4L << 30;

    /** One call: source and destination offset (the same), and the byte count. */
    record Range(long offset, long length) {
        long end() {
            return offset + length;
        }
    }

    private ClonePlan() {
    }

    static long roundUp(long n, long unit) {
        return -Math.floorDiv(-n, unit) * unit; // ceiling division (Math.ceilDiv is Java 18+)
    }

    static long roundDown(long n, long unit) {
        return Math.floorDiv(n, unit) * unit;
    }

    /** The largest whole number of clusters below 4 GiB: 4 GiB - 4 KiB with 4 KiB clusters. */
    static long maxChunk(long cluster) {
        requireCluster(cluster);
        return roundDown(CALL_LIMIT - 1, cluster);
    }

    /** The calls for a whole (non-sparse) file of {@code size} bytes. */
    static List<Range> whole(long size, long cluster) {
        requireCluster(cluster);
        return chunked(List.of(new Range(0, roundUp(size, cluster))), cluster);
    }

    /**
     * The calls for a sparse file: only its allocated ranges (as FSCTL_QUERY_ALLOCATED_RANGES lists
     * them), widened to cluster boundaries, clipped to the cluster-rounded size, merged where they
     * touch; the holes stay holes in the (sparse) destination.
     */
    static List<Range> allocated(long size, long cluster, List<Range> allocated) {
        requireCluster(cluster);
        long end = roundUp(size, cluster);
        List<Range> sorted = new ArrayList<>(allocated);
        sorted.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        List<Range> merged = new ArrayList<>();
        for (Range r : sorted) {
            long s = roundDown(Math.max(0, r.offset()), cluster);
            long e = Math.min(end, roundUp(r.end(), cluster));
            if (e <= s) {
                continue;
            }
            Range last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && s <= last.end()) {
                merged.set(merged.size() - 1, new Range(last.offset(), Math.max(last.end(), e) - last.offset()));
            } else {
                merged.add(new Range(s, e - s));
            }
        }
        return chunked(merged, cluster);
    }

    /** Splits ranges longer than one call's limit; every piece stays cluster-aligned. */
    static List<Range> chunked(List<Range> ranges, long cluster) {
        long max = maxChunk(cluster);
        List<Range> out = new ArrayList<>();
        for (Range r : ranges) {
            for (long off = r.offset(); off < r.end(); off += max) {
                out.add(new Range(off, Math.min(max, r.end() - off)));
            }
        }
        return out;
    }

    private static void requireCluster(long cluster) {
        if (cluster <= 0 || Long.bitCount(cluster) != 1) {
            throw new IllegalArgumentException("cluster size must be a power of two, got " + cluster);
        }
    }
}
