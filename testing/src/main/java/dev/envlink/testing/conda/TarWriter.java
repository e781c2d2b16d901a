package dev.envlink.testing.conda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tar writer with full control over the headers, so tests can also write what well-behaved
 * writers refuse to (lying sizes, devices, absolute names). Names longer than ustar allows,
 * non-ASCII names, sizes of 8 GiB and more and negative mtimes get pax ({@code x}) records, or GNU
 * {@code L}/{@code K} entries when asked.
 */
final class TarWriter {
    static final int RECORD = 512;
    private static final long MAX_OCTAL_11 = 077777777777L;

    enum LongNames { PAX, GNU }

    private final OutputStream out;
    private long written;
    private int paxCount;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** One entry header and its data. */
    static final class Header {
        String name;
        char type = '0';
        int mode = 0644;
        long mtime;
        String linkName = "";
        long size;
        int devMajor;
        int devMinor;
        LongNames longNames = LongNames.PAX;
        Map<String, String> pax = new LinkedHashMap<>();
    }

    /**
     * Writes the header(s) of {@code h}, then {@code dataLength} bytes from {@code data} (which
     * may differ from the declared {@code h.size} for broken archives), then the padding.
     */
    void write(Header h, InputStream data, long dataLength) throws IOException {
        Map<String, String> pax = new LinkedHashMap<>(h.pax);
        byte[] name = h.name.getBytes(StandardCharsets.UTF_8);
        String headerName = h.name;
        String prefix = "";
        if (!fitsUstar(h.name, name)) {
            int split = ustarSplit(h.name, name);
            if (split > 0) {
                prefix = h.name.substring(0, split);
                headerName = h.name.substring(split + 1);
            } else if (h.longNames == LongNames.GNU) {
                writeGnuLong('L', name);
                headerName = truncate(h.name);
            } else {
                pax.put("path", h.name);
                headerName = truncate(h.name);
            }
        }
        byte[] link = h.linkName.getBytes(StandardCharsets.UTF_8);
        String headerLink = h.linkName;
        if (!fitsUstar(h.linkName, link)) {
            if (h.longNames == LongNames.GNU) {
                writeGnuLong('K', link);
            } else {
                pax.put("linkpath", h.linkName);
            }
            headerLink = truncate(h.linkName);
        }
        long headerSize = h.size;
        if (h.size > MAX_OCTAL_11 || h.size < 0) {
            pax.put("size", Long.toString(h.size));
            headerSize = 0;
        }
        long headerMtime = h.mtime;
        if (h.mtime < 0 || h.mtime > MAX_OCTAL_11) {
            pax.put("mtime", Long.toString(h.mtime));
            headerMtime = 0;
        }
        if (!pax.isEmpty()) {
            writePax(h.name, pax);
        }
        writeHeader(headerName, prefix, h.type, h.mode, headerMtime, headerLink, headerSize, h.devMajor, h.devMinor);
        copy(data, dataLength);
        pad();
    }

    /** Writes raw bytes (already tar records, or deliberate garbage). */
    void writeRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        written += bytes.length;
    }

    /** The end-of-archive marker (two zero records) and padding to a 10240-byte block, like GNU tar. */
    void finish() throws IOException {
        byte[] zeros = new byte[RECORD * 2];
        writeRaw(zeros);
        long block = 20L * RECORD;
        long rest = (block - written % block) % block;
        writeRaw(new byte[(int) rest]);
        out.flush();
    }

    private static boolean fitsUstar(String s, byte[] utf8) {
        return utf8.length <= 100 && utf8.length == s.length();
    }

    /** The index of a '/' that splits an ASCII name into ustar prefix (<= 155) and name (<= 100), or -1. */
    private static int ustarSplit(String s, byte[] utf8) {
        if (utf8.length != s.length() || utf8.length > 256) {
            return -1;
        }
        for (int i = Math.min(155, s.length() - 1); i > 0; i--) {
            if (s.charAt(i) == '/' && s.length() - i - 1 <= 100 && s.length() - i - 1 > 0) {
                return i;
            }
        }
        return -1;
    }

    private static String truncate(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 99; i++) {
            char c = s.charAt(i);
            b.append(c < 0x80 ? c : '_');
        }
        return b.toString();
    }

    private void writeGnuLong(char type, byte[] value) throws IOException {
        byte[] data = new byte[value.length + 1];
        System.arraycopy(value, 0, data, 0, value.length);
        writeHeader("././@LongLink", "", type, 0644, 0, "", data.length, 0, 0);
        writeRaw(data);
        pad();
    }

    private void writePax(String forName, Map<String, String> records) throws IOException {
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, String> r : records.entrySet()) {
            body.append(paxRecord(r.getKey(), r.getValue()));
        }
        byte[] data = body.toString().getBytes(StandardCharsets.UTF_8);
        String base = forName.substring(forName.lastIndexOf('/', forName.length() - 2) + 1);
        String name = truncate("PaxHeaders." + (paxCount++) + "/" + base);
        writeHeader(name, "", 'x', 0644, 0, "", data.length, 0, 0);
        writeRaw(data);
        pad();
    }

    /** "length key=value\n" where length counts the whole record, its own digits included. */
    static String paxRecord(String key, String value) {
        int payload = key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length + 3;
        int length = payload + Integer.toString(payload).length();
        if (Integer.toString(length).length() != Integer.toString(payload).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }

    private void writeHeader(String name, String prefix, char type, int mode, long mtime, String link, long size,
            int devMajor, int devMinor) throws IOException {
        byte[] h = new byte[RECORD];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, mode & 07777777);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        put(h, 265, 32, "root".getBytes(StandardCharsets.US_ASCII));
        put(h, 297, 32, "root".getBytes(StandardCharsets.US_ASCII));
        octal(h, 329, 8, devMajor);
        octal(h, 337, 8, devMinor);
        put(h, 345, 155, prefix.getBytes(StandardCharsets.UTF_8));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xFF;
        }
        String chk = String.format("%06o", sum);
        put(h, 148, 6, chk.getBytes(StandardCharsets.US_ASCII));
        h[154] = 0;
        h[155] = ' ';
        writeRaw(h);
    }

    private static void put(byte[] h, int off, int len, byte[] value) {
        System.arraycopy(value, 0, h, off, Math.min(len, value.length));
    }

    /** Octal digits, NUL-terminated, right-aligned with leading zeros. */
    private static void octal(byte[] h, int off, int len, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1) {
            throw new IllegalArgumentException("value " + value + " does not fit " + (len - 1) + " octal digits");
        }
        String padded = "0".repeat(len - 1 - s.length()) + s;
        put(h, off, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
        h[off + len - 1] = 0;
    }

    private void copy(InputStream data, long length) throws IOException {
        if (length == 0) {
            return;
        }
        byte[] buf = new byte[(int) Math.min(1 << 20, Math.max(RECORD, length))];
        long left = length;
        while (left > 0) {
            int n = data.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("content ended " + left + " bytes early");
            }
            out.write(buf, 0, n);
            left -= n;
            written += n;
        }
    }

    private void pad() throws IOException {
        int rest = (int) ((RECORD - written % RECORD) % RECORD);
        if (rest > 0) {
            writeRaw(new byte[rest]);
        }
    }
}
