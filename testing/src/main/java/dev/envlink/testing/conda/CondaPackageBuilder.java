package dev.envlink.testing.conda;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.Zip64Mode;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * Writes real conda packages for tests and benchmarks: {@code .conda} (a ZIP of stored entries:
 * {@code metadata.json}, {@code info-<dist>.tar.zst}, {@code pkg-<dist>.tar.zst}) and
 * {@code .tar.bz2}, with a generated {@code info/index.json} and {@code info/paths.json} (v1,
 * sorted by path like conda-build's), or the legacy {@code info/files} + {@code info/has_prefix}.
 *
 * <pre>{@code
 * Path pkg = CondaPackageBuilder.create("tool", "1.0", "h0_0")
 *         .file("bin/tool", bytes, 0755)
 *         .textFileWithPrefix("etc/tool.conf", "root=/opt/anaconda1anaconda2anaconda3\n", "/opt/anaconda1anaconda2anaconda3")
 *         .symlink("lib/libtool.so", "libtool.so.1")
 *         .emptyDir("var/cache")
 *         .writeConda(dir);
 * }</pre>
 *
 * <p>Paths are written as given (use {@code a/b}, no leading slash). Everything added under
 * {@code info/} goes to the info component and replaces the generated file of the same name.
 * {@link #raw(RawEntry)} adds verbatim (possibly malicious) tar entries; the {@code truncate*},
 * {@code corrupt*} and {@code omit*} options write broken archives.
 */
public final class CondaPackageBuilder {
    /** The mtime of entries unless set otherwise: 2024-01-02T03:04:05Z. */
    public static final Instant DEFAULT_MTIME = Instant.parse("2024-01-02T03:04:05Z");
    /** conda's default prefix placeholder. */
    public static final String DEFAULT_PLACEHOLDER = "/opt/anaconda1anaconda2anaconda3";

    private enum Kind { FILE, SYMLINK, HARDLINK, DIRECTORY, RAW }

    private static final class Item {
        Kind kind;
        String path;
        Content content;
        int mode;
        long mtime;
        String target;
        String placeholder;
        String fileMode;
        boolean noLink;
        RawEntry raw;
        boolean info;
    }

    private final String name;
    private final String version;
    private final String build;
    private final List<Item> items = new ArrayList<>();
    private final Map<String, String> indexExtra = new LinkedHashMap<>();
    private final List<String> depends = new ArrayList<>();
    private final Set<String> noLink = new TreeSet<>();
    private String subdir = "linux-64";
    private boolean noarchPython;
    private String linkJson;
    private boolean legacyMetadata;
    private boolean writePathsJson = true;
    private Instant defaultMtime = DEFAULT_MTIME;
    private int zstdLevel = 3;
    private int zstdWorkers;
    private int bzip2BlockSize = 9;
    private String zipPrefix = "";
    private boolean zip64;
    private boolean omitInfo;
    private boolean omitPkg;
    private boolean omitMetadataJson;
    private long truncateTar;
    private long truncateCompressed;
    private long corruptCompressedAt = -1;
    private byte[] replacePkgComponent;

    private CondaPackageBuilder(String name, String version, String build) {
        this.name = name;
        this.version = version;
        this.build = build;
    }

    /** A builder for {@code <name>-<version>-<build>}, subdir linux-64. */
    public static CondaPackageBuilder create(String name, String version, String build) {
        return new CondaPackageBuilder(name, version, build);
    }

    /** {@code <name>-<version>-<build>}: the archive's file name without its suffix. */
    public String distName() {
        return name + "-" + version + "-" + build;
    }

    // ---- content --------------------------------------------------------------------------------

    /** A regular file (mode e.g. 0755; bits above 0777 are written as given). */
    public CondaPackageBuilder file(String path, byte[] content, int mode) {
        return file(path, Content.bytes(content), mode, defaultMtime.getEpochSecond());
    }

    /** A regular file with an explicit mtime (whole seconds are stored). */
    public CondaPackageBuilder file(String path, byte[] content, int mode, Instant mtime) {
        return file(path, Content.bytes(content), mode, mtime.getEpochSecond());
    }

    /** A text file, mode 0644. */
    public CondaPackageBuilder file(String path, String text) {
        return file(path, text.getBytes(StandardCharsets.UTF_8), 0644);
    }

    /** A regular file of {@code size} zero bytes, streamed (never held in memory). */
    public CondaPackageBuilder zeroFile(String path, long size, int mode) {
        return file(path, Content.zeros(size), mode, defaultMtime.getEpochSecond());
    }

    /** A regular file whose content is read from {@code source} when the archive is written. */
    public CondaPackageBuilder fileFrom(String path, Path source, int mode, Instant mtime) {
        return file(path, Content.file(source), mode, mtime.getEpochSecond());
    }

    private CondaPackageBuilder file(String path, Content content, int mode, long mtime) {
        Item i = item(Kind.FILE, path);
        i.content = content;
        i.mode = mode;
        i.mtime = mtime;
        return add(i);
    }

    /** A text file containing {@code placeholder} (paths.json: file_mode text, prefix_placeholder). */
    public CondaPackageBuilder textFileWithPrefix(String path, String text, String placeholder) {
        file(path, text.getBytes(StandardCharsets.UTF_8), 0644);
        last().placeholder = placeholder;
        last().fileMode = "text";
        return this;
    }

    /** A text file containing {@code placeholder}, with a mode (e.g. 0755 for a script). */
    public CondaPackageBuilder textFileWithPrefix(String path, String text, String placeholder, int mode) {
        file(path, text.getBytes(StandardCharsets.UTF_8), mode);
        last().placeholder = placeholder;
        last().fileMode = "text";
        return this;
    }

    /** A binary file containing {@code placeholder} (paths.json: file_mode binary). */
    public CondaPackageBuilder binaryFileWithPrefix(String path, byte[] content, int mode, String placeholder) {
        file(path, content, mode);
        last().placeholder = placeholder;
        last().fileMode = "binary";
        return this;
    }

    /** A symlink with {@code target} as its text. */
    public CondaPackageBuilder symlink(String path, String target) {
        Item i = item(Kind.SYMLINK, path);
        i.target = target;
        i.mode = 0777;
        i.mtime = defaultMtime.getEpochSecond();
        return add(i);
    }

    /** A tar hard link to an earlier regular file {@code target} (paths.json lists it as a file). */
    public CondaPackageBuilder hardlink(String path, String target) {
        Item i = item(Kind.HARDLINK, path);
        i.target = target;
        i.mode = 0644;
        i.mtime = defaultMtime.getEpochSecond();
        return add(i);
    }

    /** An empty directory, mode 0755 (paths.json: path_type directory). */
    public CondaPackageBuilder emptyDir(String path) {
        return emptyDir(path, 0755);
    }

    public CondaPackageBuilder emptyDir(String path, int mode) {
        Item i = item(Kind.DIRECTORY, path);
        i.mode = mode;
        i.mtime = defaultMtime.getEpochSecond();
        return add(i);
    }

    /** A file under {@code info/} (e.g. {@code about.json}); replaces a generated one. */
    public CondaPackageBuilder infoFile(String pathInInfo, String text) {
        return file("info/" + pathInInfo, text.getBytes(StandardCharsets.UTF_8), 0644);
    }

    /** Marks paths {@code no_link} in paths.json (or lists them in info/no_link in legacy mode). */
    public CondaPackageBuilder noLink(String... paths) {
        noLink.addAll(List.of(paths));
        return this;
    }

    /** A verbatim tar entry in the pkg component (in the single tar of a .tar.bz2). */
    public CondaPackageBuilder raw(RawEntry entry) {
        Item i = item(Kind.RAW, entry.name);
        i.raw = entry;
        i.info = false;
        items.add(i);
        return this;
    }

    /** A verbatim tar entry in the info component. */
    public CondaPackageBuilder rawInfo(RawEntry entry) {
        Item i = item(Kind.RAW, entry.name);
        i.raw = entry;
        i.info = true;
        items.add(i);
        return this;
    }

    /**
     * Adds a real directory tree: regular files (content streamed from disk when the archive is
     * written, modes and mtimes kept), symlinks (target text kept), empty directories, and files
     * sharing an inode as tar hard links to the first one. FIFOs, sockets and devices are skipped.
     * A top-level {@code info/} directory becomes the package's info.
     */
    public CondaPackageBuilder fromDirectory(Path root) throws IOException {
        Map<Object, String> firstByInode = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(root)) {
                    try (Stream<Path> children = Files.list(dir)) {
                        if (children.findAny().isEmpty()) {
                            emptyDir(rel(root, dir), mode(dir));
                            last().mtime = attrs.lastModifiedTime().toInstant().getEpochSecond();
                        }
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = rel(root, file);
                long mtime = attrs.lastModifiedTime().toInstant().getEpochSecond();
                if (attrs.isSymbolicLink()) {
                    symlink(rel, Files.readSymbolicLink(file).toString());
                    last().mtime = mtime;
                } else if (attrs.isRegularFile()) {
                    Object key = attrs.fileKey();
                    String first = key == null ? null : firstByInode.putIfAbsent(key, rel);
                    if (first != null) {
                        hardlink(rel, first);
                        last().mtime = mtime;
                    } else {
                        CondaPackageBuilder.this.file(rel, Content.file(file), mode(file), mtime);
                    }
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return this;
    }

    private static String rel(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private static int mode(Path p) throws IOException {
        try {
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int m = 0;
            for (PosixFilePermission perm : a.permissions()) {
                m |= switch (perm) {
                    case OWNER_READ -> 0400;
                    case OWNER_WRITE -> 0200;
                    case OWNER_EXECUTE -> 0100;
                    case GROUP_READ -> 040;
                    case GROUP_WRITE -> 020;
                    case GROUP_EXECUTE -> 010;
                    case OTHERS_READ -> 04;
                    case OTHERS_WRITE -> 02;
                    case OTHERS_EXECUTE -> 01;
                };
            }
            return m;
        } catch (UnsupportedOperationException e) {
            return Files.isExecutable(p) ? 0755 : 0644;
        }
    }

    // ---- metadata -------------------------------------------------------------------------------

    /** noarch: python (subdir noarch, {@code "noarch": "python"}, a default info/link.json). */
    public CondaPackageBuilder noarchPython() {
        this.noarchPython = true;
        this.subdir = "noarch";
        return this;
    }

    /** The text of info/link.json. */
    public CondaPackageBuilder linkJson(String json) {
        this.linkJson = json;
        return this;
    }

    public CondaPackageBuilder subdir(String subdir) {
        this.subdir = subdir;
        return this;
    }

    public CondaPackageBuilder depends(String... specs) {
        depends.addAll(List.of(specs));
        return this;
    }

    /** An extra index.json field with its raw JSON value, e.g. {@code ("license", "\"MIT\"")}. */
    public CondaPackageBuilder indexField(String key, String rawJson) {
        indexExtra.put(key, rawJson);
        return this;
    }

    /** Writes the legacy info/files and info/has_prefix instead of info/paths.json. */
    public CondaPackageBuilder legacyMetadata() {
        this.legacyMetadata = true;
        return this;
    }

    /** Writes neither paths.json nor files (only index.json), like some very old packages. */
    public CondaPackageBuilder noPathsMetadata() {
        this.writePathsJson = false;
        return this;
    }

    /** The mtime of entries added after this call. */
    public CondaPackageBuilder defaultMtime(Instant mtime) {
        this.defaultMtime = mtime;
        return this;
    }

    // ---- container options ----------------------------------------------------------------------

    /** zstd level of .conda components (default 3; conda-build uses 19). */
    public CondaPackageBuilder zstdLevel(int level) {
        this.zstdLevel = level;
        return this;
    }

    /** zstd worker threads for compression (0: single-threaded). */
    public CondaPackageBuilder zstdWorkers(int workers) {
        this.zstdWorkers = workers;
        return this;
    }

    /** bzip2 block size in 100 kB (1..9); small blocks give multi-block streams from little data. */
    public CondaPackageBuilder bzip2BlockSize(int blockSize100k) {
        this.bzip2BlockSize = blockSize100k;
        return this;
    }

    /** Puts the .conda's entries under a directory inside the ZIP (as some re-zipped archives have). */
    public CondaPackageBuilder zipDirectoryPrefix(String prefix) {
        this.zipPrefix = prefix.endsWith("/") || prefix.isEmpty() ? prefix : prefix + "/";
        return this;
    }

    /** Writes the .conda ZIP with ZIP64 records for every entry. */
    public CondaPackageBuilder zip64() {
        this.zip64 = true;
        return this;
    }

    public CondaPackageBuilder omitInfoComponent() {
        this.omitInfo = true;
        return this;
    }

    public CondaPackageBuilder omitPkgComponent() {
        this.omitPkg = true;
        return this;
    }

    public CondaPackageBuilder omitMetadataJson() {
        this.omitMetadataJson = true;
        return this;
    }

    /** Replaces the pkg component's bytes (e.g. with garbage). */
    public CondaPackageBuilder replacePkgComponent(byte[] bytes) {
        this.replacePkgComponent = bytes.clone();
        return this;
    }

    /** Drops the last {@code bytes} of the (pkg) tar before compression: a truncated tar in a valid stream. */
    public CondaPackageBuilder truncateTar(long bytes) {
        this.truncateTar = bytes;
        return this;
    }

    /** Drops the last {@code bytes} of the compressed pkg component (.conda) or file (.tar.bz2). */
    public CondaPackageBuilder truncateCompressed(long bytes) {
        this.truncateCompressed = bytes;
        return this;
    }

    /** Flips the bits of the byte at {@code offset} of the compressed pkg component / .tar.bz2 file. */
    public CondaPackageBuilder corruptCompressedAt(long offset) {
        this.corruptCompressedAt = offset;
        return this;
    }

    // ---- writing --------------------------------------------------------------------------------

    /** Writes {@code <dir>/<dist>.conda} and returns it. */
    public Path writeConda(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve(distName() + ".conda");
        Path info = Files.createTempFile(dir, ".info-", ".tar.zst");
        Path pkg = Files.createTempFile(dir, ".pkg-", ".tar.zst");
        try {
            List<Item> all = withMetadata();
            writeZstdTar(all, true, info, false);
            if (replacePkgComponent != null) {
                Files.write(pkg, replacePkgComponent);
            } else {
                writeZstdTar(all, false, pkg, true);
            }
            try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(out)) {
                zip.setMethod(ZipArchiveOutputStream.STORED);
                zip.setUseZip64(zip64 ? Zip64Mode.Always : Zip64Mode.AsNeeded);
                if (!omitMetadataJson) {
                    putZip(zip, zipPrefix + "metadata.json", "{\"conda_pkg_format_version\": 2}"
                            .getBytes(StandardCharsets.UTF_8));
                }
                if (!omitPkg) {
                    putZip(zip, zipPrefix + "pkg-" + distName() + ".tar.zst", pkg);
                }
                if (!omitInfo) {
                    putZip(zip, zipPrefix + "info-" + distName() + ".tar.zst", info);
                }
            }
        } finally {
            Files.deleteIfExists(info);
            Files.deleteIfExists(pkg);
        }
        return out;
    }

    /** Writes {@code <dir>/<dist>.tar.bz2} (info first, then the payload) and returns it. */
    public Path writeTarBz2(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path out = dir.resolve(distName() + ".tar.bz2");
        List<Item> all = withMetadata();
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
                OutputStream damaged = damage(file);
                BZip2CompressorOutputStream bz = new BZip2CompressorOutputStream(damaged, bzip2BlockSize);
                OutputStream tarOut = truncating(bz, truncateTar)) {
            TarWriter tar = new TarWriter(tarOut);
            for (Item i : all) {
                if (i.info) {
                    writeItem(tar, i);
                }
            }
            for (Item i : all) {
                if (!i.info) {
                    writeItem(tar, i);
                }
            }
            tar.finish();
        }
        return out;
    }

    private void writeZstdTar(List<Item> all, boolean info, Path target, boolean damageable) throws IOException {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(target), 1 << 16);
                OutputStream damaged = damageable ? damage(file) : file;
                ZstdOutputStream zstd = new ZstdOutputStream(damaged, zstdLevel);
                OutputStream tarOut = damageable ? truncating(zstd, truncateTar) : zstd) {
            if (zstdWorkers > 0) {
                zstd.setWorkers(zstdWorkers);
            }
            zstd.setChecksum(true);
            TarWriter tar = new TarWriter(new BufferedOutputStream(tarOut, 1 << 16) {
                @Override
                public void close() {
                    // closed by the outer try
                }
            });
            for (Item i : all) {
                if (i.info == info) {
                    writeItem(tar, i);
                }
            }
            tar.finish();
        }
    }

    private OutputStream damage(OutputStream out) {
        OutputStream o = truncating(out, truncateCompressed);
        if (corruptCompressedAt < 0) {
            return o;
        }
        long at = corruptCompressedAt;
        return new FilterOutputStream(o) {
            long position;

            @Override
            public void write(int b) throws IOException {
                out.write(position++ == at ? ~b : b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (at >= position && at < position + len) {
                    byte[] copy = java.util.Arrays.copyOfRange(b, off, off + len);
                    copy[(int) (at - position)] ^= (byte) 0xFF;
                    out.write(copy);
                } else {
                    out.write(b, off, len);
                }
                position += len;
            }
        };
    }

    /** Holds back the last {@code drop} bytes and never writes them. */
    private static OutputStream truncating(OutputStream out, long drop) {
        if (drop <= 0) {
            return out;
        }
        if (drop > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("truncation too large: " + drop);
        }
        return new OutputStream() {
            final byte[] ring = new byte[(int) drop];
            long count;

            @Override
            public void write(int b) throws IOException {
                int slot = (int) (count % ring.length);
                if (count >= ring.length) {
                    out.write(ring[slot]);
                }
                ring[slot] = (byte) b;
                count++;
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int k = 0; k < len; k++) {
                    write(b[off + k]);
                }
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }

    private void writeItem(TarWriter tar, Item i) throws IOException {
        if (i.kind == Kind.RAW) {
            i.raw.writeTo(tar);
            return;
        }
        TarWriter.Header h = new TarWriter.Header();
        h.name = i.kind == Kind.DIRECTORY ? i.path + "/" : i.path;
        h.mode = i.mode;
        h.mtime = i.mtime;
        switch (i.kind) {
            case FILE -> {
                h.type = '0';
                h.size = i.content.length();
                try (InputStream in = i.content.open()) {
                    tar.write(h, in, h.size);
                }
                return;
            }
            case SYMLINK -> {
                h.type = '2';
                h.linkName = i.target;
            }
            case HARDLINK -> {
                h.type = '1';
                h.linkName = i.target;
            }
            case DIRECTORY -> h.type = '5';
            default -> throw new IllegalStateException(i.kind.toString());
        }
        tar.write(h, new ByteArrayInputStream(new byte[0]), 0);
    }

    private static void putZip(ZipArchiveOutputStream zip, String entryName, byte[] data) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(entryName);
        e.setMethod(ZipArchiveEntry.STORED);
        e.setSize(data.length);
        zip.putArchiveEntry(e);
        zip.write(data);
        zip.closeArchiveEntry();
    }

    private static void putZip(ZipArchiveOutputStream zip, String entryName, Path file) throws IOException {
        ZipArchiveEntry e = new ZipArchiveEntry(entryName);
        e.setMethod(ZipArchiveEntry.STORED);
        e.setSize(Files.size(file));
        zip.putArchiveEntry(e);
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(zip);
        }
        zip.closeArchiveEntry();
    }

    // ---- metadata generation --------------------------------------------------------------------

    /** All items plus the generated info files that were not given explicitly. */
    private List<Item> withMetadata() throws IOException {
        Set<String> given = new TreeSet<>();
        for (Item i : items) {
            if (i.info && i.kind != Kind.RAW) {
                given.add(i.path);
            }
        }
        List<Item> generated = new ArrayList<>();
        addGenerated(generated, given, "info/index.json", indexJson());
        if (noarchPython || linkJson != null) {
            addGenerated(generated, given, "info/link.json", linkJson != null ? linkJson
                    : "{\n  \"noarch\": {\n    \"type\": \"python\"\n  },\n  \"package_metadata_version\": 1\n}\n");
        }
        if (writePathsJson) {
            if (legacyMetadata) {
                addGenerated(generated, given, "info/files", filesList());
                String hasPrefix = hasPrefix();
                if (!hasPrefix.isEmpty()) {
                    addGenerated(generated, given, "info/has_prefix", hasPrefix);
                }
                if (!noLink.isEmpty()) {
                    addGenerated(generated, given, "info/no_link", String.join("\n", noLink) + "\n");
                }
            } else {
                addGenerated(generated, given, "info/paths.json", pathsJson());
            }
        }
        List<Item> all = new ArrayList<>(generated);
        all.addAll(items);
        return all;
    }

    private void addGenerated(List<Item> out, Set<String> given, String path, String text) {
        if (given.contains(path)) {
            return;
        }
        Item i = item(Kind.FILE, path);
        i.content = Content.bytes(text.getBytes(StandardCharsets.UTF_8));
        i.mode = 0644;
        i.mtime = DEFAULT_MTIME.getEpochSecond();
        out.add(i);
    }

    private String indexJson() {
        Map<String, String> f = new LinkedHashMap<>();
        boolean noarch = "noarch".equals(subdir);
        f.put("arch", noarch ? "null" : Json.string(subdir.endsWith("-64") && subdir.startsWith("linux")
                ? "x86_64" : subdir.substring(subdir.indexOf('-') + 1)));
        f.put("build", Json.string(build));
        f.put("build_number", Long.toString(buildNumber(build)));
        f.put("depends", Json.stringArray(depends));
        f.put("name", Json.string(name));
        if (noarchPython) {
            f.put("noarch", Json.string("python"));
        }
        f.put("platform", noarch ? "null" : Json.string(subdir.substring(0, Math.max(0, subdir.indexOf('-')))));
        f.put("subdir", Json.string(subdir));
        f.put("timestamp", Long.toString(DEFAULT_MTIME.toEpochMilli()));
        f.put("version", Json.string(version));
        f.putAll(indexExtra);
        return Json.object(f);
    }

    private static long buildNumber(String build) {
        int us = build.lastIndexOf('_');
        String tail = us >= 0 ? build.substring(us + 1) : build;
        try {
            return Long.parseLong(tail);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private List<Item> payload() {
        List<Item> out = new ArrayList<>();
        for (Item i : items) {
            if (!i.info && i.kind != Kind.RAW) {
                out.add(i);
            }
        }
        return out;
    }

    private String pathsJson() throws IOException {
        Map<String, Item> files = new HashMap<>();
        for (Item i : payload()) {
            if (i.kind == Kind.FILE) {
                files.put(i.path, i);
            }
        }
        List<String> entries = new ArrayList<>();
        // Sorted by path (code points), as conda-build writes it; the archive keeps the given order.
        List<Item> sorted = payload();
        sorted.sort((a, b) -> compareCodePoints(a.path, b.path));
        for (Item i : sorted) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("_path", Json.string(i.path));
            switch (i.kind) {
                case FILE -> {
                    f.put("path_type", Json.string("hardlink"));
                    if (i.placeholder != null) {
                        f.put("file_mode", Json.string(i.fileMode));
                        f.put("prefix_placeholder", Json.string(i.placeholder));
                    }
                    f.put("sha256", Json.string(sha256(i.content)));
                    f.put("size_in_bytes", Long.toString(i.content.length()));
                }
                case HARDLINK -> {
                    Item target = files.get(i.target);
                    f.put("path_type", Json.string("hardlink"));
                    if (target != null) {
                        f.put("sha256", Json.string(sha256(target.content)));
                        f.put("size_in_bytes", Long.toString(target.content.length()));
                    }
                }
                case SYMLINK -> {
                    f.put("path_type", Json.string("softlink"));
                    Item target = files.get(resolveLink(i.path, i.target));
                    if (target != null) {
                        f.put("sha256", Json.string(sha256(target.content)));
                        f.put("size_in_bytes", Long.toString(target.content.length()));
                    } else {
                        byte[] text = i.target.getBytes(StandardCharsets.UTF_8);
                        f.put("sha256", Json.string(sha256(Content.bytes(text))));
                        f.put("size_in_bytes", Integer.toString(text.length));
                    }
                }
                case DIRECTORY -> f.put("path_type", Json.string("directory"));
                default -> throw new IllegalStateException();
            }
            if (noLink.contains(i.path)) {
                f.put("no_link", "true");
            }
            entries.add(Json.object(f));
        }
        return "{\n  \"paths\": [" + (entries.isEmpty() ? "" : "\n    " + String.join(",\n    ", entries) + "\n  ")
                + "],\n  \"paths_version\": 1\n}\n";
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The package path a relative symlink at {@code path} points to (null if it leaves the package). */
    private static String resolveLink(String path, String target) {
        if (target.startsWith("/")) {
            return null;
        }
        List<String> parts = new ArrayList<>(List.of(path.split("/")));
        parts.remove(parts.size() - 1);
        for (String c : target.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(c);
            }
        }
        return String.join("/", parts);
    }

    private String filesList() {
        StringBuilder b = new StringBuilder();
        for (Item i : payload()) {
            if (i.kind != Kind.DIRECTORY) {
                b.append(i.path).append('\n');
            }
        }
        return b.toString();
    }

    private String hasPrefix() {
        StringBuilder b = new StringBuilder();
        for (Item i : payload()) {
            if (i.placeholder != null) {
                b.append(i.placeholder).append(' ').append(i.fileMode).append(' ').append(i.path).append('\n');
            }
        }
        return b.toString();
    }

    private static String sha256(Content content) throws IOException {
        try (InputStream in = content.open()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    private Item item(Kind kind, String path) {
        Item i = new Item();
        i.kind = kind;
        i.path = path;
        i.info = path.startsWith("info/");
        return i;
    }

    private CondaPackageBuilder add(Item i) {
        items.add(i);
        return this;
    }

    private Item last() {
        if (items.isEmpty()) {
            throw new IllegalStateException("no entry yet");
        }
        return items.get(items.size() - 1);
    }

    /** Minimal JSON writing (no dependency). */
    static final class Json {
        private Json() {
        }

        static String string(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            return b.append('"').toString();
        }

        static String stringArray(List<String> values) {
            List<String> quoted = new ArrayList<>();
            for (String v : values) {
                quoted.add(string(v));
            }
            return "[" + String.join(", ", quoted) + "]";
        }

        static String object(Map<String, String> fields) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, String> e : fields.entrySet()) {
                parts.add(string(e.getKey()) + ": " + e.getValue());
            }
            return "{" + String.join(", ", parts) + "}";
        }
    }
}
