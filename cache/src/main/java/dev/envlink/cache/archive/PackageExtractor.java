package dev.envlink.cache.archive;

import com.github.luben.zstd.ZstdInputStream;
import dev.envlink.cache.PackageFormatException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Extracts a conda package ({@code .conda} or {@code .tar.bz2}) into a directory, streaming
 * (nothing is unpacked to a temporary file), safely (nothing is ever written outside the
 * destination, see {@link Extraction}), within {@link ExtractLimits}.
 *
 * <p>What is reproduced: regular files with their content (long zero runs become holes), their
 * permission bits ({@code mode & 0777}: setuid, setgid and sticky are dropped) and mtimes;
 * directories (empty ones too) with their modes and mtimes, applied after their contents;
 * symlinks with their target text as it is (pointing anywhere: only writing through them is
 * refused); hard links to earlier regular files of the same tar. Owners are not set.
 *
 * <p>Speed: the two tar components of a {@code .conda} are extracted in parallel (the info
 * component on a pool thread); bzip2 blocks are decoded in parallel by an own block decoder
 * ({@link ParallelBZip2InputStream}, {@link BZip2BlockDecoder}); files up to 4 MiB are read into
 * memory and created by writer threads while the tar is read on (write-behind, at most 64 MiB
 * held); reads use 256 KiB buffers; a file costs {@code open(O_EXCL)}, its writes, {@code close}
 * and setting its times, plus {@code chmod} only when the umask took bits that the entry has.
 * Thread counts: {@code envlink.extractThreads} (bzip2 decoding, default the processors) and
 * {@code envlink.writeThreads} (default the processors, 2 to 8).
 *
 * <p>Instances are immutable and thread-safe; extractions into different destinations may run
 * concurrently.
 */
public final class PackageExtractor {
    private static final int ZIP_READ_BUFFER = 256 * 1024;
    private static final int TAR_READ_BUFFER = 256 * 1024;

    private final ExtractLimits limits;

    public PackageExtractor(ExtractLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public ExtractLimits limits() {
        return limits;
    }

    /**
     * Extracts the whole package (for {@code .conda} both {@code info-*.tar.zst} and
     * {@code pkg-*.tar.zst}) into {@code destination}, an existing empty directory (the caller's
     * private staging directory). On failure, files may be left in {@code destination} (the
     * caller deletes it) but never outside it.
     *
     * @throws UnsafeArchiveException an entry would escape the destination or is a device/FIFO
     * @throws PackageFormatException the archive is corrupt, truncated, not a package, or exceeds the limits
     * @throws IOException writing failed (disk full, permissions)
     */
    public ExtractResult extract(Path archive, Path destination) throws IOException {
        Objects.requireNonNull(archive, "archive");
        Objects.requireNonNull(destination, "destination");
        PackageFormat format = PackageFormat.of(archive).orElseThrow(() -> new PackageFormatException(archive, null,
                "not a conda package file name (expected .conda or .tar.bz2)"));
        BasicFileAttributes dest = Files.readAttributes(destination, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!dest.isDirectory()) {
            throw new NotDirectoryException(destination.toString());
        }
        if (!Files.isRegularFile(archive)) {
            throw new java.nio.file.NoSuchFileException(archive.toString(), null, "no such package file");
        }
        Extraction extraction = new Extraction(archive, destination, limits);
        switch (format) {
            case TAR_BZ2 -> extractTarBz2(archive, extraction);
            case CONDA -> extractConda(archive, extraction);
            default -> throw new IllegalStateException(format.toString());
        }
        extraction.finishDirectories();
        return extraction.result();
    }

    private static void extractTarBz2(Path archive, Extraction extraction) throws IOException {
        try (InputStream file = Files.newInputStream(archive);
                InputStream bz2 = new ParallelBZip2InputStream(file, Workers.pool(), Workers.parallelism())) {
            extraction.extractTar(bz2, null, "bzip2");
        }
    }

    private void extractConda(Path archive, Extraction extraction) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(archive.toFile());
        } catch (ZipException e) {
            throw new PackageFormatException(archive, null, "not a valid .conda file (ZIP): " + e.getMessage(), e);
        }
        try (zip) {
            String dist = PackageFormat.distName(archive);
            ZipEntry info = component(archive, zip, "info-", dist);
            ZipEntry pkg = component(archive, zip, "pkg-", dist);
            if (info == null) {
                throw new PackageFormatException(archive, null, "no info-" + dist + ".tar.zst component in the ZIP");
            }
            extraction.checkDeclared(info.getName(), info.getSize());
            if (pkg == null) {
                // Real packages with metadata only exist (conformance: info-only): no payload.
                extractComponent(archive, zip, info, extraction);
                return;
            }
            extraction.checkDeclared(pkg.getName(), pkg.getSize());
            Future<?> infoTask = Workers.pool().submit(() -> {
                try {
                    extractComponent(archive, zip, info, extraction);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            });
            Throwable pkgFailure = null;
            Throwable infoFailure = null;
            try {
                extractComponent(archive, zip, pkg, extraction);
            } catch (IOException | RuntimeException | Error e) {
                pkgFailure = e;
                extraction.abort();
            }
            try {
                awaitComponent(infoTask);
            } catch (IOException | RuntimeException | Error e) {
                infoFailure = e;
            }
            // the component that failed first is the cause; the other one only stopped (Aborted)
            Throwable primary = pkgFailure == null || pkgFailure instanceof Extraction.Aborted && infoFailure != null
                    ? infoFailure : pkgFailure;
            if (primary != null) {
                Throwable other = primary == pkgFailure ? infoFailure : pkgFailure;
                if (other != null && !(other instanceof Extraction.Aborted)) {
                    primary.addSuppressed(other);
                }
                throw rethrow(primary);
            }
        } catch (ZipException e) {
            throw new PackageFormatException(archive, null, "corrupt .conda (ZIP): " + e.getMessage(), e);
        }
    }

    private static void awaitComponent(Future<?> task) throws IOException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the task stops at its next entry once aborted; wait for it
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    throw rethrow(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static IOException rethrow(Throwable t) throws IOException {
        if (t instanceof Extraction.Aborted a) {
            throw new InterruptedIOException(a.getMessage());
        }
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error err) {
            throw err;
        }
        throw new IOException(t);
    }

    private void extractComponent(Path archive, ZipFile zip, ZipEntry entry, Extraction extraction)
            throws IOException {
        String name = baseName(entry.getName());
        try (InputStream raw = zip.getInputStream(entry);
                InputStream zstd = openZstd(archive, name, new BufferedInputStream(raw, ZIP_READ_BUFFER));
                InputStream buffered = new BufferedInputStream(zstd, TAR_READ_BUFFER)) {
            extraction.extractTar(buffered, name, "zstd");
        }
    }

    private static InputStream openZstd(Path archive, String component, InputStream in) throws IOException {
        try {
            ZstdInputStream zstd = new ZstdInputStream(in);
            zstd.setContinuous(false);
            return zstd;
        } catch (IOException | RuntimeException e) {
            throw new PackageFormatException(archive, component, "corrupt zstd data: " + e.getMessage(), e);
        }
    }

    /**
     * The component {@code <prefix><dist>.tar.zst}, found by file name (real archives may have a
     * directory prefix inside the ZIP). If the archive was renamed, the only
     * {@code <prefix>*.tar.zst} is taken; several are ambiguous.
     */
    private static ZipEntry component(Path archive, ZipFile zip, String prefix, String dist)
            throws PackageFormatException {
        List<ZipEntry> candidates = new ArrayList<>();
        Enumeration<? extends ZipEntry> all = zip.entries();
        while (all.hasMoreElements()) {
            ZipEntry e = all.nextElement();
            if (e.isDirectory()) {
                continue;
            }
            String base = baseName(e.getName());
            if (base.equals(prefix + dist + ".tar.zst")) {
                return e;
            }
            if (base.startsWith(prefix) && base.endsWith(".tar.zst")) {
                candidates.add(e);
            }
        }
        if (candidates.size() > 1) {
            throw new PackageFormatException(archive, null, "several " + prefix + "*.tar.zst components and none named "
                    + prefix + dist + ".tar.zst");
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }

    private static String baseName(String zipName) {
        return zipName.substring(zipName.lastIndexOf('/') + 1);
    }
}
