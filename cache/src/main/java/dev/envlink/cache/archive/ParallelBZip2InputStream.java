package dev.envlink.cache.archive;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;

/**
 * Decompresses a bzip2 stream with its blocks decoded in parallel.
 *
 * <p>bzip2 compresses independent blocks (at most 900 kB of input each), each starting with the
 * 48-bit magic {@code 0x314159265359} at an arbitrary bit position and carrying its own CRC; the
 * stream ends with {@code 0x177245385090} and the combined CRC. This class scans the compressed
 * bytes for those magics (on the reading thread, cheap: a table filter per byte), cuts each block
 * out, and decodes up to {@code parallelism + 1} of them ahead on a pool with
 * {@link BZip2BlockDecoder} (about 1.5x the speed of commons-compress's decoder). A block that
 * decoder refuses is decoded again with commons-compress as a standalone one-block stream (header
 * {@code BZh<level>}, the block's bits, the end marker and, as the combined CRC of a one-block
 * stream, the block's own CRC), whose verdict stands. Output comes in order.
 *
 * <p>A block magic can also occur by chance inside compressed data (about once in 2^48 bit
 * positions). Then the two halves fail to decode on their own and are decoded merged (up to
 * {@link #MAX_MERGE} pieces), so a chance match costs time, not correctness. Every block's CRC is
 * checked by the decoder, and the stream's combined CRC is checked against the end marker.
 * Concatenated streams (pbzip2) are supported; bytes after the last stream that do not start a
 * new stream are ignored, as bzip2 itself does with a warning.
 *
 * <p>Memory: at most {@code parallelism + 2} blocks are held, each at most ~1 MB compressed and
 * (bzip2's run-length stage bounds it) at most ~46 MB decompressed.
 */
final class ParallelBZip2InputStream extends InputStream {
    static final long BLOCK_MAGIC = 0x314159265359L;
    static final long EOS_MAGIC = 0x177245385090L;
    private static final long MASK48 = (1L << 48) - 1;
    private static final int MAX_MERGE = 4;
    /** Byte values that the second-to-last byte of the 8-byte window takes when a magic ends in the last byte. */
    private static final boolean[] CANDIDATE = new boolean[256];

    static {
        for (int s = 0; s < 8; s++) {
            CANDIDATE[(int) ((BLOCK_MAGIC << s) >>> 8) & 0xFF] = true;
            CANDIDATE[(int) ((EOS_MAGIC << s) >>> 8) & 0xFF] = true;
        }
    }

    private final InputStream source;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final ItemSource scanner;
    private final ArrayDeque<Item> inFlight = new ArrayDeque<>();
    private boolean scannerDone;
    private int combinedCrc;
    private byte[] out = new byte[0];
    private int outPos;
    private int outLen;
    private boolean closed;
    /** A consumed output buffer handed to the next decode task. */
    private byte[] spare;

    ParallelBZip2InputStream(InputStream source, ExecutorService pool, int parallelism) {
        this(source, new Scanner(source), pool, parallelism);
    }

    /** With the blocks coming from {@code items} (tests cut blocks where they like). */
    ParallelBZip2InputStream(InputStream source, ItemSource items, ExecutorService pool, int parallelism) {
        this.source = source;
        this.pool = pool;
        this.maxInFlight = Math.max(1, parallelism) + 1;
        this.scanner = items;
    }

    /** Blocks and stream ends in stream order. */
    interface ItemSource {
        /** The next block or stream end, or null at the end of the data. */
        Item next() throws IOException;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return 0;
        }
        while (outPos == outLen) {
            if (!advance()) {
                return -1;
            }
        }
        int n = Math.min(len, outLen - outPos);
        System.arraycopy(out, outPos, b, off, n);
        outPos += n;
        return n;
    }

    @Override
    public int available() {
        return outLen - outPos;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (Item item : inFlight) {
            if (item.result != null) {
                item.result.cancel(true);
            }
        }
        inFlight.clear();
        source.close();
    }

    /** Makes the next decoded block current; false at the end of the data. */
    private boolean advance() throws IOException {
        while (true) {
            topUp();
            Item head = inFlight.poll();
            if (head == null) {
                return false;
            }
            if (head.endOfStream) {
                if (head.crc != combinedCrc) {
                    throw new IOException(String.format(
                            "corrupt bzip2 stream: stream CRC %08x does not match its blocks' %08x", head.crc, combinedCrc));
                }
                combinedCrc = 0;
                continue;
            }
            Decoded decoded;
            try {
                decoded = await(head);
            } catch (IOException e) {
                decoded = decodeMerged(head, e);
            }
            combinedCrc = (combinedCrc << 1 | combinedCrc >>> 31) ^ head.crc;
            if (spare == null || out.length > spare.length) {
                spare = out; // fully consumed: the next decode may reuse it
            }
            out = decoded.data();
            outPos = 0;
            outLen = decoded.length();
            if (outLen > 0) {
                return true;
            }
        }
    }

    /** A piece failed alone: decode it together with the following pieces (a chance magic inside data). */
    private Decoded decodeMerged(Item head, IOException failure) throws IOException {
        ArrayDeque<Item> merged = new ArrayDeque<>();
        merged.add(head);
        while (merged.size() < MAX_MERGE) {
            topUp();
            Item next = inFlight.peek();
            if (next == null || next.endOfStream) {
                break;
            }
            inFlight.poll();
            if (next.result != null) {
                next.result.cancel(true);
            }
            merged.add(next);
            BitWriter w = new BitWriter(16 + merged.stream().mapToInt(i -> i.bits.length).sum());
            w.writeBytes(head.header);
            for (Item part : merged) {
                w.copyBits(part.bits, part.bitLength);
            }
            w.writeBits(EOS_MAGIC, 48);
            w.writeBits(head.crc & 0xFFFFFFFFL, 32);
            try {
                return decode(w.toByteArray(), null);
            } catch (IOException ignored) {
                // try with one more piece
            }
        }
        throw failure;
    }

    private Decoded await(Item item) throws IOException {
        try {
            return item.result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while decompressing bzip2");
        } catch (CancellationException e) {
            throw new IOException("bzip2 decompression cancelled", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("corrupt bzip2 stream: " + cause, cause);
        }
    }

    private void topUp() throws IOException {
        while (!scannerDone && pendingBlocks() < maxInFlight) {
            Item item = scanner.next();
            if (item == null) {
                scannerDone = true;
                break;
            }
            if (!item.endOfStream) {
                byte[] recycled = spare;
                spare = null;
                item.result = pool.submit(() -> decodeBlock(item, recycled));
            }
            inFlight.add(item);
        }
    }

    private int pendingBlocks() {
        int n = 0;
        for (Item item : inFlight) {
            if (!item.endOfStream) {
                n++;
            }
        }
        return n;
    }

    record Decoded(byte[] data, int length) {
    }

    /**
     * Decodes one block with {@link BZip2BlockDecoder}; if that fails for any reason (corrupt
     * data, a randomised block), decodes it again with commons-compress, whose verdict stands.
     */
    static Decoded decodeBlock(Item item, byte[] reuse) throws IOException {
        try {
            return BZip2BlockDecoder.forThread().decode(item.bits, item.bitLength, item.header[3] - '0', item.crc, reuse);
        } catch (IOException | RuntimeException e) {
            return decode(item.standalone(), null);
        }
    }

    static Decoded decode(byte[] oneBlockStream, byte[] reuse) throws IOException {
        try (BZip2CompressorInputStream in =
                new BZip2CompressorInputStream(new ByteArrayInputStream(oneBlockStream), false)) {
            int guess = Math.max(64 * 1024, oneBlockStream.length * 6);
            byte[] buf = reuse != null && reuse.length >= guess / 2 ? reuse : new byte[guess];
            int len = 0;
            while (true) {
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                int n = in.read(buf, len, buf.length - len);
                if (n < 0) {
                    break;
                }
                len += n;
            }
            return new Decoded(buf, len);
        } catch (RuntimeException e) {
            // commons-compress signals some malformed input with unchecked exceptions
            throw new IOException("corrupt bzip2 block: " + e, e);
        }
    }

    /** One block (its bits, starting with the block magic) or the end of one stream. */
    static final class Item {
        final boolean endOfStream;
        final int crc;
        final byte[] header;
        final byte[] bits;
        final long bitLength;
        Future<Decoded> result;

        Item(byte[] header, byte[] bits, long bitLength, int crc) {
            this.endOfStream = false;
            this.header = header;
            this.bits = bits;
            this.bitLength = bitLength;
            this.crc = crc;
        }

        Item(int streamCrc) {
            this.endOfStream = true;
            this.crc = streamCrc;
            this.header = null;
            this.bits = null;
            this.bitLength = 0;
        }

        /** This block alone as a complete bzip2 stream. */
        byte[] standalone() {
            BitWriter w = new BitWriter(bits.length + 16);
            w.writeBytes(header);
            w.copyBits(bits, bitLength);
            w.writeBits(EOS_MAGIC, 48);
            w.writeBits(crc & 0xFFFFFFFFL, 32);
            return w.toByteArray();
        }
    }

    /** Splits the compressed bytes into blocks and stream ends. */
    static final class Scanner implements ItemSource {
        private final InputStream in;
        private byte[] window = new byte[1 << 20];
        /** Absolute byte offset of window[0]. */
        private long windowStart;
        private int windowLen;
        private boolean eof;
        private boolean firstStream = true;
        private boolean finished;
        /** Absolute byte offset where the next stream header is expected, or -1 inside a stream. */
        private long nextStreamAt;
        private byte[] header;
        /** Absolute bit offset of the current block's magic; -1 when the next item is a stream end. */
        private long blockStart = -1;
        private long pendingEndOfStreamBit = -1;
        private int blocksInStream;

        Scanner(InputStream in) {
            this.in = in;
            this.nextStreamAt = 0;
        }

        @Override
        public Item next() throws IOException {
            if (finished) {
                return null;
            }
            if (pendingEndOfStreamBit >= 0) {
                return endOfStream();
            }
            if (nextStreamAt >= 0 && !startStream()) {
                finished = true;
                return null;
            }
            if (pendingEndOfStreamBit >= 0) {
                return endOfStream();
            }
            return scanBlock();
        }

        /** Reads "BZh" + level and the first magic; false when no further stream begins here. */
        private boolean startStream() throws IOException {
            long at = nextStreamAt;
            if (!ensure(at + 10)) {
                if (firstStream) {
                    if (available(at) == 0) {
                        throw new EOFException("empty bzip2 stream");
                    }
                    throw new EOFException("truncated bzip2 stream header");
                }
                return false; // trailing bytes too short to be a stream: ignored
            }
            int b = byteAt(at), z = byteAt(at + 1), h = byteAt(at + 2), level = byteAt(at + 3);
            if (b != 'B' || z != 'Z' || h != 'h' || level < '1' || level > '9') {
                if (firstStream) {
                    throw new IOException("not a bzip2 stream (no BZh header)");
                }
                return false;
            }
            long magic = bitsAt((at + 4) * 8, 48);
            if (magic != BLOCK_MAGIC && magic != EOS_MAGIC) {
                if (firstStream) {
                    throw new IOException("corrupt bzip2 stream: no block after the header");
                }
                return false;
            }
            firstStream = false;
            header = new byte[] {'B', 'Z', 'h', (byte) level};
            nextStreamAt = -1;
            blocksInStream = 0;
            if (magic == EOS_MAGIC) {
                pendingEndOfStreamBit = (at + 4) * 8;
            } else {
                blockStart = (at + 4) * 8;
            }
            return true;
        }

        private Item endOfStream() throws IOException {
            long eos = pendingEndOfStreamBit;
            if (!ensure((eos + 80 + 7) / 8)) {
                throw new EOFException("truncated bzip2 stream (end marker cut off)");
            }
            int crc = (int) bitsAt(eos + 48, 32);
            pendingEndOfStreamBit = -1;
            blockStart = -1;
            nextStreamAt = (eos + 80 + 7) / 8;
            discardBefore(nextStreamAt);
            return new Item(crc);
        }

        /** Finds the magic that ends the block starting at blockStart and returns that block. */
        private Item scanBlock() throws IOException {
            long start = blockStart;
            // the first byte that can hold the end of a following magic
            long pos = start / 8 + 6;
            long reg = 0;
            for (long p = pos - 8; p < pos; p++) {
                reg = reg << 8 | (p >= windowStart && p < windowStart + windowLen ? byteAt(p) : 0);
            }
            while (true) {
                if (pos >= windowStart + windowLen && !fill()) {
                    throw new EOFException("truncated bzip2 stream (no end-of-stream marker)");
                }
                int limit = windowLen;
                byte[] w = window;
                int i = (int) (pos - windowStart);
                for (; i < limit; i++) {
                    reg = reg << 8 | (w[i] & 0xFF);
                    if (CANDIDATE[(int) (reg >>> 8) & 0xFF]) {
                        for (int s = 7; s >= 0; s--) {
                            long v = (reg >>> s) & MASK48;
                            if (v == BLOCK_MAGIC || v == EOS_MAGIC) {
                                long magicBit = (windowStart + i + 1) * 8 - s - 48;
                                if (magicBit > start) {
                                    return cut(start, magicBit, v == EOS_MAGIC);
                                }
                            }
                        }
                    }
                }
                pos = windowStart + limit;
            }
        }

        private Item cut(long start, long end, boolean endOfStream) throws IOException {
            if (end - start < 48 + 32) {
                throw new IOException("corrupt bzip2 stream: block too short");
            }
            int crc = (int) bitsAt(start + 48, 32);
            long bitLength = end - start;
            byte[] bits = new byte[(int) ((bitLength + 7) / 8)];
            long firstByte = start / 8;
            int shift = (int) (start % 8);
            int base = (int) (firstByte - windowStart);
            byte[] w = window;
            int last = (int) (windowStart + windowLen - firstByte) - 1; // last readable index relative to base
            for (int k = 0; k < bits.length; k++) {
                int hi = w[base + k] & 0xFF;
                int lo = k + 1 <= last ? w[base + k + 1] & 0xFF : 0;
                bits[k] = (byte) (shift == 0 ? hi : (hi << shift | lo >>> (8 - shift)));
            }
            int tail = (int) (bitLength % 8);
            if (tail != 0) {
                bits[bits.length - 1] &= (byte) (0xFF << (8 - tail));
            }
            blocksInStream++;
            if (endOfStream) {
                pendingEndOfStreamBit = end;
                blockStart = -1;
            } else {
                blockStart = end;
            }
            discardBefore(end / 8);
            return new Item(header, bits, bitLength, crc);
        }

        private int byteAt(long abs) {
            return window[(int) (abs - windowStart)] & 0xFF;
        }

        private long bitsAt(long absBit, int n) {
            long v = 0;
            long firstByte = absBit / 8;
            int lastByte = (int) ((absBit + n - 1) / 8 - firstByte);
            for (int k = 0; k <= lastByte; k++) {
                v = v << 8 | byteAt(firstByte + k);
            }
            int trailing = (int) ((firstByte + lastByte + 1) * 8 - (absBit + n));
            return (v >>> trailing) & (n == 64 ? -1L : (1L << n) - 1);
        }

        private long available(long abs) {
            return Math.max(0, windowStart + windowLen - abs);
        }

        /** Makes bytes up to (excluding) absolute offset {@code end} available; false at end of input. */
        private boolean ensure(long end) throws IOException {
            while (windowStart + windowLen < end) {
                if (!fill()) {
                    return false;
                }
            }
            return true;
        }

        private void discardBefore(long abs) {
            int drop = (int) Math.min(windowLen, Math.max(0, abs - windowStart));
            if (drop > 0) {
                System.arraycopy(window, drop, window, 0, windowLen - drop);
                windowLen -= drop;
                windowStart += drop;
            }
        }

        /** Appends input to the window; false at end of input. */
        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            if (windowLen == window.length) {
                if (window.length >= (64 << 20)) {
                    // a bzip2 block is at most ~1 MB compressed
                    throw new IOException("corrupt bzip2 stream: no block boundary within 64 MB");
                }
                window = Arrays.copyOf(window, window.length * 2);
            }
            int n = in.read(window, windowLen, window.length - windowLen);
            if (n < 0) {
                eof = true;
                return false;
            }
            windowLen += n;
            return true;
        }
    }

    /** Appends bits, most significant first. */
    static final class BitWriter {
        private byte[] buf;
        private int len;
        private long acc;
        private int accBits;

        BitWriter(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        void writeBits(long value, int n) {
            for (int i = n - 1; i >= 0; i--) {
                acc = acc << 1 | ((value >>> i) & 1);
                if (++accBits == 8) {
                    put((byte) acc);
                    acc = 0;
                    accBits = 0;
                }
            }
        }

        void writeBytes(byte[] bytes) {
            for (byte b : bytes) {
                writeBits(b & 0xFF, 8);
            }
        }

        /** Appends the first {@code bitLength} bits of {@code src}. */
        void copyBits(byte[] src, long bitLength) {
            int whole = (int) (bitLength / 8);
            if (accBits == 0) {
                ensure(whole + 1);
                System.arraycopy(src, 0, buf, len, whole);
                len += whole;
            } else {
                for (int k = 0; k < whole; k++) {
                    writeBits(src[k] & 0xFF, 8);
                }
            }
            int tail = (int) (bitLength % 8);
            if (tail != 0) {
                writeBits((src[whole] & 0xFF) >>> (8 - tail), tail);
            }
        }

        byte[] toByteArray() {
            if (accBits != 0) {
                put((byte) (acc << (8 - accBits)));
                acc = 0;
                accBits = 0;
            }
            return Arrays.copyOf(buf, len);
        }

        private void put(byte b) {
            ensure(1);
            buf[len++] = b;
        }

        private void ensure(int extra) {
            if (len + extra > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
            }
        }
    }
}
