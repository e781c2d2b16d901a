package dev.envlink.cache.download;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The temporary file {@code .<name>.part-<random>} next to the target, hashed (SHA-256 and MD5)
 * while written. {@link #commit} fsyncs it and renames it over the target atomically;
 * {@link #close} without a commit deletes it. Writes may come from HTTP client threads while the
 * owner waits, hence the synchronisation; after {@link #close} further writes fail.
 */
final class PartFile implements Closeable {

    static final String MARKER = ".part-";
    /** Keeps {@code .<name>.part-<16 hex>} within the usual 255-byte file name limit. */
    private static final int MAX_NAME_CHARS = 200;

    private final Path path;
    private final FileChannel channel;
    private final MessageDigest sha256;
    private final MessageDigest md5;
    private long bytes;
    private boolean closed;
    private boolean committed;
    private String sha256Hex;
    private String md5Hex;

    private PartFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256 and MD5", e);
        }
    }

    /** Creates the part file in {@code target}'s directory (created when missing). */
    static PartFile create(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        String name = absolute.getFileName().toString();
        if (name.length() > MAX_NAME_CHARS) {
            name = name.substring(0, MAX_NAME_CHARS);
        }
        FileAlreadyExistsException last = null;
        for (int i = 0; i < 8; i++) {
            Path p = dir.resolve("." + name + MARKER + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
            try {
                return new PartFile(p, FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                last = e;
            }
        }
        throw last;
    }

    static boolean isPartName(String fileName) {
        return fileName.startsWith(".") && fileName.contains(MARKER);
    }

    Path path() {
        return path;
    }

    /** Hashes and writes all of {@code b}. */
    synchronized void write(ByteBuffer b) throws IOException {
        if (closed) {
            throw new IOException("part file already closed: " + path);
        }
        sha256.update(b.duplicate());
        md5.update(b.duplicate());
        while (b.hasRemaining()) {
            bytes += channel.write(b);
        }
    }

    synchronized long bytes() {
        return bytes;
    }

    /** Ends hashing; call once, after the last write. */
    synchronized void digest() {
        if (sha256Hex == null) {
            sha256Hex = HexFormat.of().formatHex(sha256.digest());
            md5Hex = HexFormat.of().formatHex(md5.digest());
        }
    }

    synchronized String sha256Hex() {
        digest();
        return sha256Hex;
    }

    synchronized String md5Hex() {
        digest();
        return md5Hex;
    }

    /** fsync, close, rename over {@code target} (atomically), fsync the directory. */
    synchronized void commit(Path target) throws IOException {
        if (closed) {
            throw new IOException("part file already closed: " + path);
        }
        channel.force(true);
        closed = true;
        channel.close();
        try {
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + path + " to " + target + " atomically: " + e.getMessage(), e);
        }
        committed = true;
        syncDirectory(path.getParent());
    }

    /** Makes the rename durable where the platform allows opening a directory (Linux, macOS). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // Windows cannot open directories; the rename itself is still atomic.
        }
    }

    /** Deletes the part file unless committed. Never throws. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                channel.close();
            } catch (IOException ignored) {
                // deleting it anyway
            }
        }
        if (!committed) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // best effort: nothing else can be done; the name marks it as garbage
            }
        }
    }
}
