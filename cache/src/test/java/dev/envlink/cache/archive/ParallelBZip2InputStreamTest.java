package dev.envlink.cache.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.Test;

class ParallelBZip2InputStreamTest {
    private static byte[] data(int size, long seed) {
        Random r = new Random(seed);
        byte[] d = new byte[size];
        for (int i = 0; i < size; i++) {
            d[i] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : "conda package ".charAt(i % 14));
        }
        return d;
    }

    private static byte[] bzip2(byte[] data, int blockSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(out, blockSize)) {
            bz.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[7777];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static InputStream parallel(byte[] compressed) {
        return new ParallelBZip2InputStream(new ByteArrayInputStream(compressed), Workers.pool(), 2);
    }

    @Test
    void decodesSingleMultiBlockConcatenatedAndEmptyStreams() throws IOException {
        byte[] a = data(450_000, 1);
        byte[] b = data(123_457, 2);
        assertArrayEquals(a, readAll(parallel(bzip2(a, 1))));
        ByteArrayOutputStream cat = new ByteArrayOutputStream();
        cat.write(bzip2(a, 1));
        cat.write(bzip2(new byte[0], 9));
        cat.write(bzip2(b, 2));
        cat.write("trailing garbage that is not a stream".getBytes());
        byte[] ab = new byte[a.length + b.length];
        System.arraycopy(a, 0, ab, 0, a.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        assertArrayEquals(ab, readAll(parallel(cat.toByteArray())));
        assertEquals(0, readAll(parallel(bzip2(new byte[0], 9))).length);
        // all zeros: one block expands ~45x through bzip2's run-length stage
        assertArrayEquals(new byte[5_000_000], readAll(parallel(bzip2(new byte[5_000_000], 9))));
    }

    private static List<ParallelBZip2InputStream.Item> items(byte[] compressed) throws IOException {
        ParallelBZip2InputStream.Scanner s = new ParallelBZip2InputStream.Scanner(new ByteArrayInputStream(compressed));
        List<ParallelBZip2InputStream.Item> items = new ArrayList<>();
        for (ParallelBZip2InputStream.Item i = s.next(); i != null; i = s.next()) {
            items.add(i);
        }
        return items;
    }

    /** The first {@code bits} bits of an item, or the rest from there, as a piece of its own. */
    private static ParallelBZip2InputStream.Item piece(ParallelBZip2InputStream.Item item, long from, long to, int crc) {
        ParallelBZip2InputStream.BitWriter w = new ParallelBZip2InputStream.BitWriter(16);
        for (long bit = from; bit < to; bit++) {
            int v = (item.bits[(int) (bit / 8)] >>> (7 - bit % 8)) & 1;
            w.writeBits(v, 1);
        }
        return new ParallelBZip2InputStream.Item(item.header, w.toByteArray(), to - from, crc);
    }

    @Test
    void ownBlockDecoderMatchesTheFormatWithoutFallingBack() throws IOException {
        Random r = new Random(9);
        byte[] random = new byte[300_000];
        r.nextBytes(random);
        byte[] runs = new byte[700_000];
        for (int i = 0; i < runs.length; ) {
            int len = 1 + r.nextInt(r.nextBoolean() ? 5 : 600); // runs around RLE1's 4+count and past 255
            byte v = (byte) r.nextInt(r.nextBoolean() ? 3 : 256);
            for (int k = 0; k < len && i < runs.length; k++) {
                runs[i++] = v;
            }
        }
        byte[] one = new byte[1];
        byte[] single = new byte[200_000];
        java.util.Arrays.fill(single, (byte) 'x');
        byte[] twoSymbols = new byte[100_001];
        for (int i = 0; i < twoSymbols.length; i++) {
            twoSymbols[i] = (byte) (i % 2 == 0 ? 0 : 255);
        }
        for (byte[] input : List.of(data(500_000, 7), random, runs, one, single, twoSymbols, new byte[3_000_000])) {
            for (int level : new int[] {1, 9}) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (ParallelBZip2InputStream.Item item : items(bzip2(input, level))) {
                    if (!item.endOfStream) {
                        ParallelBZip2InputStream.Decoded d =
                                BZip2BlockDecoder.forThread().decode(item.bits, item.bitLength, level, item.crc, null);
                        out.write(d.data(), 0, d.length());
                    }
                }
                assertArrayEquals(input, out.toByteArray(), "level " + level + ", " + input.length + " bytes");
            }
        }
    }

    @Test
    void aChanceMagicInsideABlockIsHealedByMergingThePieces() throws IOException {
        byte[] data = data(350_000, 3);
        List<ParallelBZip2InputStream.Item> items = items(bzip2(data, 1));
        assertEquals(5, items.size(), "4 blocks and the stream end");
        ParallelBZip2InputStream.Item second = items.get(1);
        // pretend the scanner saw a block magic in the middle of the second block's data
        List<ParallelBZip2InputStream.Item> cut = new ArrayList<>(items);
        cut.set(1, piece(second, 0, 9_001, second.crc));
        cut.add(2, piece(second, 9_001, second.bitLength, 0x12345678));
        assertArrayEquals(data, readAll(from(cut)));
        // the same cut in three
        cut = new ArrayList<>(items);
        cut.set(1, piece(second, 0, 5_000, second.crc));
        cut.add(2, piece(second, 5_000, 20_000, 1));
        cut.add(3, piece(second, 20_000, second.bitLength, 2));
        assertArrayEquals(data, readAll(from(cut)));
    }

    @Test
    void corruptionIsReported() throws IOException {
        byte[] data = data(250_000, 4);
        List<ParallelBZip2InputStream.Item> items = items(bzip2(data, 1));
        List<ParallelBZip2InputStream.Item> badCrc = new ArrayList<>(items);
        ParallelBZip2InputStream.Item end = items.get(items.size() - 1);
        badCrc.set(items.size() - 1, new ParallelBZip2InputStream.Item(end.crc ^ 1));
        IOException e = assertThrows(IOException.class, () -> readAll(from(badCrc)));
        assertTrue(e.getMessage().contains("stream CRC"), e.getMessage());

        byte[] compressed = bzip2(data, 1);
        compressed[compressed.length / 2] ^= 0x10;
        assertThrows(IOException.class, () -> readAll(parallel(compressed)));
        byte[] truncated = java.util.Arrays.copyOf(bzip2(data, 1), 20_000);
        e = assertThrows(IOException.class, () -> readAll(parallel(truncated)));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        e = assertThrows(IOException.class, () -> readAll(parallel("BZh9garbage".getBytes())));
        e = assertThrows(IOException.class, () -> readAll(parallel("PK\3\4".getBytes())));
        assertTrue(e.getMessage().contains("bzip2"), e.getMessage());
    }

    private static InputStream from(List<ParallelBZip2InputStream.Item> items) {
        Iterator<ParallelBZip2InputStream.Item> it = items.iterator();
        return new ParallelBZip2InputStream(new ByteArrayInputStream(new byte[0]),
                () -> it.hasNext() ? it.next() : null, Workers.pool(), 2);
    }
}
