package dev.envlink.cache.meta;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A compact binary copy of a cache entry's parsed {@code info/paths.json}, written into the entry
 * when the cache makes it: decoding it costs a fraction of parsing the JSON, and an install reads
 * the list of every package before it places anything (51 000 paths: ~0.1 s of CPU as JSON).
 *
 * <p>It names the size, modification time and file key of the paths.json it was made from; any
 * difference, a missing or unreadable index, or anything unexpected inside it, and the JSON is
 * parsed as before. It is never written into entries the cache did not make (read-only layers).
 */
final class PathsIndex {
    static final String FILE = ".envlink-paths.idx";
    private static final int MAGIC = 0x454c5031; // "ELP1"
    private static final int HAS_SHA = 1;
    private static final int HAS_SIZE = 2;
    private static final int HAS_PLACEHOLDER = 4;
    private static final int NO_LINK = 8;
    private static final int HAS_MODE = 16;

    private PathsIndex() {
    }

    /**
     * Windows cannot delete or rename a file while a mapping of it lives, and a mapping lives until
     * it is garbage collected: a repair or clean of the entry would fail there.
     */
    private static final boolean MAP = java.io.File.separatorChar == '/';

    /**
     * The list, if an index made from this very paths.json is there; empty otherwise. The file is
     * mapped, not read (except on Windows): a 51 000-file install reads 8 MB of indexes, and
     * copying them into fresh heap arrays cost more (page faults and zeroing) than decoding them.
     */
    static Optional<PathsJson> read(Path infoDir) {
        try (FileChannel ch = FileChannel.open(infoDir.resolve(FILE), StandardOpenOption.READ)) {
            Stamp json = stampOf(infoDir);
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            if (!MAP) {
                ByteBuffer data = ByteBuffer.allocate((int) size);
                while (data.hasRemaining()) {
                    if (ch.read(data) < 0) {
                        break; // shrank meanwhile: decoding fails and the JSON decides
                    }
                }
                return decode(data.flip(), json);
            }
            return decode(ch.map(FileChannel.MapMode.READ_ONLY, 0, size), json);
        } catch (IOException e) {
            return Optional.empty(); // none (entries of read-only layers, older entries) or unreadable
        } catch (RuntimeException | InternalError e) {
            return Optional.empty(); // damaged (or, mapped, cut short meanwhile): the JSON decides
        }
    }

    /** Writes the index of {@code paths}, parsed from {@code infoDir/paths.json}, atomically. */
    static void write(Path infoDir, PathsJson paths) throws IOException {
        byte[] data = encode(paths, stampOf(infoDir));
        Path tmp = infoDir.resolve(FILE + ".tmp");
        Files.write(tmp, data);
        Files.move(tmp, infoDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Size, modification time (ns) and file key of paths.json. */
    record Stamp(long size, long mtimeNanos, int keyHash) {
        // Written out: a record's generated equals is bootstrapped through method handles on first
        // use, ~10 ms of a cold JVM on every install.
        @Override
        public boolean equals(Object o) {
            return o instanceof Stamp s && s.size == size && s.mtimeNanos == mtimeNanos && s.keyHash == keyHash;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(size) * 31 + Long.hashCode(mtimeNanos) * 17 + keyHash;
        }
    }

    /** The stamp of {@code infoDir/paths.json} as it is now. */
    static Stamp stampOf(Path infoDir) throws IOException {
        BasicFileAttributes a = Files.readAttributes(infoDir.resolve(PathsJson.FILE), BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        return new Stamp(a.size(), a.lastModifiedTime().to(TimeUnit.NANOSECONDS), Objects.hashCode(a.fileKey()));
    }

    static byte[] encode(PathsJson paths, Stamp stamp) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + paths.paths().size() * 128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeLong(stamp.size());
            out.writeLong(stamp.mtimeNanos());
            out.writeInt(stamp.keyHash());
            out.writeInt(paths.version());
            out.writeInt(paths.paths().size());
            for (PathEntry e : paths.paths()) {
                int flags = (e.sha256() != null ? HAS_SHA : 0) | (e.sizeInBytes() != null ? HAS_SIZE : 0)
                        | (e.prefixPlaceholder() != null ? HAS_PLACEHOLDER : 0) | (e.noLink() ? NO_LINK : 0)
                        | (e.fileMode() != null ? HAS_MODE : 0);
                out.writeByte(e.type().ordinal());
                out.writeByte(flags);
                string(out, e.path());
                if (e.sha256() != null) {
                    string(out, e.sha256());
                }
                if (e.sizeInBytes() != null) {
                    out.writeLong(e.sizeInBytes());
                }
                if (e.prefixPlaceholder() != null) {
                    string(out, e.prefixPlaceholder());
                }
                if (e.fileMode() != null) {
                    out.writeByte(e.fileMode().ordinal());
                }
            }
            out.writeInt(MAGIC); // a truncated index is told by its missing end
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in memory: cannot happen
        }
        return bytes.toByteArray();
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** The list, or empty when the index is of another paths.json; throws when it is damaged. */
    static Optional<PathsJson> decode(byte[] data, Stamp expected) {
        return decode(ByteBuffer.wrap(data), expected);
    }

    private static Optional<PathsJson> decode(ByteBuffer b, Stamp expected) {
        if (b.getInt() != MAGIC) {
            return Optional.empty();
        }
        Stamp stamp = new Stamp(b.getLong(), b.getLong(), b.getInt());
        if (!stamp.equals(expected)) {
            return Optional.empty();
        }
        int version = b.getInt();
        int count = b.getInt();
        if (count < 0 || count > b.limit()) {
            throw new IllegalArgumentException("bad count " + count);
        }
        PathType[] types = PathType.values();
        FileMode[] modes = FileMode.values();
        List<PathEntry> out = new ArrayList<>(count);
        Strings strings = new Strings(b);
        for (int i = 0; i < count; i++) {
            PathType type = types[b.get()];
            int flags = b.get();
            String path = strings.next();
            if (!strings.plainNormalPath() && !PackagePaths.normalize(path).equals(path)) {
                throw new IllegalArgumentException("not a normal package path: " + path); // never written so
            }
            String sha = (flags & HAS_SHA) != 0 ? strings.next() : null;
            Long size = (flags & HAS_SIZE) != 0 ? b.getLong() : null;
            String placeholder = (flags & HAS_PLACEHOLDER) != 0 ? strings.next() : null;
            FileMode mode = (flags & HAS_MODE) != 0 ? modes[b.get()] : null;
            out.add(new PathEntry(path, type, sha, size, placeholder, mode, (flags & NO_LINK) != 0));
        }
        if (b.getInt() != MAGIC || b.hasRemaining()) {
            throw new IllegalArgumentException("trailing or missing end");
        }
        return Optional.of(new PathsJson(version, out));
    }

    /**
     * The index's strings, read through one scratch array: no array per string (an install decodes
     * two strings for each of tens of thousands of paths), and the common path is checked on its
     * bytes.
     */
    private static final class Strings {
        private final ByteBuffer b;
        private byte[] bytes = new byte[256];
        private int length; // of the last string, in bytes

        Strings(ByteBuffer b) {
            this.b = b;
        }

        String next() {
            int n = b.getInt();
            if (n < 0 || n > b.remaining()) {
                throw new IllegalArgumentException("bad length " + n);
            }
            if (n > bytes.length) {
                bytes = new byte[Math.max(n, bytes.length * 2)];
            }
            b.get(bytes, 0, n);
            length = n;
            return new String(bytes, 0, n, StandardCharsets.UTF_8);
        }

        /** {@link PackagePaths#plainNormal} of the last string's bytes. */
        boolean plainNormalPath() {
            return PackagePaths.plainNormal(bytes, length);
        }
    }
}
