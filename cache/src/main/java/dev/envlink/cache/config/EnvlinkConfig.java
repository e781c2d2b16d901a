package dev.envlink.cache.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * The user's envlink configuration, a YAML file ({@link #defaultLocation} tells where):
 * <pre>
 * cache_dir: ~/big-disk/envlink-cache        # where packages are extracted
 * read_only_layers:                          # extra caches searched, never written
 *   - /opt/shared/envlink-cache
 * link_mode: auto                            # auto | reflink | hardlink | copy
 * mirrors:                                   # URL prefix -> replacement, in order
 *   https://conda.anaconda.org/conda-forge: https://mirror.example/conda-forge
 * </pre>
 * Paths may start with {@code ~} (the home directory) and contain {@code ${NAME}} (an
 * environment variable, which must be set); relative paths are relative to the directory of the
 * configuration file. A key with no value ({@code cache_dir:}) is the same as no key. Unknown
 * keys, wrong types and duplicate keys are errors naming the file, line and key.
 *
 * @param cacheDir       {@code cache_dir}
 * @param readOnlyLayers {@code read_only_layers}, in order
 * @param linkMode       {@code link_mode}, lower case: {@code auto}, {@code reflink},
 *                       {@code hardlink} or {@code copy}
 * @param mirrors        {@code mirrors}, URL prefix to URL prefix, in file order
 */
public record EnvlinkConfig(Optional<Path> cacheDir, List<Path> readOnlyLayers, Optional<String> linkMode,
        Map<String, String> mirrors) {

    public static final String CACHE_DIR = "cache_dir";
    public static final String READ_ONLY_LAYERS = "read_only_layers";
    public static final String LINK_MODE = "link_mode";
    public static final String MIRRORS = "mirrors";
    /** The keys a configuration file may contain. */
    public static final List<String> KEYS = List.of(CACHE_DIR, READ_ONLY_LAYERS, LINK_MODE, MIRRORS);
    /** The values of {@code link_mode}. */
    public static final List<String> LINK_MODES = List.of("auto", "reflink", "hardlink", "copy");

    /** Variable naming the configuration file, overriding the OS default location. */
    public static final String ENV_CONFIG = "ENVLINK_CONFIG";

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    public EnvlinkConfig {
        cacheDir = cacheDir == null ? Optional.empty() : cacheDir;
        readOnlyLayers = readOnlyLayers == null ? List.of() : List.copyOf(readOnlyLayers);
        linkMode = linkMode == null ? Optional.empty() : linkMode;
        if (linkMode.isPresent() && !LINK_MODES.contains(linkMode.get())) {
            throw new IllegalArgumentException("link_mode must be one of " + String.join(", ", LINK_MODES)
                    + ", not " + linkMode.get());
        }
        Map<String, String> m = new LinkedHashMap<>();
        if (mirrors != null) {
            mirrors.forEach((k, v) -> m.put(Objects.requireNonNull(k, "mirror prefix"),
                    Objects.requireNonNull(v, "mirror replacement")));
        }
        mirrors = Collections.unmodifiableMap(m);
    }

    /** No settings. */
    public static EnvlinkConfig empty() {
        return new EnvlinkConfig(Optional.empty(), List.of(), Optional.empty(), Map.of());
    }

    public boolean isEmpty() {
        return cacheDir.isEmpty() && readOnlyLayers.isEmpty() && linkMode.isEmpty() && mirrors.isEmpty();
    }

    /**
     * Where the configuration file is: {@code $ENVLINK_CONFIG} if set, else the OS's configuration
     * directory: Linux (and other Unix) {@code $XDG_CONFIG_HOME/envlink/config.yaml} or
     * {@code ~/.config/envlink/config.yaml} (an unset, empty or relative {@code XDG_CONFIG_HOME} is
     * ignored, as the XDG spec says); macOS {@code ~/Library/Application Support/envlink/config.yaml};
     * Windows {@code %APPDATA%\envlink\config.yaml} (or {@code ~\AppData\Roaming\...} without
     * {@code APPDATA}).
     */
    public static Path defaultLocation(Env env) {
        String explicit = env.getNonEmpty(ENV_CONFIG);
        if (explicit != null) {
            return Path.of(expandHome(explicit, env));
        }
        return switch (env.os()) {
            case WINDOWS -> {
                String appData = env.getNonEmpty("APPDATA");
                Path base = appData != null ? Path.of(appData) : env.home().resolve("AppData").resolve("Roaming");
                yield base.resolve("envlink").resolve("config.yaml");
            }
            case MACOS -> env.home().resolve("Library").resolve("Application Support").resolve("envlink")
                    .resolve("config.yaml");
            case LINUX -> {
                Path xdg = absoluteOrNull(env.getNonEmpty("XDG_CONFIG_HOME"));
                Path base = xdg != null ? xdg : env.home().resolve(".config");
                yield base.resolve("envlink").resolve("config.yaml");
            }
        };
    }

    /** The configuration at {@link #defaultLocation}; {@link #empty()} if that file does not exist. */
    public static EnvlinkConfig loadDefault(Env env) throws ConfigException {
        Path file = defaultLocation(env);
        if (!Files.exists(file)) {
            return empty();
        }
        return load(file, env);
    }

    /** Reads a configuration file, expanding {@code ~} and {@code ${NAME}} from the real environment. */
    public static EnvlinkConfig load(Path file) throws ConfigException {
        return load(file, Env.system());
    }

    /** Reads a configuration file; an empty file (or one with only comments) is {@link #empty()}. */
    public static EnvlinkConfig load(Path file, Env env) throws ConfigException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonParser p = YAML.createParser(r)) {
            return new YamlReader(file, env, p).parse();
        } catch (ConfigException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw yamlError(file, e);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, null, "configuration file does not exist", e);
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, "cannot read configuration file: " + e, e);
        }
    }

    /** A syntax error, with SnakeYAML's problem and context but without its source excerpts. */
    private static ConfigException yamlError(Path file, JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        int line = l == null ? 0 : Math.max(0, l.getLineNr());
        int column = l == null ? 0 : Math.max(0, l.getColumnNr());
        String problem;
        if (e.getCause() instanceof MarkedYAMLException y && y.getProblem() != null) {
            problem = y.getProblem();
            if (y.getProblemMark() != null) {
                line = y.getProblemMark().getLine() + 1;
                column = y.getProblemMark().getColumn() + 1;
            }
            if (y.getContext() != null) {
                Mark m = y.getContextMark();
                problem += " (" + y.getContext() + (m == null ? "" : " started at line " + (m.getLine() + 1)
                        + " column " + (m.getColumn() + 1)) + ")";
            }
        } else {
            problem = e.getOriginalMessage() == null ? e.toString() : e.getOriginalMessage();
        }
        return new ConfigException(file, line, null, "invalid YAML" + (column > 0 ? " at column " + column : "")
                + ": " + problem.replaceAll("\\s+", " ").strip(), e);
    }

    /** One pass over the YAML tokens, keeping the line of every key for error messages. */
    private static final class YamlReader {
        private final Path file;
        private final Env env;
        private final JsonParser p;

        YamlReader(Path file, Env env, JsonParser p) {
            this.file = file;
            this.env = env;
            this.p = p;
        }

        EnvlinkConfig parse() throws IOException {
            JsonToken t = p.nextToken();
            if (t == null || t == JsonToken.VALUE_NULL) {
                return empty();
            }
            if (t != JsonToken.START_OBJECT) {
                throw err(null, "the file must be a mapping of keys (" + String.join(", ", KEYS) + "), not "
                        + describe(t));
            }
            Optional<Path> cacheDir = Optional.empty();
            List<Path> layers = List.of();
            Optional<String> linkMode = Optional.empty();
            Map<String, String> mirrors = Map.of();
            Set<String> seen = new HashSet<>();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line();
                if (!KEYS.contains(key)) {
                    String hint = suggestion(key);
                    throw new ConfigException(file, keyLine, key, "unknown key \"" + key + "\"" + hint
                            + " (known keys: " + String.join(", ", KEYS) + ")");
                }
                if (!seen.add(key)) {
                    throw new ConfigException(file, keyLine, key, "duplicate key \"" + key + "\"");
                }
                p.nextToken();
                switch (key) {
                    case CACHE_DIR -> cacheDir = Optional.ofNullable(optionalPath(key));
                    case READ_ONLY_LAYERS -> layers = pathList(key);
                    case LINK_MODE -> linkMode = Optional.ofNullable(linkMode(key));
                    case MIRRORS -> mirrors = mirrors(key);
                    default -> throw new IllegalStateException(key);
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw err(null, "unexpected " + describe(t));
            }
            if (p.nextToken() != null) {
                throw err(null, "only one YAML document is supported");
            }
            return new EnvlinkConfig(cacheDir, layers, linkMode, mirrors);
        }

        private Path optionalPath(String key) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            if (t != JsonToken.VALUE_STRING) {
                throw err(key, key + " must be a path (a string), not " + describe(t));
            }
            return path(key, p.getText());
        }

        private List<Path> pathList(String key) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (t != JsonToken.START_ARRAY) {
                throw err(key, key + " must be a list of paths, not " + describe(t));
            }
            List<Path> out = new ArrayList<>();
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_STRING) {
                    throw err(key, key + " must be a list of paths; item " + (out.size() + 1) + " is "
                            + describe(t));
                }
                out.add(path(key, p.getText()));
            }
            return out;
        }

        private String linkMode(String key) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return null;
            }
            String v = t == JsonToken.VALUE_STRING ? p.getText().strip().toLowerCase(Locale.ROOT) : null;
            if (v == null || !LINK_MODES.contains(v)) {
                throw err(key, key + " must be one of " + String.join(", ", LINK_MODES) + ", not "
                        + (t == JsonToken.VALUE_STRING ? "\"" + p.getText() + "\"" : describe(t)));
            }
            return v;
        }

        private Map<String, String> mirrors(String key) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return Map.of();
            }
            if (t != JsonToken.START_OBJECT) {
                throw err(key, key + " must be a mapping of URL prefix to URL prefix, not " + describe(t));
            }
            Map<String, String> out = new LinkedHashMap<>();
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String from = p.currentName();
                int fromLine = line();
                t = p.nextToken();
                if (t != JsonToken.VALUE_STRING) {
                    throw new ConfigException(file, fromLine, key, key + ": the mirror of \"" + from
                            + "\" must be a URL (a string), not " + describe(t));
                }
                String to = p.getText();
                checkUrl(key, fromLine, from);
                checkUrl(key, fromLine, to);
                if (out.put(from, to) != null) {
                    throw new ConfigException(file, fromLine, key, key + ": duplicate prefix \"" + from + "\"");
                }
            }
            return out;
        }

        private void checkUrl(String key, int line, String url) throws ConfigException {
            String problem = null;
            try {
                if (url.isBlank() || !new URI(url.strip()).isAbsolute()) {
                    problem = "is not an absolute URL (with a scheme such as https: or file:)";
                }
            } catch (URISyntaxException e) {
                problem = "is not a valid URL: " + e.getReason();
            }
            if (problem != null) {
                throw new ConfigException(file, line, key, key + ": \"" + url + "\" " + problem);
            }
        }

        private Path path(String key, String raw) throws ConfigException {
            String expanded = expand(raw, key);
            try {
                Path path = Path.of(expanded);
                if (!path.isAbsolute()) {
                    Path dir = file.toAbsolutePath().getParent();
                    path = dir == null ? path : dir.resolve(path);
                }
                return path.normalize();
            } catch (InvalidPathException e) {
                throw err(key, key + ": invalid path \"" + raw + "\": " + e.getReason());
            }
        }

        private String expand(String raw, String key) throws ConfigException {
            String s = raw;
            if (s.isEmpty()) {
                throw err(key, key + ": empty path");
            }
            if (s.startsWith("~") && !(s.equals("~") || s.startsWith("~/") || s.startsWith("~\\"))) {
                throw err(key, key + ": \"" + raw + "\": only ~ and ~/ (your home directory) are supported");
            }
            s = expandHome(s, env);
            Matcher m = VAR.matcher(s);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String v = env.get(m.group(1));
                if (v == null) {
                    throw err(key, key + ": \"" + raw + "\" uses ${" + m.group(1)
                            + "}, but that environment variable is not set");
                }
                m.appendReplacement(sb, Matcher.quoteReplacement(v));
            }
            m.appendTail(sb);
            return sb.toString();
        }

        private int line() {
            JsonLocation l = p.currentTokenLocation();
            return l == null ? 0 : Math.max(0, l.getLineNr());
        }

        private ConfigException err(String key, String problem) {
            return new ConfigException(file, line(), key, problem);
        }
    }

    /** {@code ~} or {@code ~/...} (also {@code ~\...}) with the home directory in front. */
    static String expandHome(String s, Env env) {
        if (s.equals("~")) {
            return env.home().toString();
        }
        if (s.startsWith("~/") || s.startsWith("~\\")) {
            return env.home().resolve(s.substring(2)).toString();
        }
        return s;
    }

    static Path absoluteOrNull(String s) {
        if (s == null) {
            return null;
        }
        try {
            Path p = Path.of(s);
            return p.isAbsolute() ? p : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "the end of the file";
        }
        return switch (t) {
            case START_ARRAY -> "a list";
            case START_OBJECT -> "a mapping";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "empty";
            default -> t.asString() != null ? t.asString() : t.name();
        };
    }

    /** ", did you mean ..." for a key within two edits of a known one. */
    private static String suggestion(String key) {
        String best = null;
        int bestD = 3;
        for (String k : KEYS) {
            int d = distance(key.toLowerCase(Locale.ROOT).replace('-', '_'), k);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        return best == null ? "" : ", did you mean \"" + best + "\"?";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[b.length()];
    }
}
