package dev.envlink.testing.conda;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tar entry written exactly as described, with no checks: for malicious and broken archives
 * (absolute names, {@code ..}, symlink-then-write-through, hard links to outside, FIFOs and
 * devices, sizes that lie, huge long-name headers). Not listed in {@code paths.json}.
 *
 * <pre>{@code
 * builder.raw(RawEntry.symlink("lib", "/etc")).raw(RawEntry.file("lib/passwd", bytes))
 * }</pre>
 */
public final class RawEntry {
    final String name;
    final char type;
    int mode;
    long mtime = CondaPackageBuilder.DEFAULT_MTIME.getEpochSecond();
    final String linkName;
    final long declaredSize;
    final long dataLength;
    final Content content;
    final Map<String, String> pax = new LinkedHashMap<>();
    TarWriter.LongNames longNames = TarWriter.LongNames.PAX;
    int devMajor;
    int devMinor;

    private RawEntry(String name, char type, int mode, String linkName, long declaredSize, long dataLength,
            Content content) {
        this.name = name;
        this.type = type;
        this.mode = mode;
        this.linkName = linkName;
        this.declaredSize = declaredSize;
        this.dataLength = dataLength;
        this.content = content;
    }

    /** A regular file entry with {@code data}, mode 0644. */
    public static RawEntry file(String name, byte[] data) {
        return new RawEntry(name, '0', 0644, "", data.length, data.length, Content.bytes(data));
    }

    /** A regular file entry of {@code size} zero bytes, streamed (a decompression bomb compresses to almost nothing). */
    public static RawEntry zeros(String name, long size) {
        return new RawEntry(name, '0', 0644, "", size, size, Content.zeros(size));
    }

    /**
     * A regular file whose header declares {@code declaredSize} but which is followed by only
     * {@code actual} (the archive is then truncated or misaligned from here on).
     */
    public static RawEntry lyingSize(String name, long declaredSize, byte[] actual) {
        return new RawEntry(name, '0', 0644, "", declaredSize, actual.length, Content.bytes(actual));
    }

    /** A directory entry (the name is written as given; add a trailing '/' for the usual form). */
    public static RawEntry directory(String name) {
        return new RawEntry(name, '5', 0755, "", 0, 0, Content.bytes(new byte[0]));
    }

    public static RawEntry symlink(String name, String target) {
        return new RawEntry(name, '2', 0777, target, 0, 0, Content.bytes(new byte[0]));
    }

    public static RawEntry hardlink(String name, String target) {
        return new RawEntry(name, '1', 0644, target, 0, 0, Content.bytes(new byte[0]));
    }

    public static RawEntry fifo(String name) {
        return new RawEntry(name, '6', 0644, "", 0, 0, Content.bytes(new byte[0]));
    }

    public static RawEntry charDevice(String name, int major, int minor) {
        RawEntry e = new RawEntry(name, '3', 0666, "", 0, 0, Content.bytes(new byte[0]));
        e.devMajor = major;
        e.devMinor = minor;
        return e;
    }

    public static RawEntry blockDevice(String name, int major, int minor) {
        RawEntry e = new RawEntry(name, '4', 0660, "", 0, 0, Content.bytes(new byte[0]));
        e.devMajor = major;
        e.devMinor = minor;
        return e;
    }

    /** An entry of any tar type flag with no data. */
    public static RawEntry ofType(String name, char type) {
        return new RawEntry(name, type, 0644, "", 0, 0, Content.bytes(new byte[0]));
    }

    /**
     * A GNU long-name ({@code L}) pseudo entry declaring {@code size} bytes of name (streamed
     * zeros), followed by a small file: readers that collect long names in memory must bound them.
     */
    public static RawEntry hugeLongName(long size) {
        return new RawEntry("././@LongLink", 'L', 0644, "", size, size, Content.zeros(size));
    }

    /**
     * A sparse file in GNU's PAX 1.0 sparse format: {@code realSize} bytes of which only
     * {@code chunks} (offset → bytes, ascending) are stored; the rest are holes.
     */
    public static RawEntry sparse(String name, long realSize, Map<Long, byte[]> chunks) {
        StringBuilder map = new StringBuilder();
        map.append(chunks.size()).append('\n');
        long stored = 0;
        for (Map.Entry<Long, byte[]> c : chunks.entrySet()) {
            map.append(c.getKey()).append('\n').append(c.getValue().length).append('\n');
            stored += c.getValue().length;
        }
        byte[] mapBytes = map.toString().getBytes(StandardCharsets.US_ASCII);
        int mapLength = (mapBytes.length + TarWriter.RECORD - 1) / TarWriter.RECORD * TarWriter.RECORD;
        byte[] data = Arrays.copyOf(mapBytes, (int) (mapLength + stored));
        int at = mapLength;
        for (byte[] chunk : chunks.values()) {
            System.arraycopy(chunk, 0, data, at, chunk.length);
            at += chunk.length;
        }
        String base = name.substring(name.lastIndexOf('/') + 1);
        String dir = name.lastIndexOf('/') > 0 ? name.substring(0, name.lastIndexOf('/') + 1) : "";
        RawEntry e = new RawEntry(dir + "GNUSparseFile.0/" + base, '0', 0644, "", data.length, data.length,
                Content.bytes(data));
        e.pax.put("GNU.sparse.major", "1");
        e.pax.put("GNU.sparse.minor", "0");
        e.pax.put("GNU.sparse.name", name);
        e.pax.put("GNU.sparse.realsize", Long.toString(realSize));
        return e;
    }

    /** The raw mode bits, setuid/setgid/sticky included. */
    public RawEntry mode(int mode) {
        this.mode = mode;
        return this;
    }

    /** mtime in seconds since the epoch. */
    public RawEntry mtime(long epochSeconds) {
        this.mtime = epochSeconds;
        return this;
    }

    /** Adds a pax record ({@code path}, {@code linkpath}, {@code size}, {@code mtime}, ...) before this entry. */
    public RawEntry pax(String key, String value) {
        pax.put(key, value);
        return this;
    }

    /** Writes over-long names and link names as GNU {@code L}/{@code K} entries instead of pax records. */
    public RawEntry gnuLongNames() {
        this.longNames = TarWriter.LongNames.GNU;
        return this;
    }

    void writeTo(TarWriter tar) throws java.io.IOException {
        if (type == 'L' || type == 'K') {
            // a bare GNU long-name pseudo entry: header written as is, then the file it names
            TarWriter.Header h = header();
            h.longNames = TarWriter.LongNames.PAX;
            try (InputStream in = content.open()) {
                tar.write(h, in, dataLength);
            }
            TarWriter.Header after = new TarWriter.Header();
            after.name = "after-long-name";
            after.mtime = mtime;
            tar.write(after, new ByteArrayInputStream(new byte[0]), 0);
            return;
        }
        try (InputStream in = content.open()) {
            tar.write(header(), in, dataLength);
        }
    }

    private TarWriter.Header header() {
        TarWriter.Header h = new TarWriter.Header();
        h.name = name;
        h.type = type;
        h.mode = mode;
        h.mtime = mtime;
        h.linkName = linkName;
        h.size = declaredSize;
        h.devMajor = devMajor;
        h.devMinor = devMinor;
        h.longNames = longNames;
        h.pax.putAll(pax);
        return h;
    }
}
