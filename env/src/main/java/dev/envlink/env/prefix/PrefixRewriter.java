package dev.envlink.env.prefix;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Writes a package file that has a {@code prefix_placeholder} into an environment as a new file,
 * with the placeholder replaced by the environment's prefix. The source (in the package cache) is
 * only read. Files are streamed through bounded buffers, whatever their size.
 *
 * <p>Semantics follow conda ({@code conda/core/portability.py}: {@code update_prefix},
 * {@code replace_prefix}, {@code binary_replace}, {@code replace_long_shebang}); rattler's
 * {@code link_file} does the same. Per target OS:
 *
 * <ul>
 *   <li><b>TEXT</b>: every occurrence of the placeholder (UTF-8 bytes) becomes the new prefix.
 *       On Linux and macOS the first line, if it starts with {@code #!}, is then fixed as
 *       {@link Shebang} describes (a line longer than 127 bytes on Linux or 512 on macOS, or an
 *       interpreter path with spaces, becomes {@code #!/usr/bin/env <name> <options>}). On Windows
 *       the new prefix's backslashes are turned into forward slashes first (so that text such as
 *       {@code "C:\\old"} in source code stays a valid string), only the placeholder exactly as
 *       given is replaced (neither conda, rattler nor mamba also replaces a forward-slash variant
 *       of the placeholder: conda-build records that variant as the file's placeholder when it
 *       is the one the file contains), and shebangs are left alone.</li>
 *   <li><b>BINARY</b> on Linux and macOS: replacement inside NUL-terminated C strings, padded with
 *       NULs so that the file keeps its length (see {@link CStringReplacer}); a new prefix longer
 *       than the placeholder fails with {@link PrefixTooLongException} when a C string with the
 *       placeholder is met. On Windows only distlib/pyzzer entry-point executables get their
 *       shebang replaced (see {@link PyzzerEntryPoint}); other files are written unchanged.</li>
 * </ul>
 *
 * <p>Deliberate differences from conda: it also tries the placeholder encoded as UTF-16/32
 * (conda PR #9946), this class (like rattler and mamba) only UTF-8; conda's shebang step
 * replaces the (rewritten) first line's text wherever it recurs in the file and escapes
 * {@code #!<placeholder>} even in a first line that does not start with {@code #!}, this class
 * only touches the first line of files that start with {@code #!}; conda adds the owner's write
 * bit to the result, this class copies the permission bits exactly.
 *
 * <p>Instances are immutable and can be shared between threads.
 */
public final class PrefixRewriter {
    static final int DEFAULT_BUFFER_SIZE = 1 << 17;
    /** A {@code #!} line longer than this is not treated as a shebang (it is streamed as text). */
    static final int MAX_FIRST_LINE = 1 << 20;

    private enum Os { LINUX, MACOS, WINDOWS }

    private final Os os;
    private final int bufferSize;

    /**
     * @param targetOs {@code "linux"}, {@code "macos"} or {@code "windows"} (case-insensitive): the
     *                 platform of the environment, which decides the shebang rules, the path
     *                 separators of the new prefix in text files, and whether binaries are relocated
     */
    public PrefixRewriter(String targetOs) {
        this(targetOs, DEFAULT_BUFFER_SIZE);
    }

    /** For tests: a small buffer puts occurrences across buffer boundaries. */
    PrefixRewriter(String targetOs, int bufferSize) {
        Objects.requireNonNull(targetOs, "targetOs");
        this.os = switch (targetOs.toLowerCase(Locale.ROOT)) {
            case "linux" -> Os.LINUX;
            case "macos" -> Os.MACOS;
            case "windows" -> Os.WINDOWS;
            default -> throw new IllegalArgumentException(
                    "unknown target OS '" + targetOs + "' (expected linux, macos or windows)");
        };
        if (bufferSize < 1) {
            throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
        }
        this.bufferSize = bufferSize;
    }

    /**
     * The rewriter for a conda subdir: {@code win-*} → windows, {@code osx-*} → macos, any other
     * platform subdir → linux rules; {@code noarch} (or null) → the OS this JVM runs on, as conda
     * decides for noarch packages.
     */
    public static PrefixRewriter forSubdir(String subdir) {
        String s = subdir == null ? "noarch" : subdir.toLowerCase(Locale.ROOT);
        if (s.startsWith("win-")) {
            return new PrefixRewriter("windows");
        }
        if (s.startsWith("osx-")) {
            return new PrefixRewriter("macos");
        }
        if (s.contains("-")) {
            return new PrefixRewriter("linux");
        }
        String host = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return new PrefixRewriter(host.startsWith("windows") ? "windows" : host.startsWith("mac") ? "macos" : "linux");
    }

    /** {@code "linux"}, {@code "macos"} or {@code "windows"}. */
    public String targetOs() {
        return os.name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads {@code source} (in the cache), writes {@code target} (which must not exist; it is
     * created with {@code CREATE_NEW}), replacing {@code placeholder} by {@code newPrefix}. Copies
     * the source's permission bits; never modifies {@code source}. On any failure the target is
     * deleted before the exception is thrown (unless it existed before: then nothing is touched).
     *
     * @throws PrefixTooLongException binary mode, the new prefix is longer than the placeholder and
     *                                the file has a C string to relocate
     * @throws java.nio.file.FileAlreadyExistsException the target exists
     * @throws IOException            the source is not a regular file (symlinks are not followed), or
     *                                reading or writing failed
     */
    public RewriteResult rewrite(Path source, Path target, String placeholder, String newPrefix, Mode mode)
            throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(newPrefix, "newPrefix");
        byte[] placeholderBytes = checkedBytes("placeholder", placeholder);
        String prefix = os == Os.WINDOWS && mode == Mode.TEXT ? newPrefix.replace('\\', '/') : newPrefix;
        byte[] prefixBytes = checkedBytes("newPrefix", prefix);

        BasicFileAttributes attrs = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isRegularFile()) {
            throw new IOException("cannot rewrite the prefix of " + source + ": not a regular file"
                    + (attrs.isSymbolicLink() ? " (a symbolic link)" : ""));
        }
        Set<PosixFilePermission> permissions = null;
        PosixFileAttributeView posix = Files.getFileAttributeView(source, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (posix != null) {
            PosixFileAttributes pa = posix.readAttributes();
            permissions = pa.permissions();
        }

        BytePattern pattern = new BytePattern(placeholderBytes);
        int buffer = (int) Math.min(bufferSize, Math.max(attrs.size(), 64));
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            try {
                TargetSink sink = new TargetSink(out, buffer);
                int replacements;
                boolean shebangRewritten = false;
                if (mode == Mode.TEXT) {
                    TextOutcome t = text(in, sink, pattern, prefixBytes, buffer);
                    replacements = t.replacements();
                    shebangRewritten = t.shebangRewritten();
                } else if (os == Os.WINDOWS) {
                    replacements = PyzzerEntryPoint.run(in, sink, pattern, prefixBytes, buffer);
                } else {
                    replacements = CStringReplacer.run(new SourceReader(in, 0, -1), in, sink, pattern,
                            prefixBytes, buffer,
                            () -> new PrefixTooLongException(target, placeholderBytes.length, prefixBytes.length));
                }
                String sha256 = sink.finish();
                long written = sink.position();
                out.close();
                if (permissions != null) {
                    PosixFileAttributeView targetView = Files.getFileAttributeView(target,
                            PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                    if (targetView != null) { // e.g. not on a FAT/exFAT mount
                        targetView.setPermissions(permissions);
                    }
                }
                return new RewriteResult(written, sha256, replacements, shebangRewritten);
            } catch (Throwable t) {
                try {
                    out.close();
                } catch (Throwable suppressed) {
                    t.addSuppressed(suppressed);
                }
                try {
                    Files.deleteIfExists(target);
                } catch (Throwable suppressed) {
                    t.addSuppressed(suppressed);
                }
                throw t;
            }
        }
    }

    private record TextOutcome(int replacements, boolean shebangRewritten) {
    }

    /** Text mode: the shebang line (Linux/macOS), then the stream. */
    private TextOutcome text(FileChannel in, TargetSink sink, BytePattern pattern, byte[] prefixBytes, int buffer)
            throws IOException {
        if (os == Os.WINDOWS) {
            return new TextOutcome(
                    TextReplacer.run(new SourceReader(in, 0, -1), sink, pattern, prefixBytes, buffer), false);
        }
        // Read the first line (up to MAX_FIRST_LINE) if the file starts with "#!".
        byte[] head = new byte[Math.min(Math.max(buffer, 256), MAX_FIRST_LINE)];
        int len = 0;
        int newline = -1;
        long pos = 0;
        boolean eof = false;
        while (true) {
            int n = in.read(ByteBuffer.wrap(head, len, head.length - len), pos);
            if (n < 0) {
                eof = true;
                break;
            }
            int lf = BytePattern.indexOf(head, len, len + n, (byte) '\n');
            len += n;
            pos += n;
            if (len >= 2 && (head[0] != '#' || head[1] != '!')) {
                break;
            }
            if (lf >= 0) {
                newline = lf;
                break;
            }
            if (len == head.length) {
                if (head.length >= MAX_FIRST_LINE) {
                    break;
                }
                head = Arrays.copyOf(head, Math.min(head.length * 2, MAX_FIRST_LINE));
            }
        }
        boolean isShebang = len >= 2 && head[0] == '#' && head[1] == '!';
        int lineEnd = newline >= 0 ? newline : (eof ? len : -1);
        int rest = 0;
        int shebangReplacements = 0;
        boolean rewritten = false;
        if (isShebang && lineEnd >= 0) {
            byte[] line = Arrays.copyOf(head, lineEnd);
            Shebang.Result fixed = Shebang.process(line, pattern, prefixBytes,
                    os == Os.MACOS ? Shebang.MAX_MACOS : Shebang.MAX_LINUX);
            sink.write(fixed.line());
            shebangReplacements = fixed.replacements();
            rewritten = fixed.rewritten();
            rest = lineEnd; // the LF and what follows go through the stream
        }
        SourceReader reader = new SourceReader(in, pos, -1, head, rest, len - rest);
        int replacements = TextReplacer.run(reader, sink, pattern, prefixBytes, buffer);
        return new TextOutcome(shebangReplacements + replacements, rewritten);
    }

    private static byte[] checkedBytes(String what, String s) {
        Objects.requireNonNull(s, what);
        if (s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " must not contain NUL characters");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
