package dev.envlink.cache.archive;

import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * One extraction into one destination: the safety rules, the limits and the file writing. Two
 * tar components of a {@code .conda} may be extracted into it at the same time (one thread each).
 *
 * <p>Safety: every path written is registered in {@link #nodes} before or as it is created. A
 * path component may only be traversed when it is registered as a directory, and a directory is
 * registered only after {@code mkdir} succeeded (or {@code lstat} showed a real directory that was
 * already there). Directories are never deleted or replaced, so a registered directory stays a real
 * directory. Files are created with {@code O_CREAT|O_EXCL|O_NOFOLLOW}; symlinks and hard links by
 * {@code symlink(2)} and {@code link(2)}, which never follow the new name. Hence nothing is ever
 * written through a symlink, whether it came from the archive or was already in the destination.
 *
 * <p>Write-behind: small files are read into memory on the tar thread (after their path was
 * claimed and their parents created there) and created on {@link Workers#writers()}. Hard links,
 * replacing an earlier entry, the directory attributes and the end of each component wait for
 * all pending writes, and a writer's failure stops the tar thread at its next entry. When
 * {@code extractTar} returns or throws, no write of it is still running.
 */
final class Extraction {
    /** Read buffer per tar component. */
    static final int BUFFER_SIZE = 256 * 1024;
    /** Zero runs this long and aligned in the buffer become holes instead of written bytes. */
    static final int HOLE_GRANULE = 32 * 1024;
    private static final byte[] ZEROS = new byte[HOLE_GRANULE];
    /** Files up to this size are read into memory and created on a writer thread. */
    static final int ASYNC_MAX_FILE_SIZE = 4 << 20;
    /** {@code -Denvlink.writeBehind=false} writes every file on the tar thread. */
    static final boolean WRITE_BEHIND = !"false".equals(System.getProperty("envlink.writeBehind"));
    /** What one extraction may hold in memory for the writer threads. */
    static final int WRITE_BEHIND_BYTES = 64 << 20;
    /** Budget charged per file on top of its size (bounds the number of queued files to ~16 000). */
    static final int ASYNC_OVERHEAD = 4096;
    private static final Set<OpenOption> CREATE_NEW = Set.of(
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final Set<PosixFilePermission>[] PERMISSIONS = new Set[512];
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static final FileAttribute<Set<PosixFilePermission>>[] PERMISSION_ATTRIBUTES = new FileAttribute[512];

    static {
        for (int mode = 0; mode < 512; mode++) {
            PERMISSIONS[mode] = dev.envlink.link.ModeBits.permissions(mode);
            PERMISSION_ATTRIBUTES[mode] = PosixFilePermissions.asFileAttribute(PERMISSIONS[mode]);
        }
    }

    enum Kind { DIRECTORY, FILE, SYMLINK }

    private record DirectoryAttributes(int mode, FileTime mtime) {
    }

    private final Path archive;
    private final Path destination;
    private final ExtractLimits limits;
    private final boolean posix;
    private final int umask;
    private final Map<String, Kind> nodes = new ConcurrentHashMap<>();
    private final Map<String, DirectoryAttributes> directoryAttributes = new ConcurrentHashMap<>();
    private final Object directoryLock = new Object();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong entries = new AtomicLong();
    private final LongAdder files = new LongAdder();
    private final LongAdder directories = new LongAdder();
    private final LongAdder symlinks = new LongAdder();
    private final LongAdder hardlinks = new LongAdder();
    private volatile boolean aborted;
    /** Bytes (plus a per-file overhead) read ahead of the writer threads; bounds the memory held. */
    private final java.util.concurrent.Semaphore writeBudget = new java.util.concurrent.Semaphore(WRITE_BEHIND_BYTES);
    private final Object pendingLock = new Object();
    private int pendingWrites;
    private volatile Throwable writeFailure;

    Extraction(Path archive, Path destination, ExtractLimits limits) throws IOException {
        this.archive = archive;
        this.destination = destination;
        this.limits = limits;
        this.posix = destination.getFileSystem().supportedFileAttributeViews().contains("posix");
        this.umask = posix ? probeUmask(destination) : 0;
        nodes.put("", Kind.DIRECTORY);
    }

    /** Stops the other component's extraction at its next entry. */
    void abort() {
        aborted = true;
    }

    ExtractResult result() {
        return new ExtractResult(files.sum(), directories.sum(), symlinks.sum(), hardlinks.sum(), bytes.get());
    }

    /** Checks a size that a container (zip entry) declares against the limit. */
    void checkDeclared(String entry, long size) throws PackageFormatException {
        if (size > limits.maxUnpackedBytes()) {
            throw new PackageFormatException(archive, entry, "declared size " + size
                    + " bytes exceeds the limit of " + limits.maxUnpackedBytes() + " unpacked bytes");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Tar

    /**
     * Extracts one tar stream.
     *
     * @param decompressed the decompressed tar bytes (buffered by the caller)
     * @param component the name of the component for messages ({@code pkg-x.tar.zst}), or null
     * @param compression "zstd" or "bzip2", for messages
     */
    void extractTar(InputStream decompressed, String component, String compression) throws IOException {
        TarSource source = new TarSource(decompressed, archive, component, compression);
        TarArchiveInputStream tar = new TarArchiveInputStream(source, StandardCharsets.UTF_8.name());
        Set<String> regularFiles = new HashSet<>();
        byte[] buffer = new byte[BUFFER_SIZE];
        try {
            extractEntries(tar, source, buffer, regularFiles, component);
        } catch (IOException | RuntimeException | Error e) {
            awaitWrites(false);
            throw e;
        }
        awaitWrites(true);
    }

    private void extractEntries(TarArchiveInputStream tar, TarSource source, byte[] buffer, Set<String> regularFiles,
            String component) throws IOException {
        String previous = null;
        while (true) {
            if (aborted) {
                throw new Aborted();
            }
            throwWriteFailure();
            TarArchiveEntry entry;
            source.enterHeader(previous);
            try {
                entry = tar.getNextEntry();
            } catch (PackageFormatException | InterruptedIOException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new PackageFormatException(archive, component, "corrupt tar header after "
                        + TarSource.describe(previous) + ": " + e.getMessage(), e);
            }
            source.leaveHeader(entry == null ? null : entry.getName());
            if (entry == null) {
                drainTrailer(source, buffer);
                return;
            }
            String name = entry.getName();
            previous = name;
            if (entries.incrementAndGet() > limits.maxEntries()) {
                throw new PackageFormatException(archive, name,
                        "more than " + limits.maxEntries() + " entries (limit on entries per package)");
            }
            extractEntry(tar, entry, name, buffer, regularFiles);
        }
    }

    /**
     * Reads what follows the end-of-archive records to the end of the compressed stream (normally
     * only padding), so that the decompressor verifies its final checksums (zstd frame checksum,
     * bzip2 block and stream CRCs): a corrupted byte late in the stream is reported, not ignored.
     * At most {@value #TRAILER_LIMIT} bytes are read; more trailing data is ignored, as tar does.
     */
    private static void drainTrailer(TarSource source, byte[] buffer) throws IOException {
        long read = 0;
        while (read < TRAILER_LIMIT) {
            int n = source.read(buffer, 0, (int) Math.min(buffer.length, TRAILER_LIMIT - read));
            if (n < 0) {
                return;
            }
            read += n;
        }
    }

    static final long TRAILER_LIMIT = 1 << 20;

    private void extractEntry(TarArchiveInputStream tar, TarArchiveEntry entry, String name, byte[] buffer,
            Set<String> regularFiles) throws IOException {
        String rel = normalize(name, name, "");
        if (entry.isSymbolicLink()) {
            drainExtraData(tar, entry, name, buffer);
            symlink(entry, name, rel);
        } else if (entry.isLink()) {
            drainExtraData(tar, entry, name, buffer);
            hardlink(entry, name, rel, regularFiles);
        } else if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new UnsafeArchiveException(archive, name, (entry.isFIFO() ? "FIFO"
                    : entry.isCharacterDevice() ? "character device" : "block device")
                    + " entries are not allowed in a package");
        } else if (isRegular(entry)) {
            if (rel.isEmpty()) {
                throw new PackageFormatException(archive, name, "a regular file entry names the package root");
            }
            file(tar, entry, name, rel, buffer);
            regularFiles.add(rel);
        } else if (entry.isDirectory()) {
            drainExtraData(tar, entry, name, buffer);
            directory(entry, name, rel);
        } else {
            throw new UnsafeArchiveException(archive, name,
                    "unsupported tar entry type '" + printable(entry.getLinkFlag()) + "'");
        }
    }

    private static boolean isRegular(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        boolean regularFlag = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
                || flag == TarConstants.LF_CONTIG || flag == TarConstants.LF_GNUTYPE_SPARSE;
        // commons-compress calls an entry whose name ends in "/" a directory, whatever its type
        return regularFlag && !entry.getName().endsWith("/");
    }

    private static String printable(byte flag) {
        return flag >= 0x20 && flag < 0x7f ? String.valueOf((char) flag) : String.format("\\x%02x", flag);
    }

    // ---------------------------------------------------------------------------------------------
    // Names

    /**
     * The safe relative form of an entry or link name: {@code ./} prefixes, empty and {@code .}
     * components dropped; absolute names and {@code ..} components rejected.
     *
     * @param what "" for the entry name, or a description of the link target for messages
     */
    String normalize(String path, String entryName, String what) throws PackageFormatException {
        if (path.isEmpty()) {
            throw new PackageFormatException(archive, entryName, "empty " + (what.isEmpty() ? "entry name" : what));
        }
        String subject = what.isEmpty() ? "entry name" : what + " '" + path + "'";
        if (path.startsWith("/")) {
            throw new UnsafeArchiveException(archive, entryName, "absolute " + subject);
        }
        if (path.indexOf('\0') >= 0) {
            throw new UnsafeArchiveException(archive, entryName, subject + " contains a NUL character");
        }
        StringBuilder out = new StringBuilder(path.length());
        int i = 0;
        int n = path.length();
        while (i < n) {
            int j = path.indexOf('/', i);
            if (j < 0) {
                j = n;
            }
            int len = j - i;
            if (len == 0 || (len == 1 && path.charAt(i) == '.')) {
                // empty or "." component
            } else if (len == 2 && path.charAt(i) == '.' && path.charAt(i + 1) == '.') {
                throw new UnsafeArchiveException(archive, entryName, subject + " has a '..' component");
            } else {
                if (out.length() > 0) {
                    out.append('/');
                }
                out.append(path, i, j);
            }
            i = j + 1;
        }
        return out.toString();
    }

    private Path resolve(String rel, String entryName) throws PackageFormatException {
        try {
            return destination.resolve(rel);
        } catch (InvalidPathException e) {
            throw new PackageFormatException(archive, entryName, "name cannot be represented in this JVM's file "
                    + "name encoding (sun.jnu.encoding=" + System.getProperty("sun.jnu.encoding")
                    + "; run with a UTF-8 locale)", e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Directories and path claims

    /** Makes {@code dirRel} a real directory created (or found) by this extraction. */
    private void ensureDirectory(String dirRel, String entryName) throws IOException {
        Kind kind = nodes.get(dirRel);
        if (kind == Kind.DIRECTORY) {
            return;
        }
        if (kind != null) {
            throw notADirectory(dirRel, kind, entryName);
        }
        synchronized (directoryLock) {
            kind = nodes.get(dirRel);
            if (kind == Kind.DIRECTORY) {
                return;
            }
            if (kind != null) {
                throw notADirectory(dirRel, kind, entryName);
            }
            int slash = dirRel.lastIndexOf('/');
            if (slash > 0) {
                ensureDirectory(dirRel.substring(0, slash), entryName);
            }
            Path dir = resolve(dirRel, entryName);
            try {
                Files.createDirectory(dir);
                directories.increment();
            } catch (FileAlreadyExistsException e) {
                BasicFileAttributes a = Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isSymbolicLink()) {
                    throw new UnsafeArchiveException(archive, entryName,
                            "would be written through the symlink '" + dirRel + "' that is already in the destination");
                }
                if (!a.isDirectory()) {
                    throw new PackageFormatException(archive, entryName,
                            "'" + dirRel + "' already exists in the destination and is not a directory");
                }
            }
            Kind previous = nodes.putIfAbsent(dirRel, Kind.DIRECTORY);
            if (previous != null && previous != Kind.DIRECTORY) {
                throw notADirectory(dirRel, previous, entryName);
            }
        }
    }

    private PackageFormatException notADirectory(String dirRel, Kind kind, String entryName) {
        if (kind == Kind.SYMLINK) {
            return new UnsafeArchiveException(archive, entryName,
                    "would be written through the symlink '" + dirRel + "' (an earlier entry)");
        }
        return new PackageFormatException(archive, entryName,
                "its parent '" + dirRel + "' is a file (an earlier entry), not a directory");
    }

    /**
     * Claims {@code rel} for a new non-directory: creates its parents; a file or symlink that an
     * earlier entry put there is removed (tar semantics: the later entry wins).
     */
    private Path claim(String rel, String entryName, Kind kind) throws IOException {
        int slash = rel.lastIndexOf('/');
        if (slash > 0) {
            ensureDirectory(rel.substring(0, slash), entryName);
        }
        Path path = resolve(rel, entryName);
        Kind previous = nodes.putIfAbsent(rel, kind);
        if (previous == Kind.DIRECTORY) {
            throw new PackageFormatException(archive, entryName,
                    "conflicts with a directory of the same name (an earlier entry)");
        }
        if (previous != null) {
            awaitWrites(true); // the earlier entry may still be being written
            Files.deleteIfExists(path); // unlink: never follows a symlink
            nodes.put(rel, kind);
        }
        return path;
    }

    private PackageFormatException exists(String entryName, FileAlreadyExistsException e) {
        return new PackageFormatException(archive, entryName, "already exists in the destination", e);
    }

    private void directory(TarArchiveEntry entry, String name, String rel) throws IOException {
        if (rel.isEmpty()) {
            return; // "./": the destination itself
        }
        ensureDirectory(rel, name);
        directoryAttributes.put(rel, new DirectoryAttributes(entry.getMode() & 0777, entry.getLastModifiedTime()));
    }

    /** Applies the directory entries' modes and mtimes, deepest first, after all contents are written. */
    void finishDirectories() throws IOException {
        awaitWrites(true);
        List<Map.Entry<String, DirectoryAttributes>> list = new ArrayList<>(directoryAttributes.entrySet());
        list.sort(Comparator.comparingInt((Map.Entry<String, DirectoryAttributes> e) -> depth(e.getKey())).reversed());
        for (Map.Entry<String, DirectoryAttributes> e : list) {
            Path dir = destination.resolve(e.getKey());
            DirectoryAttributes a = e.getValue();
            if (posix) {
                Files.setPosixFilePermissions(dir, PERMISSIONS[a.mode()]);
            }
            setTimes(dir, a.mtime());
        }
    }

    private static int depth(String rel) {
        int d = 0;
        for (int i = 0; i < rel.length(); i++) {
            if (rel.charAt(i) == '/') {
                d++;
            }
        }
        return d;
    }

    // ---------------------------------------------------------------------------------------------
    // Links

    private void symlink(TarArchiveEntry entry, String name, String rel) throws IOException {
        String target = entry.getLinkName();
        if (target == null || target.isEmpty()) {
            throw new PackageFormatException(archive, name, "symlink with an empty target");
        }
        if (rel.isEmpty()) {
            throw new PackageFormatException(archive, name, "a symlink entry names the package root");
        }
        Path targetPath;
        try {
            targetPath = destination.getFileSystem().getPath(target);
        } catch (InvalidPathException e) {
            throw new PackageFormatException(archive, name, "symlink target cannot be represented: " + target, e);
        }
        Path path = claim(rel, name, Kind.SYMLINK);
        try {
            Files.createSymbolicLink(path, targetPath);
        } catch (FileAlreadyExistsException e) {
            throw exists(name, e);
        }
        symlinks.increment();
        try {
            Files.getFileAttributeView(path, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setTimes(entry.getLastModifiedTime(), entry.getLastModifiedTime(), null);
        } catch (IOException | UnsupportedOperationException e) {
            // a symlink's own mtime is cosmetic; not every platform can set it
        }
    }

    private void hardlink(TarArchiveEntry entry, String name, String rel, Set<String> regularFiles) throws IOException {
        String target = entry.getLinkName();
        if (target == null || target.isEmpty()) {
            throw new PackageFormatException(archive, name, "hard link with an empty target");
        }
        String targetRel = normalize(target, name, "hard link target");
        if (targetRel.equals(rel)) {
            throw new PackageFormatException(archive, name, "hard link to itself");
        }
        if (!regularFiles.contains(targetRel) || nodes.get(targetRel) != Kind.FILE) {
            throw new UnsafeArchiveException(archive, name,
                    "hard link target '" + target + "' is not an earlier regular file of this archive");
        }
        if (rel.isEmpty()) {
            throw new PackageFormatException(archive, name, "a hard link entry names the package root");
        }
        Path path = claim(rel, name, Kind.FILE);
        awaitWrites(true); // the target may still be being written
        try {
            Files.createLink(path, resolve(targetRel, name));
        } catch (FileAlreadyExistsException e) {
            throw exists(name, e);
        }
        hardlinks.increment();
    }

    /** Non-file entries normally have no data; any that they declare is read and counted, not kept. */
    private void drainExtraData(TarArchiveInputStream tar, TarArchiveEntry entry, String name, byte[] buffer)
            throws IOException {
        long size = entry.getSize();
        if (size <= 0) {
            return;
        }
        checkDeclaredEntry(name, size);
        long left = size;
        while (left > 0) {
            int n = readData(tar, name, buffer, 0, (int) Math.min(buffer.length, left));
            count(name, n);
            left -= n;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Regular files

    private void checkDeclaredEntry(String name, long size) throws PackageFormatException {
        if (size < 0) {
            throw new PackageFormatException(archive, name, "negative size " + size);
        }
        long used = bytes.get();
        if (size > limits.maxUnpackedBytes() - used) {
            throw new PackageFormatException(archive, name, "declared size " + size + " bytes (with " + used
                    + " bytes before it) exceeds the limit of " + limits.maxUnpackedBytes() + " unpacked bytes");
        }
    }

    private void count(String name, int n) throws PackageFormatException {
        long total = bytes.addAndGet(n);
        if (total > limits.maxUnpackedBytes()) {
            throw new PackageFormatException(archive, name,
                    "unpacked data exceeds the limit of " + limits.maxUnpackedBytes() + " bytes");
        }
    }

    private int readData(TarArchiveInputStream tar, String name, byte[] buffer, int off, int len) throws IOException {
        int n;
        try {
            n = tar.read(buffer, off, len);
        } catch (PackageFormatException | InterruptedIOException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new PackageFormatException(archive, name, "truncated or corrupt data: " + e.getMessage(), e);
        }
        if (n <= 0) {
            throw new PackageFormatException(archive, name, "truncated data: the archive ends inside this entry");
        }
        return n;
    }

    private void file(TarArchiveInputStream tar, TarArchiveEntry entry, String name, String rel, byte[] buffer)
            throws IOException {
        long size = entry.isSparse() ? entry.getRealSize() : entry.getSize();
        checkDeclaredEntry(name, size);
        int mode = entry.getMode() & 0777;
        FileTime mtime = entry.getLastModifiedTime();
        Path path = claim(rel, name, Kind.FILE);
        if (size <= ASYNC_MAX_FILE_SIZE && WRITE_BEHIND) {
            // write-behind: read the content here, create the file on a writer thread
            int permits = (int) size + ASYNC_OVERHEAD;
            acquire(permits);
            boolean submitted = false;
            try {
                byte[] data = new byte[(int) size];
                int at = 0;
                while (at < data.length) {
                    int n = readData(tar, name, data, at, data.length - at);
                    count(name, n);
                    at += n;
                }
                submitWrite(() -> {
                    writeFile(path, name, mode, mtime, data);
                    return null;
                }, permits);
                submitted = true;
            } finally {
                if (!submitted) {
                    writeBudget.release(permits);
                }
            }
            return;
        }
        writeFile(path, name, mode, mtime, size, tar, buffer);
    }

    /** Creates {@code path} with {@code data} (on a writer thread). */
    private void writeFile(Path path, String name, int mode, FileTime mtime, byte[] data) throws IOException {
        int createMode = mode | 0600; // writable and readable while we fill it and set its times
        try (FileChannel channel = create(path, createMode)) {
            long written = write(channel, data, data.length, 0, 0);
            if (written < data.length) {
                writeFully(channel, ByteBuffer.wrap(ZEROS, 0, 1), data.length - 1);
            }
        } catch (FileAlreadyExistsException e) {
            throw exists(name, e);
        }
        finishFile(path, mode, createMode, mtime);
    }

    /** Creates {@code path} streaming {@code size} bytes from the tar (on the reading thread). */
    private void writeFile(Path path, String name, int mode, FileTime mtime, long size, TarArchiveInputStream tar,
            byte[] buffer) throws IOException {
        int createMode = mode | 0600;
        try (FileChannel channel = create(path, createMode)) {
            long position = 0;
            long written = 0; // end of the last real write
            while (position < size) {
                int n = readData(tar, name, buffer, 0, (int) Math.min(buffer.length, size - position));
                count(name, n);
                written = write(channel, buffer, n, position, written);
                position += n;
            }
            if (written < size) {
                // the file ends in a hole: give it its size (the last byte is written, a zero)
                writeFully(channel, ByteBuffer.wrap(ZEROS, 0, 1), size - 1);
            }
        } catch (FileAlreadyExistsException e) {
            throw exists(name, e);
        }
        finishFile(path, mode, createMode, mtime);
    }

    private FileChannel create(Path path, int createMode) throws IOException {
        return posix ? FileChannel.open(path, CREATE_NEW, PERMISSION_ATTRIBUTES[createMode])
                : FileChannel.open(path, CREATE_NEW);
    }

    private void finishFile(Path path, int mode, int createMode, FileTime mtime) throws IOException {
        files.increment();
        setTimes(path, mtime);
        if (posix && (createMode & ~umask) != mode) {
            Files.setPosixFilePermissions(path, PERMISSIONS[mode]);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Write-behind

    interface WriteTask {
        Void call() throws IOException;
    }

    private void acquire(int permits) throws IOException {
        try {
            writeBudget.acquire(permits);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while extracting " + archive);
        }
    }

    private void submitWrite(WriteTask task, int permits) throws IOException {
        throwWriteFailure();
        synchronized (pendingLock) {
            pendingWrites++;
        }
        try {
            Workers.writers().execute(() -> {
                try {
                    if (writeFailure == null) {
                        task.call();
                    }
                } catch (IOException | RuntimeException | Error e) {
                    synchronized (pendingLock) {
                        if (writeFailure == null) {
                            writeFailure = e;
                        }
                    }
                } finally {
                    writeBudget.release(permits);
                    synchronized (pendingLock) {
                        if (--pendingWrites == 0) {
                            pendingLock.notifyAll();
                        }
                    }
                }
            });
        } catch (RuntimeException e) {
            synchronized (pendingLock) {
                pendingWrites--;
            }
            throw e;
        }
    }

    /** Rethrows the first failure of a writer thread. */
    private void throwWriteFailure() throws IOException {
        Throwable f = writeFailure;
        if (f instanceof IOException io) {
            throw io;
        }
        if (f instanceof RuntimeException r) {
            throw r;
        }
        if (f instanceof Error err) {
            throw err;
        }
    }

    /**
     * Waits until every submitted write is done (uninterruptibly: when this returns, nothing of
     * this extraction is being written any more), then rethrows the first write failure.
     */
    void awaitWrites(boolean rethrow) throws IOException {
        boolean interrupted = false;
        synchronized (pendingLock) {
            while (pendingWrites > 0) {
                try {
                    pendingLock.wait();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (rethrow) {
            throwWriteFailure();
        }
    }

    /**
     * Writes {@code buffer[0, n)} at {@code position}, leaving aligned all-zero granules as holes.
     *
     * @return the end of the last byte actually written
     */
    private static long write(FileChannel channel, byte[] buffer, int n, long position, long written)
            throws IOException {
        int off = 0;
        while (off < n) {
            if (n - off >= HOLE_GRANULE && isZero(buffer, off)) {
                off += HOLE_GRANULE;
                continue;
            }
            int end = off;
            while (end < n) {
                if (n - end >= HOLE_GRANULE) {
                    if (end > off && isZero(buffer, end)) {
                        break;
                    }
                    end += HOLE_GRANULE;
                } else {
                    end = n;
                }
            }
            writeFully(channel, ByteBuffer.wrap(buffer, off, end - off), position + off);
            written = position + end;
            off = end;
        }
        return written;
    }

    private static boolean isZero(byte[] buffer, int off) {
        return Arrays.mismatch(buffer, off, off + HOLE_GRANULE, ZEROS, 0, HOLE_GRANULE) < 0;
    }

    private static void writeFully(FileChannel channel, ByteBuffer data, long position) throws IOException {
        while (data.hasRemaining()) {
            position += channel.write(data, position);
        }
    }

    /** Path-based utimes instead of NIO's open+futimens+close; see {@link #setTimes}. */
    static final boolean PATH_TIMES = !"false".equals(System.getProperty("envlink.pathTimes"));

    /**
     * Sets the mtime of something this extraction just created. With whole milliseconds (tar
     * headers have seconds) {@code File.setLastModified} does it by path ({@code stat} +
     * {@code utimes}), which is cheaper than NIO's {@code open} + {@code futimens} + {@code close}
     * on filesystems where opening a new file is expensive; sub-millisecond pax mtimes go through
     * NIO to keep their precision (atime is then set to the mtime, as tar does).
     */
    private static void setTimes(Path path, FileTime mtime) throws IOException {
        long millis = mtime.toMillis();
        if (PATH_TIMES && FileTime.fromMillis(millis).equals(mtime)) {
            if (path.toFile().setLastModified(millis)) {
                return;
            }
        }
        Files.getFileAttributeView(path, BasicFileAttributeView.class).setTimes(mtime, mtime, null);
    }

    /** The process umask, seen on a probe file: NIO has no call for it. */
    private static int probeUmask(Path dir) throws IOException {
        Path probe = dir.resolve(".envlink-umask-" + UUID.randomUUID());
        Files.createFile(probe, PERMISSION_ATTRIBUTES[0777]);
        try {
            Set<PosixFilePermission> got = Files.getPosixFilePermissions(probe, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (int m = 0; m < 512; m++) {
                if (PERMISSIONS[m].equals(got)) {
                    mode = m;
                    break;
                }
            }
            return 0777 & ~mode;
        } finally {
            Files.delete(probe);
        }
    }

    /** Thrown in one component when the other has failed; never escapes {@link PackageExtractor}. */
    static final class Aborted extends IOException {
        private static final long serialVersionUID = 1L;

        Aborted() {
            super("aborted: the other component of the package failed");
        }
    }
}
