package dev.envlink.cache.archive;

import java.io.IOException;
import java.util.Arrays;

/**
 * Decodes one bzip2 block (the bits after its 48-bit magic) into bytes, verifying its CRC.
 * Written from the format description (Huffman-coded MTF/RLE2 symbols, inverse Burrows-Wheeler
 * transform, RLE1 runs, MSB-first CRC-32) for speed: table-driven Huffman decoding, arrays reused
 * across blocks of the same thread. Randomised blocks (never written by bzip2 0.9.5 and later)
 * are not supported: {@link UnsupportedBlockException}, and the caller falls back to
 * commons-compress.
 */
final class BZip2BlockDecoder {
    private static final int MAX_GROUPS = 6;
    private static final int MAX_ALPHA = 258;
    private static final int MAX_CODE_LENGTH = 20;
    private static final int GROUP_SIZE = 50;
    private static final int MAX_SELECTORS = 18002;
    private static final int LOOKUP_BITS = 10;
    private static final int[] CRC_TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int k = 0; k < 8; k++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04c11db7 : c << 1;
            }
            CRC_TABLE[i] = c;
        }
    }

    private static final ThreadLocal<BZip2BlockDecoder> PER_THREAD = ThreadLocal.withInitial(BZip2BlockDecoder::new);

    /** The decoder of the calling thread (its arrays are reused for every block it decodes). */
    static BZip2BlockDecoder forThread() {
        return PER_THREAD.get();
    }

    static final class UnsupportedBlockException extends IOException {
        private static final long serialVersionUID = 1L;

        UnsupportedBlockException(String message) {
            super(message);
        }
    }

    private final byte[] seqToUnseq = new byte[256];
    private final byte[] selectors = new byte[MAX_SELECTORS];
    private final byte[][] lengths = new byte[MAX_GROUPS][MAX_ALPHA];
    /** Per group: (symbol << 8 | length) for every LOOKUP_BITS-bit prefix of a code that short. */
    private final int[][] lookup = new int[MAX_GROUPS][1 << LOOKUP_BITS];
    private final int[][] limit = new int[MAX_GROUPS][MAX_CODE_LENGTH + 2];
    private final int[][] base = new int[MAX_GROUPS][MAX_CODE_LENGTH + 2];
    private final int[][] perm = new int[MAX_GROUPS][MAX_ALPHA];
    private final int[] minLength = new int[MAX_GROUPS];
    private final int[] counts = new int[257];
    private int[] tt = new int[0];

    // bit reader state
    private byte[] in;
    private int inPos;
    private int inEnd;
    private long bitBuffer;
    private int bitCount;

    /**
     * Decodes a block.
     *
     * @param bits the block's bits starting with its magic, MSB first
     * @param bitLength how many bits of {@code bits} belong to the block
     * @param level the stream's block size in 100 kB (1..9)
     * @param storedCrc the CRC the block header declares
     * @param out an array to reuse for the output, or null
     * @return the output (the array may be larger than the decoded length)
     */
    ParallelBZip2InputStream.Decoded decode(byte[] bits, long bitLength, int level, int storedCrc, byte[] out)
            throws IOException {
        in = bits;
        inPos = 0;
        inEnd = (int) Math.min(bits.length, (bitLength + 7) / 8);
        bitBuffer = 0;
        bitCount = 0;
        try {
            return decodeBlock(level, storedCrc, out);
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IOException("corrupt bzip2 block", e);
        } finally {
            in = null;
        }
    }

    private ParallelBZip2InputStream.Decoded decodeBlock(int level, int storedCrc, byte[] out) throws IOException {
        skip(48 + 32); // magic and CRC, known to the caller
        if (bit()) {
            throw new UnsupportedBlockException("randomised bzip2 block");
        }
        int origPtr = bits(24);
        int maxBlock = level * 100_000;

        // symbol map
        int used16 = bits(16);
        int nInUse = 0;
        for (int i = 0; i < 16; i++) {
            if ((used16 & (0x8000 >>> i)) != 0) {
                int used = bits(16);
                for (int j = 0; j < 16; j++) {
                    if ((used & (0x8000 >>> j)) != 0) {
                        seqToUnseq[nInUse++] = (byte) (i * 16 + j);
                    }
                }
            }
        }
        if (nInUse == 0) {
            throw new IOException("corrupt bzip2 block: no symbols");
        }
        int alphaSize = nInUse + 2;

        // selectors
        int nGroups = bits(3);
        if (nGroups < 2 || nGroups > MAX_GROUPS) {
            throw new IOException("corrupt bzip2 block: " + nGroups + " Huffman groups");
        }
        int nSelectors = bits(15);
        if (nSelectors < 1) {
            throw new IOException("corrupt bzip2 block: no selectors");
        }
        byte[] mtfGroups = {0, 1, 2, 3, 4, 5};
        int kept = Math.min(nSelectors, MAX_SELECTORS);
        for (int i = 0; i < nSelectors; i++) {
            int j = 0;
            while (bit()) {
                if (++j >= nGroups) {
                    throw new IOException("corrupt bzip2 block: selector out of range");
                }
            }
            if (i < kept) {
                byte v = mtfGroups[j];
                System.arraycopy(mtfGroups, 0, mtfGroups, 1, j);
                mtfGroups[0] = v;
                selectors[i] = v;
            }
        }
        nSelectors = kept;

        // code lengths and decoding tables
        for (int t = 0; t < nGroups; t++) {
            int curr = bits(5);
            byte[] len = lengths[t];
            for (int i = 0; i < alphaSize; i++) {
                while (true) {
                    if (curr < 1 || curr > MAX_CODE_LENGTH) {
                        throw new IOException("corrupt bzip2 block: code length " + curr);
                    }
                    if (!bit()) {
                        break;
                    }
                    curr += bit() ? -1 : 1;
                }
                len[i] = (byte) curr;
            }
            buildTables(t, alphaSize);
        }

        // Huffman + RLE2 + MTF: the BWT input, each byte kept in the low 8 bits of tt[i]
        if (tt.length < maxBlock) {
            tt = new int[maxBlock];
        }
        int[] tt = this.tt;
        int[] count = counts;
        Arrays.fill(count, 0);
        byte[] mtf = new byte[256];
        for (int i = 0; i < 256; i++) {
            mtf[i] = (byte) i;
        }
        int eob = nInUse + 1;
        int nblock = 0;
        int groupIndex = -1;
        int groupLeft = 0;
        int[] table = null;
        int[] lim = null;
        int[] bas = null;
        int[] prm = null;
        int minLen = 0;
        int runLength = 0;
        int runShift = 0;
        while (true) {
            if (groupLeft == 0) {
                if (++groupIndex >= nSelectors) {
                    throw new IOException("corrupt bzip2 block: ran out of selectors");
                }
                int g = selectors[groupIndex];
                table = lookup[g];
                lim = limit[g];
                bas = base[g];
                prm = perm[g];
                minLen = minLength[g];
                groupLeft = GROUP_SIZE;
            }
            groupLeft--;
            // decode one symbol
            if (bitCount < 32) {
                refill();
            }
            int sym;
            int peek = (int) (bitBuffer >>> (bitCount - LOOKUP_BITS)) & ((1 << LOOKUP_BITS) - 1);
            int entry = table[peek];
            if (entry != 0) {
                bitCount -= entry & 0xFF;
                sym = entry >>> 8;
            } else {
                int n = LOOKUP_BITS + 1;
                int code = (int) (bitBuffer >>> (bitCount - n)) & ((1 << n) - 1);
                while (n <= MAX_CODE_LENGTH && code > lim[n]) {
                    n++;
                    if (bitCount < n) {
                        throw new IOException("corrupt bzip2 block: bad Huffman code");
                    }
                    code = (int) (bitBuffer >>> (bitCount - n)) & ((1 << n) - 1);
                }
                if (n > MAX_CODE_LENGTH || n < minLen) {
                    throw new IOException("corrupt bzip2 block: bad Huffman code");
                }
                bitCount -= n;
                int index = code - bas[n];
                if (index < 0 || index >= MAX_ALPHA) {
                    throw new IOException("corrupt bzip2 block: bad Huffman code");
                }
                sym = prm[index];
            }
            if (sym <= 1) { // RUNA, RUNB
                if (runShift > 22) {
                    throw new IOException("corrupt bzip2 block: run too long");
                }
                runLength += (sym + 1) << runShift;
                runShift++;
                continue;
            }
            if (runShift > 0) {
                byte b = seqToUnseq[mtf[0] & 0xFF];
                int ub = b & 0xFF;
                if (nblock + runLength > maxBlock) {
                    throw new IOException("corrupt bzip2 block: longer than the block size");
                }
                count[ub] += runLength;
                Arrays.fill(tt, nblock, nblock + runLength, ub);
                nblock += runLength;
                runLength = 0;
                runShift = 0;
            }
            if (sym == eob) {
                break;
            }
            int idx = sym - 1;
            byte v = mtf[idx];
            if (idx < 16) {
                for (int k = idx; k > 0; k--) {
                    mtf[k] = mtf[k - 1];
                }
            } else {
                System.arraycopy(mtf, 0, mtf, 1, idx);
            }
            mtf[0] = v;
            int ub = seqToUnseq[v & 0xFF] & 0xFF;
            if (nblock >= maxBlock) {
                throw new IOException("corrupt bzip2 block: longer than the block size");
            }
            count[ub]++;
            tt[nblock++] = ub;
        }
        if (origPtr < 0 || origPtr >= Math.max(1, nblock)) {
            throw new IOException("corrupt bzip2 block: origPtr out of range");
        }

        // inverse BWT: tt[i] >>> 8 links each position to the next
        int sum = 0;
        for (int i = 0; i < 256; i++) {
            int c = count[i];
            count[i] = sum;
            sum += c;
        }
        for (int i = 0; i < nblock; i++) {
            int ub = tt[i] & 0xFF;
            tt[count[ub]++] |= i << 8;
        }

        // walk, undo RLE1, CRC
        int capacity = Math.max(nblock + (nblock >>> 1), 1 << 16);
        if (out == null || out.length < capacity) {
            out = new byte[capacity];
        }
        int outLen = 0;
        int crc = -1;
        int tPos = nblock == 0 ? 0 : tt[origPtr] >>> 8;
        int last = -1;
        int same = 0;
        for (int i = 0; i < nblock; i++) {
            tPos = tt[tPos];
            int ch = tPos & 0xFF;
            tPos >>>= 8;
            if (same == 4) {
                // ch is a repeat count of the last byte
                if (outLen + ch > out.length) {
                    out = Arrays.copyOf(out, Math.max(out.length * 2, outLen + ch));
                }
                byte lb = (byte) last;
                for (int k = 0; k < ch; k++) {
                    out[outLen++] = lb;
                    crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ last) & 0xFF];
                }
                same = 0;
                last = -1;
                continue;
            }
            if (ch == last) {
                same++;
            } else {
                same = 1;
                last = ch;
            }
            if (outLen == out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[outLen++] = (byte) ch;
            crc = (crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ ch) & 0xFF];
        }
        crc = ~crc;
        if (crc != storedCrc) {
            throw new IOException(String.format("corrupt bzip2 block: CRC %08x, expected %08x", crc, storedCrc));
        }
        return new ParallelBZip2InputStream.Decoded(out, outLen);
    }

    /** Canonical Huffman tables of group {@code t}: a lookup table for short codes, limit/base/perm for all. */
    private void buildTables(int t, int alphaSize) throws IOException {
        byte[] len = lengths[t];
        int minLen = MAX_CODE_LENGTH;
        int maxLen = 0;
        for (int i = 0; i < alphaSize; i++) {
            minLen = Math.min(minLen, len[i]);
            maxLen = Math.max(maxLen, len[i]);
        }
        minLength[t] = minLen;
        int[] prm = perm[t];
        int pp = 0;
        for (int l = minLen; l <= maxLen; l++) {
            for (int s = 0; s < alphaSize; s++) {
                if (len[s] == l) {
                    prm[pp++] = s;
                }
            }
        }
        // code = first code of its length + rank among symbols of that length
        int[] lim = limit[t];
        int[] bas = base[t];
        Arrays.fill(lim, -1);
        Arrays.fill(bas, 0);
        int[] lut = lookup[t];
        Arrays.fill(lut, 0);
        int code = 0;
        int index = 0;
        for (int l = 1; l <= MAX_CODE_LENGTH; l++) {
            int n = 0;
            for (int s = 0; s < alphaSize; s++) {
                if (len[s] == l) {
                    n++;
                }
            }
            // symbols of length l have codes code .. code+n-1, and perm indexes index .. index+n-1
            bas[l] = code - index;
            lim[l] = code + n - 1;
            if (l <= LOOKUP_BITS) {
                for (int k = 0; k < n; k++) {
                    int sym = prm[index + k];
                    int c = code + k;
                    int from = c << (LOOKUP_BITS - l);
                    int to = (c + 1) << (LOOKUP_BITS - l);
                    if (to > lut.length) {
                        throw new IOException("corrupt bzip2 block: over-subscribed Huffman code");
                    }
                    Arrays.fill(lut, from, to, sym << 8 | l);
                }
            }
            code = (code + n) << 1;
            index += n;
        }
    }

    private void refill() {
        while (bitCount <= 56) {
            if (inPos < inEnd) {
                bitBuffer = bitBuffer << 8 | (in[inPos++] & 0xFF);
            } else {
                bitBuffer <<= 8; // zero padding past the end; reading into it is detected
            }
            bitCount += 8;
        }
    }

    private boolean bit() throws IOException {
        return bits(1) != 0;
    }

    private int bits(int n) throws IOException {
        if (bitCount < n) {
            refill();
        }
        bitCount -= n;
        return (int) (bitBuffer >>> bitCount) & ((1 << n) - 1);
    }

    private void skip(int n) throws IOException {
        while (n > 24) {
            bits(24);
            n -= 24;
        }
        bits(n);
    }
}
