package dev.envlink.cache.meta;

import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code info/repodata_record.json}: the package's repodata entry as conda writes it into an
 * extracted package directory: the fields of {@code info/index.json} plus where the archive came
 * from and what it hashed to ({@code fn}, {@code url}, {@code channel}, {@code md5},
 * {@code sha256}, {@code size}). conda, mamba and pixi read it back instead of re-hashing the
 * archive.
 *
 * @param fields every field, in order (as read, or sorted for records made by
 *               {@link #fromIndex}); values are strings, {@code Long}, {@code Double}, booleans,
 *               null, and unmodifiable lists and maps
 */
public record RepodataRecord(Map<String, Object> fields) {

    public static final String FILE = "repodata_record.json";

    public RepodataRecord {
        fields = MetaFile.freezeMap(fields);
    }

    /** Reads {@code infoDir/repodata_record.json}; empty if the file does not exist. */
    public static Optional<RepodataRecord> read(Path infoDir) throws PackageFormatException {
        MetaFile f = MetaFile.in(infoDir, FILE);
        if (!f.exists()) {
            return Optional.empty();
        }
        return Optional.of(new RepodataRecord(MetaFile.toMap(f.readObject())));
    }

    /**
     * What conda writes after extracting an archive: every field of {@code index.json} as read,
     * then {@code fn}, {@code url}, {@code channel}, {@code md5}, {@code sha256} and {@code size}
     * (these replace index fields of the same name; null arguments are left out), keys sorted as
     * Python's {@code sort_keys=True} sorts them.
     */
    public static RepodataRecord fromIndex(IndexJson index, String fn, String url, String channel, String md5,
            String sha256, long size) {
        Map<String, Object> m = new TreeMap<>(PythonJson.KEY_ORDER);
        m.putAll(index.raw());
        putIfNotNull(m, "fn", fn);
        putIfNotNull(m, "url", url);
        putIfNotNull(m, "channel", channel);
        putIfNotNull(m, "md5", md5);
        putIfNotNull(m, "sha256", sha256);
        m.put("size", size);
        return new RepodataRecord(new LinkedHashMap<>(m));
    }

    private static void putIfNotNull(Map<String, Object> m, String k, String v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    /** The JSON text conda would write for these fields (see {@link PythonJson}). */
    public String toJson() {
        return PythonJson.dump(fields);
    }

    /**
     * Writes {@code infoDir/repodata_record.json} atomically: the text goes to a temporary file in
     * the same directory, is flushed to disk, and is renamed over the target, so readers see the
     * old file or the new one, never a partial one. The file is made {@code rw-r--r--} where POSIX
     * permissions exist (the cache may be shared read-only).
     */
    public void write(Path infoDir) throws IOException {
        Path target = infoDir.resolve(FILE);
        Path tmp = Files.createTempFile(infoDir, "." + FILE + ".", ".tmp");
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(toJson().getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX filesystem: keep the default
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    public String name() {
        return string("name");
    }

    public String version() {
        return string("version");
    }

    public String build() {
        return string("build");
    }

    public String fn() {
        return string("fn");
    }

    public String url() {
        return string("url");
    }

    public String channel() {
        return string("channel");
    }

    public String md5() {
        return string("md5");
    }

    public String sha256() {
        return string("sha256");
    }

    /** {@code size}, if it is an integer. */
    public Optional<Long> size() {
        return fields.get("size") instanceof Long l ? Optional.of(l) : Optional.empty();
    }

    /** A string field, or null if absent or not a string. */
    public String string(String key) {
        return fields.get(key) instanceof String s ? s : null;
    }
}
