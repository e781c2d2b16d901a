package dev.envlink.env.input;

import dev.envlink.env.input.YamlTree.ListNode;
import dev.envlink.env.input.YamlTree.MapNode;
import dev.envlink.env.input.YamlTree.Node;
import dev.envlink.env.input.YamlTree.Scalar;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A pixi lock file ({@code pixi.lock}, written by rattler_lock), format versions 6 and 7.
 *
 * <p>Both versions are YAML with a top-level {@code version}, {@code environments} and
 * {@code packages}. Each environment lists, per platform, references to entries of the
 * {@code packages} list: {@code - conda: <url or path>} (in v6 optionally narrowed by
 * {@code name}, {@code version}, {@code build}, {@code subdir}), {@code - pypi: <url or path>},
 * and in v7 {@code - conda_source: <name>[<hash>] @ <path>}. Version 7 also declares the
 * platforms at the top ({@code platforms: [{name, subdir?, virtual-packages}]}); environments
 * use those names. Fields that can be derived from a package URL (name, version, build, subdir,
 * channel) may be absent from a record.
 *
 * <p>Conda archives become {@link PackageRef}s with their recorded checksums. PyPI packages and
 * conda packages that pixi builds from source are returned as {@link UnsupportedEntry}s. Unknown
 * fields are ignored. Relative paths are resolved against the lock file's directory.
 */
public final class PixiLockFile {
    /** The oldest and newest lock format versions this reader understands. */
    public static final int MIN_VERSION = 6;
    public static final int MAX_VERSION = 7;

    static final String PYPI_REASON = "PyPI packages are not supported by envlink; install them with pip/uv";

    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]+:");
    /** Fields whose values are text even when YAML would read them as numbers. */
    private static final Set<String> TEXT_FIELDS = Set.of("name", "version", "build", "subdir", "noarch",
            "channel", "license", "license_family", "features", "python_site_packages_path");
    /** Record fields that have their own {@link PackageRef} component. */
    private static final Set<String> NOT_EXTRA = Set.of("conda", "sha256", "md5", "subdir", "channel",
            "file_name");

    private final String source;
    private final int version;
    private final Map<String, Environment> environments;

    private PixiLockFile(String source, int version, Map<String, Environment> environments) {
        this.source = source;
        this.version = version;
        this.environments = environments;
    }

    private record Environment(String name, Map<String, PlatformPackages> platforms) {
    }

    private record PlatformPackages(String name, String subdir, List<PackageRef> packages,
            List<UnsupportedEntry> unsupported) {
    }

    /** Reads and checks a lock file; every environment's references are resolved here. */
    public static PixiLockFile read(Path file) throws InputException {
        String text = InputFiles.read(file);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent() != null ? abs.getParent() : abs;
        return new Reader(file.toString(), dir).read(text);
    }

    /** The lock format version (6 or 7). */
    public int version() {
        return version;
    }

    /** Environment names, in the file's order. */
    public List<String> environments() {
        return List.copyOf(environments.keySet());
    }

    /**
     * The platforms an environment has packages for, as the lock file names them (in v7 a
     * platform name may differ from its subdir).
     *
     * @throws IllegalArgumentException for an unknown environment
     */
    public List<String> platforms(String environment) {
        Environment env = environments.get(environment);
        if (env == null) {
            throw new IllegalArgumentException(noSuchEnvironment(environment));
        }
        return List.copyOf(env.platforms().keySet());
    }

    /**
     * The packages of an environment for a platform.
     *
     * @param environment environment name, {@code null} for {@code default}
     * @param platform    platform name or conda subdir, e.g. {@code linux-64}; {@code null} for
     *                    this machine's subdir ({@link Subdirs#current()})
     * @throws InputException for an unknown environment or a platform the environment has no
     *                        packages for; the message lists the available ones
     */
    public InstallInputs select(String environment, String platform) throws InputException {
        String envName = environment == null ? "default" : environment;
        Environment env = environments.get(envName);
        if (env == null) {
            throw new InputException(source, noSuchEnvironment(envName));
        }
        String wanted = platform;
        if (wanted == null) {
            try {
                wanted = Subdirs.current();
            } catch (IllegalStateException e) {
                throw new InputException(source, 0, e.getMessage() + "; name the platform explicitly (one of "
                        + String.join(", ", env.platforms().keySet()) + ")", e);
            }
        }
        PlatformPackages selected = env.platforms().get(wanted);
        if (selected == null) {
            List<PlatformPackages> bySubdir = new ArrayList<>();
            for (PlatformPackages p : env.platforms().values()) {
                if (p.subdir().equals(wanted)) {
                    bySubdir.add(p);
                }
            }
            if (bySubdir.size() == 1) {
                selected = bySubdir.get(0);
            } else if (bySubdir.size() > 1) {
                List<String> names = new ArrayList<>();
                bySubdir.forEach(p -> names.add(p.name()));
                throw new InputException(source, "environment '" + envName + "' has several platforms with subdir '"
                        + wanted + "': " + String.join(", ", names) + "; name one of them");
            }
        }
        if (selected == null) {
            if (env.platforms().isEmpty()) {
                // An environment without any packages installs nothing, on any platform.
                return new InstallInputs(List.of(), List.of(), Optional.of(wanted));
            }
            throw new InputException(source, "environment '" + envName + "' has no packages for platform '" + wanted
                    + "'; it has: " + String.join(", ", env.platforms().keySet()));
        }
        return new InstallInputs(selected.packages(), selected.unsupported(), Optional.of(selected.subdir()));
    }

    private String noSuchEnvironment(String name) {
        return "no environment '" + name + "' in the lock file; it has: "
                + (environments.isEmpty() ? "(none)" : String.join(", ", environments.keySet()));
    }

    @Override
    public String toString() {
        return "PixiLockFile[" + source + ", version " + version + ", environments " + environments.keySet() + "]";
    }

    // ---------------------------------------------------------------------------------------------

    /** One entry of the top-level {@code packages} list. */
    private enum RecordKind { CONDA, CONDA_SOURCE, PYPI }

    private record PackageRecord(RecordKind kind, String location, MapNode node) {
    }

    /** What a record turns into: a package to install or an entry envlink cannot install. */
    private record Resolved(PackageRef pkg, UnsupportedEntry unsupported) {
    }

    private static final class Reader {
        private final String source;
        private final Path dir;
        private int version;
        private final Map<String, List<PackageRecord>> conda = new LinkedHashMap<>();
        private final Map<String, PackageRecord> condaSource = new LinkedHashMap<>();
        private final Map<String, PackageRecord> pypi = new LinkedHashMap<>();
        private final Map<PackageRecord, Resolved> resolved = new IdentityHashMap<>();

        Reader(String source, Path dir) {
            this.source = source;
            this.dir = dir;
        }

        PixiLockFile read(String text) throws InputException {
            Node rootNode = YamlTree.parse(text, source);
            if (rootNode == null) {
                throw new InputException(source, "the file is empty; not a pixi lock file");
            }
            if (!(rootNode instanceof MapNode root)) {
                throw error(rootNode, "not a pixi lock file: the top level is not a mapping");
            }
            version = readVersion(root);
            Map<String, String> declared = version >= 7 ? readPlatforms(root) : Map.of();
            readPackages(root);
            Node envsNode = root.get("environments").orElseThrow(
                    () -> new InputException(source, "no 'environments' section; not a pixi lock file"));
            Map<String, Environment> envs = new LinkedHashMap<>();
            if (!(envsNode instanceof Scalar s && s.isNull())) {
                MapNode envsMap = map(envsNode, "'environments'");
                for (Map.Entry<String, Node> e : envsMap.entries().entrySet()) {
                    envs.put(e.getKey(), readEnvironment(e.getKey(), e.getValue(), declared));
                }
            }
            return new PixiLockFile(source, version, Collections.unmodifiableMap(envs));
        }

        private int readVersion(MapNode root) throws InputException {
            Node v = root.get("version").orElseThrow(
                    () -> new InputException(source, "no 'version' field; not a pixi lock file"));
            if (!(v instanceof Scalar s) || s.kind() != YamlTree.Kind.INT) {
                throw error(v, "'version' is not a whole number");
            }
            int n;
            try {
                n = Integer.parseInt(s.text().trim());
            } catch (NumberFormatException e) {
                throw error(v, "'version' " + s.text() + " is not a lock format version");
            }
            if (n < MIN_VERSION) {
                throw error(v, "pixi lock format version " + n + " is too old: envlink reads versions "
                        + MIN_VERSION + " and " + MAX_VERSION + "; re-lock with a current pixi (for example "
                        + "'pixi lock' or 'pixi update') to rewrite it in a newer format");
            }
            if (n > MAX_VERSION) {
                throw error(v, "pixi lock format version " + n + " is newer than this envlink understands "
                        + "(versions " + MIN_VERSION + " and " + MAX_VERSION + "); update envlink");
            }
            return n;
        }

        /** v7: {@code platforms: [{name, subdir?, virtual-packages?}]}, name to subdir. */
        private Map<String, String> readPlatforms(MapNode root) throws InputException {
            Map<String, String> out = new LinkedHashMap<>();
            Optional<Node> node = root.get("platforms");
            if (node.isEmpty() || node.get() instanceof Scalar s && s.isNull()) {
                return out;
            }
            for (Node item : list(node.get(), "'platforms'").items()) {
                MapNode p = map(item, "a 'platforms' entry");
                String name = text(p, "name").orElseThrow(() -> error(p, "a 'platforms' entry has no 'name'"));
                String subdir = text(p, "subdir").orElse(name);
                if (!p.has("subdir") && !Subdirs.isKnown(name)) {
                    throw error(p, "platform '" + name + "' is not a conda subdir and gives no 'subdir'");
                }
                if (out.putIfAbsent(name, subdir) != null) {
                    throw error(p, "platform '" + name + "' is declared twice");
                }
            }
            return out;
        }

        private void readPackages(MapNode root) throws InputException {
            Optional<Node> node = root.get("packages");
            if (node.isEmpty() || node.get() instanceof Scalar s && s.isNull()) {
                return;
            }
            for (Node item : list(node.get(), "'packages'").items()) {
                MapNode rec = map(item, "a 'packages' entry");
                if (rec.has("conda")) {
                    String loc = requiredText(rec, "conda");
                    conda.computeIfAbsent(loc, k -> new ArrayList<>()).add(new PackageRecord(RecordKind.CONDA, loc, rec));
                } else if (rec.has("conda_source") && version >= 7) {
                    String id = requiredText(rec, "conda_source");
                    condaSource.putIfAbsent(id, new PackageRecord(RecordKind.CONDA_SOURCE, id, rec));
                } else if (rec.has("pypi")) {
                    String loc = requiredText(rec, "pypi");
                    pypi.putIfAbsent(loc, new PackageRecord(RecordKind.PYPI, loc, rec));
                } else {
                    throw error(rec, "package entry has none of 'conda', "
                            + (version >= 7 ? "'conda_source', " : "") + "'pypi'");
                }
            }
        }

        private Environment readEnvironment(String name, Node node, Map<String, String> declared)
                throws InputException {
            MapNode env = map(node, "environment '" + name + "'");
            Map<String, PlatformPackages> platforms = new LinkedHashMap<>();
            Optional<Node> pkgs = env.get("packages");
            if (pkgs.isPresent() && !(pkgs.get() instanceof Scalar s && s.isNull())) {
                MapNode byPlatform = map(pkgs.get(), "'packages' of environment '" + name + "'");
                for (Map.Entry<String, Node> e : byPlatform.entries().entrySet()) {
                    String platform = e.getKey();
                    String subdir = platform;
                    if (!declared.isEmpty()) {
                        subdir = declared.get(platform);
                        if (subdir == null) {
                            throw error(e.getValue(), "environment '" + name + "' uses platform '" + platform
                                    + "', which the 'platforms' section does not declare ("
                                    + String.join(", ", declared.keySet()) + ")");
                        }
                    }
                    platforms.put(platform, readSelectors(name, platform, subdir, e.getValue()));
                }
            }
            return new Environment(name, Collections.unmodifiableMap(platforms));
        }

        private PlatformPackages readSelectors(String env, String platform, String subdir, Node node)
                throws InputException {
            List<PackageRef> packages = new ArrayList<>();
            List<UnsupportedEntry> unsupported = new ArrayList<>();
            Set<PackageRecord> seen = Collections.newSetFromMap(new IdentityHashMap<>());
            if (!(node instanceof Scalar s && s.isNull())) {
                String where = "environment '" + env + "', platform '" + platform + "'";
                for (Node item : list(node, "the packages of " + where).items()) {
                    MapNode sel = map(item, "a package of " + where);
                    PackageRecord rec = resolveSelector(sel, subdir, where);
                    if (!seen.add(rec)) {
                        continue;
                    }
                    Resolved r = resolve(rec);
                    if (r.pkg() != null) {
                        packages.add(r.pkg());
                    } else {
                        unsupported.add(r.unsupported());
                    }
                }
            }
            return new PlatformPackages(platform, subdir, List.copyOf(packages), List.copyOf(unsupported));
        }

        private PackageRecord resolveSelector(MapNode sel, String subdir, String where) throws InputException {
            if (sel.has("conda")) {
                String loc = requiredText(sel, "conda");
                List<PackageRecord> candidates = conda.getOrDefault(loc, List.of());
                PackageRecord match = version >= 7 ? pickV7(candidates, sel, subdir) : pickV6(candidates, sel);
                if (match == null) {
                    throw error(sel, where + ": no entry in 'packages' matches conda '" + loc + "'"
                            + (candidates.isEmpty() ? "" : " with the given name/version/build/subdir"));
                }
                return match;
            }
            if (sel.has("conda_source") && version >= 7) {
                String id = requiredText(sel, "conda_source");
                PackageRecord rec = condaSource.get(id);
                if (rec == null) {
                    throw error(sel, where + ": no entry in 'packages' for conda_source '" + id + "'");
                }
                return rec;
            }
            if (sel.has("pypi")) {
                String loc = requiredText(sel, "pypi");
                PackageRecord rec = pypi.get(loc);
                if (rec == null) {
                    throw error(sel, where + ": no entry in 'packages' for pypi '" + loc + "'");
                }
                return rec;
            }
            throw error(sel, where + ": package reference has none of 'conda', "
                    + (version >= 7 ? "'conda_source', " : "") + "'pypi'");
        }

        /** v6: the first record at that location whose fields match every field the reference gives. */
        private PackageRecord pickV6(List<PackageRecord> candidates, MapNode sel) {
            for (PackageRecord rec : candidates) {
                boolean ok = true;
                for (String field : List.of("name", "version", "build", "subdir")) {
                    Optional<String> wanted = text(sel, field);
                    if (wanted.isPresent() && !wanted.equals(effective(rec, field))) {
                        ok = false;
                        break;
                    }
                }
                if (ok) {
                    return rec;
                }
            }
            return null;
        }

        /** v7: binary packages are unique by location; with duplicates prefer name, then subdir. */
        private PackageRecord pickV7(List<PackageRecord> candidates, MapNode sel, String subdir) {
            if (candidates.size() <= 1) {
                return candidates.isEmpty() ? null : candidates.get(0);
            }
            List<PackageRecord> named = new ArrayList<>();
            Optional<String> name = text(sel, "name");
            for (PackageRecord rec : candidates) {
                if (name.isEmpty() || name.equals(effective(rec, "name"))) {
                    named.add(rec);
                }
            }
            for (PackageRecord rec : named) {
                Optional<String> s = effective(rec, "subdir");
                if (s.isPresent() && (s.get().equals(subdir) || s.get().equals("noarch"))) {
                    return rec;
                }
            }
            return named.isEmpty() ? null : named.get(0);
        }

        /** A record's field as written, else as derived from its location. */
        private Optional<String> effective(PackageRecord rec, String field) {
            Optional<String> given = text(rec.node(), field);
            if (given.isPresent()) {
                return given;
            }
            String fileName = text(rec.node(), "file_name").orElse(lastSegment(rec.location()));
            if (field.equals("subdir")) {
                URI uri = uriOrNull(rec.location());
                return uri == null ? Optional.empty() : CondaNames.split(uri).subdir();
            }
            if (!CondaNames.isArchive(fileName)) {
                return Optional.empty();
            }
            Object v = CondaNames.nameVersionBuild(CondaNames.distName(fileName)).get(field);
            return Optional.ofNullable((String) v);
        }

        private Resolved resolve(PackageRecord rec) throws InputException {
            Resolved r = resolved.get(rec);
            if (r == null) {
                r = switch (rec.kind()) {
                    case CONDA -> conda(rec);
                    case CONDA_SOURCE -> condaSource(rec);
                    case PYPI -> pypi(rec);
                };
                resolved.put(rec, r);
            }
            return r;
        }

        private Resolved pypi(PackageRecord rec) {
            String name = text(rec.node(), "name").orElse(lastSegment(rec.location()));
            return new Resolved(null, new UnsupportedEntry(UnsupportedEntry.PYPI, name, rec.location(), PYPI_REASON));
        }

        /** v7 {@code conda_source: name[hash] @ location}. */
        private Resolved condaSource(PackageRecord rec) {
            String id = rec.location();
            String name = id;
            String location = id;
            int at = id.indexOf(" @ ");
            if (at >= 0) {
                name = id.substring(0, at).strip();
                location = id.substring(at + 3).strip();
            }
            int bracket = name.indexOf('[');
            if (bracket > 0) {
                name = name.substring(0, bracket);
            }
            return new Resolved(null, new UnsupportedEntry(UnsupportedEntry.CONDA_SOURCE, name, location,
                    sourceReason(location, rec.node())));
        }

        private Resolved conda(PackageRecord rec) throws InputException {
            MapNode node = rec.node();
            String loc = rec.location();
            Optional<String> givenFileName = text(node, "file_name");
            String fileName = givenFileName.orElse(lastSegment(loc));
            if (!CondaNames.isArchive(fileName)) {
                String name = text(node, "name").orElse(lastSegment(loc));
                return new Resolved(null, new UnsupportedEntry(UnsupportedEntry.CONDA_SOURCE, name, loc,
                        sourceReason(loc, node)));
            }
            URI url = toUri(loc, node);
            CondaNames.UrlParts parts = CondaNames.split(url);
            if (givenFileName.isEmpty()) {
                fileName = parts.fileName();
            }
            Optional<String> sha256 = hash(node, "sha256", 64);
            Optional<String> md5 = hash(node, "md5", 32);
            Optional<String> subdir = text(node, "subdir").or(parts::subdir);
            Optional<String> channel;
            if (node.has("channel")) {
                channel = text(node, "channel").map(CondaNames::stripTrailingSlashes).filter(c -> !c.isEmpty());
            } else {
                channel = parts.channel();
            }
            Map<String, Object> extra = new LinkedHashMap<>(CondaNames.nameVersionBuild(CondaNames.distName(fileName)));
            for (Map.Entry<String, Node> e : node.entries().entrySet()) {
                if (NOT_EXTRA.contains(e.getKey())) {
                    continue;
                }
                Object value = TEXT_FIELDS.contains(e.getKey()) && e.getValue() instanceof Scalar s
                        ? (s.isNull() ? null : s.text())
                        : e.getValue().toJava();
                if (value != null) {
                    extra.put(e.getKey(), value);
                }
            }
            return new Resolved(new PackageRef(url, fileName, sha256, md5, channel, subdir, extra), null);
        }

        private String sourceReason(String location, MapNode node) {
            StringBuilder why = new StringBuilder("conda package that pixi builds from source (");
            Optional<Node> pbs = node.get("package_build_source");
            if (pbs.isPresent() && pbs.get() instanceof MapNode src) {
                Optional<String> git = text(src, "git");
                Optional<String> url = text(src, "url");
                Optional<String> path = text(src, "path");
                if (git.isPresent()) {
                    why.append("git ").append(git.get());
                    for (String ref : List.of("tag", "branch", "rev")) {
                        text(src, ref).ifPresent(v -> why.append(' ').append(ref).append(' ').append(v));
                    }
                } else if (url.isPresent()) {
                    why.append("source archive ").append(url.get());
                } else if (path.isPresent()) {
                    why.append("path ").append(path.get());
                } else {
                    why.append(location);
                }
            } else {
                why.append("at ").append(location);
            }
            why.append("); envlink installs only built .conda/.tar.bz2 archives: build it with pixi "
                    + "(pixi build) and install the archive, or let pixi install this environment");
            return why.toString();
        }

        private Optional<String> hash(MapNode node, String field, int length) throws InputException {
            Optional<String> value = text(node, field);
            if (value.isPresent() && !CondaNames.isHex(value.get(), length)) {
                throw error(node.get(field).get(), field + " '" + value.get() + "' is not " + length + " hex digits");
            }
            return value;
        }

        /** A lock location as a URI: URLs as they are, paths resolved against the lock file's directory. */
        private URI toUri(String location, Node at) throws InputException {
            URI uri = uriOrNull(location);
            if (uri != null) {
                return uri;
            }
            if (SCHEME.matcher(location).find()) {
                throw error(at, "'" + location + "' is not a valid URL");
            }
            try {
                return dir.resolve(location).normalize().toUri();
            } catch (InvalidPathException e) {
                throw error(at, "'" + location + "' is neither a URL nor a valid path");
            }
        }

        /** The location as a URI when it is a URL (a scheme of two or more letters), else null. */
        private static URI uriOrNull(String location) {
            if (!SCHEME.matcher(location).find()) {
                return null;
            }
            try {
                URI uri = new URI(location);
                return uri.isOpaque() ? null : uri;
            } catch (URISyntaxException e) {
                return null;
            }
        }

        private static String lastSegment(String location) {
            String s = location;
            int q = s.indexOf('?');
            if (q >= 0 && SCHEME.matcher(s).find()) {
                s = s.substring(0, q);
            }
            s = CondaNames.stripTrailingSlashes(s.replace('\\', '/'));
            return s.substring(s.lastIndexOf('/') + 1);
        }

        private Optional<String> text(MapNode node, String key) {
            Node v = node.entries().get(key);
            if (v instanceof Scalar s && !s.isNull()) {
                return Optional.of(s.text());
            }
            return Optional.empty();
        }

        private String requiredText(MapNode node, String key) throws InputException {
            Node v = node.entries().get(key);
            if (v instanceof Scalar s && !s.isNull() && !s.text().isBlank()) {
                return s.text();
            }
            throw error(v != null ? v : node, "'" + key + "' has no value");
        }

        private MapNode map(Node node, String what) throws InputException {
            if (node instanceof MapNode m) {
                return m;
            }
            throw error(node, what + " is not a mapping");
        }

        private ListNode list(Node node, String what) throws InputException {
            if (node instanceof ListNode l) {
                return l;
            }
            throw error(node, what + " is not a list");
        }

        private InputException error(Node node, String problem) {
            return new InputException(source, node == null ? 0 : node.line(), problem);
        }
    }
}
