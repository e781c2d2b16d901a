package dev.envlink.testing.fs;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A real filesystem of a chosen {@link FsType}, formatted into a sparse image file, attached to a
 * loop device and mounted. Closing it unmounts, detaches and deletes everything it created.
 *
 * <p>Needs Linux, root and the mkfs/losetup/mount tools; see {@link #unavailableReason(FsType)}.
 */
public final class LoopMount implements AutoCloseable {

    private static final long MIB = 1024L * 1024L;
    private static final int UMOUNT_ATTEMPTS = 5;
    private static final long UMOUNT_RETRY_MILLIS = 200;

    private final FsType type;
    private final long sizeBytes;
    private final Path image;
    // Filled in step by step by setUp(), so close() can undo exactly what was done.
    private String device;
    private Path mountPoint;
    private boolean mounted;
    private boolean closed;

    private LoopMount(FsType type, long sizeBytes, Path image) {
        this.type = type;
        this.sizeBytes = sizeBytes;
        this.image = image;
    }

    /**
     * Creates an image of {@code sizeBytes} in {@code workDir}, formats it as {@code type} and mounts
     * it on a fresh directory in {@code workDir}. If any step fails, the earlier steps are undone
     * before the exception propagates.
     */
    public static LoopMount create(FsType type, long sizeBytes, Path workDir) throws IOException {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(workDir, "workDir");
        if (sizeBytes <= 0) {
            throw new IllegalArgumentException("sizeBytes must be positive: " + sizeBytes);
        }
        Files.createDirectories(workDir);
        Path image = Files.createTempFile(workDir, type.kernelType() + "-", ".img");
        LoopMount mount = new LoopMount(type, sizeBytes, image);
        try {
            mount.setUp();
            return mount;
        } catch (Throwable failure) {
            try {
                mount.close();
            } catch (IOException | RuntimeException cleanupFailure) {
                failure.addSuppressed(cleanupFailure);
            }
            throw failure;
        }
    }

    private void setUp() throws IOException {
        // setLength on a fresh file leaves it sparse: a 320 MiB image costs only what mkfs writes.
        try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
            file.setLength(sizeBytes);
        }
        Commands.run(type.mkfsCommand(image));
        device = lastLine(Commands.run(List.of("losetup", "--find", "--show", image.toString())));
        mountPoint = Files.createTempDirectory(image.getParent(), type.kernelType() + "-mnt-");
        Commands.run(List.of("mount", "-t", type.kernelType(), device, mountPoint.toString()));
        mounted = true;
        log("mounted %s on %s (%s, %d MiB)", type.label(), mountPoint, device, sizeBytes / MIB);
    }

    /** The mount point: the root directory of the mounted filesystem. */
    public Path path() {
        return mountPoint;
    }

    public FsType type() {
        return type;
    }

    /** The loop device, e.g. {@code /dev/loop3}. */
    public String device() {
        return device;
    }

    /** Unmounts, detaches the loop device and deletes image and mount point. Safe to call twice. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // Every step is attempted even if an earlier one failed, so as little as possible leaks.
        List<IOException> failures = new ArrayList<>();
        if (mounted) {
            attempt(failures, this::unmount);
        }
        if (device != null) {
            attempt(failures, () -> Commands.run(List.of("losetup", "-d", device)));
        }
        if (mountPoint != null) {
            attempt(failures, () -> Files.deleteIfExists(mountPoint));
        }
        attempt(failures, () -> Files.deleteIfExists(image));
        if (!failures.isEmpty()) {
            IOException first = failures.get(0);
            failures.subList(1, failures.size()).forEach(first::addSuppressed);
            throw first;
        }
    }

    private void unmount() throws IOException {
        // A just-finished test may still hold a file open briefly (or the kernel is still releasing
        // it), so EBUSY gets a few short retries before falling back to a lazy unmount.
        for (int attempt = 1; attempt <= UMOUNT_ATTEMPTS; attempt++) {
            Commands.Result result = Commands.exec(List.of("umount", mountPoint.toString()));
            if (result.ok()) {
                mounted = false;
                log("unmounted %s from %s (%s)", type.label(), mountPoint, device);
                return;
            }
            if (!result.output().toLowerCase(Locale.ROOT).contains("busy")) {
                result.orThrow();
            }
            if (attempt < UMOUNT_ATTEMPTS) {
                sleep(UMOUNT_RETRY_MILLIS);
            }
        }
        Commands.run(List.of("umount", "-l", mountPoint.toString()));
        mounted = false;
        log("lazily unmounted busy %s from %s (%s)", type.label(), mountPoint, device);
    }

    /**
     * Why a {@link LoopMount} of this type cannot be created here, or empty if it can.
     * Checks the OS, root, the loop-control device and the required tools; it does not try a mount.
     */
    public static Optional<String> unavailableReason(FsType type) {
        String os = System.getProperty("os.name", "unknown");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("loop-mounted filesystems need Linux, but this is " + os);
        }
        OptionalLong uid = currentUid();
        if (uid.isEmpty()) {
            return Optional.of("cannot determine the user id; loop mounts need root");
        }
        if (uid.getAsLong() != 0) {
            return Optional.of("loop mounts need root, but running as uid " + uid.getAsLong());
        }
        if (!Files.exists(Path.of("/dev/loop-control"))) {
            return Optional.of("/dev/loop-control is missing (no loop driver, or not exposed to this container)");
        }
        List<String> missing = type.requiredTools().stream()
                .filter(tool -> Commands.findTool(tool).isEmpty())
                .toList();
        if (!missing.isEmpty()) {
            return Optional.of("missing tools for " + type.label() + ": " + String.join(", ", missing)
                    + " (searched PATH, /sbin, /usr/sbin)");
        }
        return Optional.empty();
    }

    private static OptionalLong currentUid() {
        try {
            // /proc/self resolves to this process's directory, which is owned by its effective uid.
            return OptionalLong.of(((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue());
        } catch (IOException | RuntimeException notAvailable) {
            try {
                return OptionalLong.of(Long.parseLong(Commands.run(List.of("id", "-u")).strip()));
            } catch (IOException | RuntimeException alsoNotAvailable) {
                return OptionalLong.empty();
            }
        }
    }

    private static String lastLine(String output) throws IOException {
        String[] lines = output.strip().split("\\R");
        String last = lines[lines.length - 1].strip();
        if (last.isEmpty()) {
            throw new IOException("losetup printed no device name");
        }
        return last;
    }

    private interface Step {
        void run() throws IOException;
    }

    private static void attempt(List<IOException> failures, Step step) {
        try {
            step.run();
        } catch (IOException e) {
            failures.add(e);
        }
    }

    private static void sleep(long millis) throws InterruptedIOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting to unmount");
        }
    }

    private static void log(String format, Object... args) {
        // stderr, so CI logs show that real mounts happened even when tests pass silently.
        System.err.println("[envlink-testing] " + String.format(format, args));
    }

    @Override
    public String toString() {
        return "LoopMount[" + type.label() + " on " + mountPoint + " (" + device + ")]";
    }
}
