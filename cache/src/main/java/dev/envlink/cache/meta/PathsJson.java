package dev.envlink.cache.meta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * The files of a package: {@code info/paths.json}, or, for packages built before it existed,
 * reconstructed from {@code info/files}, {@code info/has_prefix}, {@code info/no_link} and
 * {@code info/no_softlink}.
 *
 * @param version {@code paths_version} (1 for every known package; reconstructed lists use 1)
 * @param paths   entries in file order; every path is validated and normalised
 *                (see {@link PackagePaths#normalize})
 */
public record PathsJson(int version, List<PathEntry> paths) {

    public static final String FILE = "paths.json";

    /**
     * conda's default prefix placeholder, used for {@code has_prefix} lines that give only a path.
     * Built at run time so the literal never appears in this class file (a compile-time constant
     * would): conda-build rewrites files that contain it when it packages them.
     */
    public static final String DEFAULT_PLACEHOLDER = String.join("", "/opt/", "anaconda1", "anaconda2", "anaconda3");

    public PathsJson {
        paths = List.copyOf(paths);
    }

    public static PathsJson empty() {
        return new PathsJson(1, List.of());
    }

    /** Reads {@code infoDir/paths.json}; a missing file is an error. */
    public static PathsJson read(Path infoDir) throws PackageFormatException {
        Optional<PathsJson> indexed = PathsIndex.read(infoDir); // made with the entry by this cache
        if (indexed.isPresent()) {
            return indexed.get();
        }
        MetaFile f = MetaFile.in(infoDir, FILE);
        Optional<PathsJson> fast = PathsJsonStream.parse(f.bytes());
        if (fast.isPresent()) {
            return fast.get();
        }
        return readTree(infoDir);
    }

    /** The reference reader (a JSON tree, precise errors); {@link #read} uses it when the fast path gives up. */
    static PathsJson readTree(Path infoDir) throws PackageFormatException {
        MetaFile f = MetaFile.in(infoDir, FILE);
        ObjectNode o = f.readObject();
        Long v = f.optionalLong(o, "paths_version", "");
        JsonNode arr = o.get("paths");
        if (arr == null || arr.isNull()) {
            throw f.error("missing required field \"paths\"");
        }
        if (!arr.isArray()) {
            throw f.error(MetaFile.wrongType("paths", "a list", arr, ""));
        }
        List<PathEntry> out = new ArrayList<>(arr.size());
        for (int i = 0; i < arr.size(); i++) {
            out.add(entry(f, arr.get(i), i));
        }
        return new PathsJson(v == null ? 1 : (int) Math.min(Integer.MAX_VALUE, v), out);
    }

    private static PathEntry entry(MetaFile f, JsonNode e, int i) throws PackageFormatException {
        if (!e.isObject()) {
            throw f.error("paths[" + i + "] must be an object, got " + MetaFile.describe(e));
        }
        String at = " of paths[" + i + "]";
        String raw = f.requiredString(e, "_path", at);
        String path = checkedPath(f, raw, "paths[" + i + "]");
        at = " of paths[" + i + "] (" + MetaFile.quote(raw) + ")";
        String typeText = f.requiredString(e, "path_type", at);
        PathType type = PathType.fromJson(typeText).orElseThrow(() -> f.error(
                "field \"path_type\"" + " of paths[" + i + "] (" + MetaFile.quote(raw) + ")"
                        + " must be \"hardlink\", \"softlink\" or \"directory\", got " + MetaFile.quote(typeText)));
        String sha256 = f.optionalString(e, "sha256", at);
        Long size = f.optionalLong(e, "size_in_bytes", at);
        if (size != null && size < 0) {
            throw f.error("field \"size_in_bytes\"" + at + " is negative: " + size);
        }
        String placeholder = f.optionalString(e, "prefix_placeholder", at);
        String modeText = f.optionalString(e, "file_mode", at);
        FileMode mode = null;
        if (modeText != null) {
            mode = FileMode.fromJson(modeText).orElseThrow(() -> f.error("field \"file_mode\" of paths[" + i
                    + "] (" + MetaFile.quote(raw) + ") must be \"text\" or \"binary\", got " + MetaFile.quote(modeText)));
        } else if (placeholder != null) {
            mode = FileMode.TEXT; // what has_prefix implies for a bare path
        }
        boolean noLink = f.optionalBoolean(e, "no_link", false, at);
        return new PathEntry(path, type, sha256, size, placeholder, mode, noLink);
    }

    static String checkedPath(MetaFile f, String raw, String where) throws PackageFormatException {
        try {
            return PackagePaths.normalize(raw);
        } catch (IllegalArgumentException ex) {
            throw f.error("unsafe path " + MetaFile.quote(raw) + " in " + where + ": " + ex.getMessage());
        }
    }

    /**
     * Reconstructs the list from the legacy files of {@code infoDir}, looking at the extracted files
     * in the package directory above it for their type.
     */
    public static PathsJson fromLegacy(Path infoDir) throws PackageFormatException {
        Path parent = infoDir.toAbsolutePath().getParent();
        return fromLegacy(infoDir, parent);
    }

    /**
     * Reconstructs the list from the legacy metadata in {@code infoDir}, as conda does:
     * <ul>
     * <li>{@code info/files} (required): one path a line, in order;</li>
     * <li>{@code info/has_prefix}: {@code path} alone (text mode, placeholder
     * {@link #DEFAULT_PLACEHOLDER}) or {@code placeholder mode path}, fields separated by
     * whitespace, each optionally in single or double quotes (which may contain spaces);</li>
     * <li>{@code info/no_link} and {@code info/no_softlink}: paths that must be copied.</li>
     * </ul>
     * Blank lines and lines starting with {@code #} are skipped. With a package directory, a path
     * that is a symbolic link there is a {@link PathType#SOFTLINK}, a directory a
     * {@link PathType#DIRECTORY}, anything else (or missing) a {@link PathType#HARDLINK}; with
     * {@code pkgDir == null} every path is a hardlink. Sizes and hashes are unknown (null).
     */
    public static PathsJson fromLegacy(Path infoDir, Path pkgDir) throws PackageFormatException {
        MetaFile files = MetaFile.in(infoDir, "files");
        if (!files.exists()) {
            throw files.error("missing (the package has no info/paths.json either)");
        }
        Map<String, Prefix> prefixes = readHasPrefix(MetaFile.in(infoDir, "has_prefix"));
        Set<String> noLink = new HashSet<>();
        for (String name : List.of("no_link", "no_softlink")) {
            MetaFile f = MetaFile.in(infoDir, name);
            for (MetaFile.NumberedLine l : f.numberedLines()) {
                noLink.add(checkedPath(f, l.text(), "line " + l.number()));
            }
        }
        List<PathEntry> out = new ArrayList<>();
        for (MetaFile.NumberedLine l : files.numberedLines()) {
            String path = checkedPath(files, l.text(), "line " + l.number());
            Prefix p = prefixes.get(path);
            out.add(new PathEntry(path, typeOnDisk(pkgDir, path), null, null, p == null ? null : p.placeholder,
                    p == null ? null : p.mode, noLink.contains(path)));
        }
        return new PathsJson(1, out);
    }

    private static PathType typeOnDisk(Path pkgDir, String path) {
        if (pkgDir == null) {
            return PathType.HARDLINK;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(pkgDir.resolve(path), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                return PathType.SOFTLINK;
            }
            if (a.isDirectory()) {
                return PathType.DIRECTORY;
            }
        } catch (IOException e) {
            // missing: conda treats it as a regular file too; validation of the entry reports it
        }
        return PathType.HARDLINK;
    }

    private record Prefix(String placeholder, FileMode mode) {
    }

    private static Map<String, Prefix> readHasPrefix(MetaFile f) throws PackageFormatException {
        Map<String, Prefix> out = new HashMap<>();
        for (MetaFile.NumberedLine l : f.numberedLines()) {
            List<String> parts;
            try {
                parts = splitHasPrefixLine(l.text());
            } catch (IllegalArgumentException e) {
                throw f.error("line " + l.number() + ": " + e.getMessage() + ": " + MetaFile.quote(l.text()));
            }
            String where = "line " + l.number();
            if (parts.size() == 1) {
                out.put(checkedPath(f, parts.get(0), where), new Prefix(DEFAULT_PLACEHOLDER, FileMode.TEXT));
            } else if (parts.size() == 3) {
                FileMode mode = FileMode.fromJson(parts.get(1)).orElseThrow(() -> f.error(where
                        + ": file mode must be \"text\" or \"binary\", got " + MetaFile.quote(parts.get(1))));
                if (parts.get(0).isEmpty()) {
                    throw f.error(where + ": empty placeholder");
                }
                out.put(checkedPath(f, parts.get(2), where), new Prefix(parts.get(0), mode));
            } else {
                throw f.error(where + ": expected \"path\" or \"placeholder mode path\", got " + parts.size()
                        + " fields: " + MetaFile.quote(l.text()));
            }
        }
        return out;
    }

    /**
     * Splits a has_prefix line the way conda does ({@code shlex.split(line, posix=False)}, then
     * quote characters stripped from both ends of each field): whitespace separates fields; a field
     * that starts with a quote runs to the matching quote and may contain whitespace; there are no
     * escape characters (so Windows paths keep their backslashes).
     */
    static List<String> splitHasPrefixLine(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (true) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            char c = line.charAt(i);
            String token;
            if (c == '"' || c == '\'') {
                int close = line.indexOf(c, i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("no closing quotation");
                }
                token = line.substring(i, close + 1);
                i = close + 1;
            } else {
                int j = i;
                while (j < n && !isSpace(line.charAt(j))) {
                    j++;
                }
                token = line.substring(i, j);
                i = j;
            }
            out.add(stripQuotes(token));
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static String stripQuotes(String s) {
        int a = 0;
        int b = s.length();
        while (a < b && (s.charAt(a) == '"' || s.charAt(a) == '\'')) {
            a++;
        }
        while (b > a && (s.charAt(b - 1) == '"' || s.charAt(b - 1) == '\'')) {
            b--;
        }
        return s.substring(a, b);
    }

    /**
     * The paths of an extracted package: {@code info/paths.json} if present, else the legacy files
     * if {@code info/files} exists (see {@link #fromLegacy(Path, Path)}), else an empty list (a
     * package with only {@code info/index.json}).
     */
    public static PathsJson load(Path pkgDir) throws PackageFormatException {
        Path info = pkgDir.resolve("info");
        if (Files.exists(info.resolve(FILE), LinkOption.NOFOLLOW_LINKS)) {
            return read(info);
        }
        if (Files.exists(info.resolve("files"), LinkOption.NOFOLLOW_LINKS)) {
            return fromLegacy(info, pkgDir);
        }
        return empty();
    }

    /**
     * Keeps a binary copy of the list parsed from {@code infoDir/paths.json} beside it, which
     * {@link #read} decodes instead of the JSON while paths.json is unchanged. For entries the
     * cache makes itself (never in read-only layers); nothing is written for legacy file lists.
     */
    public static void writeIndex(Path infoDir, PathsJson paths) throws IOException {
        if (Files.exists(infoDir.resolve(FILE), LinkOption.NOFOLLOW_LINKS)) {
            PathsIndex.write(infoDir, paths);
        }
    }

    /** The entry for a path, if listed. */
    public java.util.Optional<PathEntry> find(String path) {
        return paths.stream().filter(p -> p.path().equals(path)).findFirst();
    }
}
