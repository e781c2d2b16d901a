package dev.envlink.cache.meta;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fast path for {@code info/paths.json}: a streaming parse straight into {@link PathEntry}
 * records, without a JSON tree (a big package lists 20 000+ paths, and an install reads every
 * package's list). Anything unusual (a wrong type, a missing field, an unknown path type, an
 * unsafe path, malformed JSON) makes it give up: the tree-based reader then parses the file again
 * and produces the precise error, so both paths accept and reject exactly the same files.
 */
final class PathsJsonStream {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PathsJsonStream() {
    }

    /** The parsed list, or empty when the slow path must decide. */
    static Optional<PathsJson> parse(byte[] data) {
        try (JsonParser p = FACTORY.createParser(data)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            List<PathEntry> paths = null;
            long version = 1;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) {
                    return Optional.empty();
                }
                String field = p.currentName();
                JsonToken v = p.nextToken();
                if (field.equals("paths")) {
                    if (v != JsonToken.START_ARRAY) {
                        return Optional.empty();
                    }
                    paths = entries(p);
                    if (paths == null) {
                        return Optional.empty();
                    }
                } else if (field.equals("paths_version")) {
                    if (v == JsonToken.VALUE_NULL) {
                        version = 1;
                    } else if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        version = p.getLongValue();
                    } else {
                        return Optional.empty();
                    }
                } else {
                    p.skipChildren(); // unknown fields are ignored
                }
            }
            if (paths == null || p.nextToken() != null) {
                return Optional.empty(); // "paths" missing, or trailing content
            }
            return Optional.of(new PathsJson((int) Math.min(Integer.MAX_VALUE, version), paths));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The array's entries, or null to give up. The parser is on START_ARRAY. */
    private static List<PathEntry> entries(JsonParser p) throws IOException {
        List<PathEntry> out = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            // One call per entry: the JIT compiles a method called thousands of times at once,
            // while a loop body in a single long call stays interpreted far longer.
            PathEntry e = t == JsonToken.START_OBJECT ? entry(p) : null;
            if (e == null) {
                return null;
            }
            out.add(e);
        }
        return out;
    }

    /** One entry, or null to give up. The parser is on its START_OBJECT. */
    private static PathEntry entry(JsonParser p) throws IOException {
        String path = null;
        String type = null;
        String sha256 = null;
        Long size = null;
        String placeholder = null;
        String mode = null;
        boolean noLink = false;
        for (JsonToken f = p.nextToken(); f != JsonToken.END_OBJECT; f = p.nextToken()) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            boolean isNull = v == JsonToken.VALUE_NULL;
            switch (name) {
                case "_path", "path_type", "sha256", "prefix_placeholder", "file_mode" -> {
                    if (!isNull && v != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    String s = isNull ? null : p.getText();
                    switch (name) {
                        case "_path" -> path = s;
                        case "path_type" -> type = s;
                        case "sha256" -> sha256 = s;
                        case "prefix_placeholder" -> placeholder = s;
                        default -> mode = s;
                    }
                }
                case "size_in_bytes" -> {
                    if (isNull) {
                        size = null;
                    } else if (v == JsonToken.VALUE_NUMBER_INT
                            && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER && p.getLongValue() >= 0) {
                        size = p.getLongValue();
                    } else {
                        return null;
                    }
                }
                case "no_link" -> {
                    if (isNull) {
                        noLink = false;
                    } else if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                        noLink = v == JsonToken.VALUE_TRUE;
                    } else {
                        return null;
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (path == null || type == null) {
            return null;
        }
        Optional<PathType> pathType = PathType.fromJson(type);
        if (pathType.isEmpty()) {
            return null;
        }
        FileMode fileMode = null;
        if (mode != null) {
            Optional<FileMode> m = FileMode.fromJson(mode);
            if (m.isEmpty()) {
                return null;
            }
            fileMode = m.get();
        } else if (placeholder != null) {
            fileMode = FileMode.TEXT; // what has_prefix implies for a bare path
        }
        String normal;
        try {
            normal = PackagePaths.normalize(path);
        } catch (IllegalArgumentException unsafe) {
            return null;
        }
        return new PathEntry(normal, pathType.get(), sha256, size, placeholder, fileMode, noLink);
    }
}
