package dev.envlink.env.input;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * A YAML document as a small tree that keeps the line of every node, so that errors about the
 * content (not only syntax errors) can name a line. Scalars keep their source text: an unquoted
 * {@code version: 1.10} stays {@code "1.10"} instead of becoming the number 1.1.
 */
final class YamlTree {
    /**
     * SnakeYAML refuses documents over 3 MiB by default; lock files of large workspaces are
     * bigger, and the whole text is in memory anyway.
     */
    private static final YAMLFactory FACTORY = YAMLFactory.builder().loaderOptions(loaderOptions()).build();

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(Integer.MAX_VALUE);
        return options;
    }

    private YamlTree() {
    }

    sealed interface Node permits MapNode, ListNode, Scalar {
        /** 1-based line where the node starts, 0 when unknown. */
        int line();

        /** Plain Java value: String, Long/BigInteger, Boolean, null, List, Map. */
        Object toJava();
    }

    record MapNode(Map<String, Node> entries, int line) implements Node {
        Optional<Node> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        boolean has(String key) {
            return entries.containsKey(key);
        }

        @Override
        public Object toJava() {
            Map<String, Object> out = new LinkedHashMap<>();
            entries.forEach((k, v) -> {
                Object j = v.toJava();
                if (j != null) {
                    out.put(k, j);
                }
            });
            return Collections.unmodifiableMap(out);
        }
    }

    record ListNode(List<Node> items, int line) implements Node {
        @Override
        public Object toJava() {
            List<Object> out = new ArrayList<>(items.size());
            for (Node n : items) {
                Object j = n.toJava();
                if (j != null) {
                    out.add(j);
                }
            }
            return Collections.unmodifiableList(out);
        }
    }

    enum Kind { STRING, INT, FLOAT, BOOL, NULL }

    record Scalar(String text, Kind kind, int line) implements Node {
        boolean isNull() {
            return kind == Kind.NULL;
        }

        @Override
        public Object toJava() {
            switch (kind) {
                case NULL:
                    return null;
                case BOOL:
                    return Boolean.valueOf(text.trim().equalsIgnoreCase("true"));
                case INT:
                    try {
                        return Long.valueOf(text.trim());
                    } catch (NumberFormatException e) {
                        try {
                            return new BigInteger(text.trim());
                        } catch (NumberFormatException e2) {
                            return text;
                        }
                    }
                default:
                    // Floats stay text: in conda metadata they are versions ("0.1"), never measures.
                    return text;
            }
        }
    }

    /** Parses the first document of {@code text}; {@code null} for an empty document. */
    static Node parse(String text, String source) throws InputException {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            return read(p, t);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 0 : loc.getLineNr();
            throw new InputException(source, line, "not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InputException(source, 0, "cannot parse YAML: " + e.getMessage(), e);
        }
    }

    private static Node read(JsonParser p, JsonToken t) throws IOException {
        int line = line(p);
        switch (t) {
            case START_OBJECT: {
                Map<String, Node> entries = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken v = p.nextToken();
                    entries.put(key, read(p, v));
                }
                return new MapNode(Collections.unmodifiableMap(entries), line);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                JsonToken v;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY && v != null) {
                    items.add(read(p, v));
                }
                return new ListNode(Collections.unmodifiableList(items), line);
            }
            case VALUE_NULL:
                return new Scalar("", Kind.NULL, line);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Scalar(p.getText(), Kind.BOOL, line);
            case VALUE_NUMBER_INT:
                return new Scalar(p.getText(), Kind.INT, line);
            case VALUE_NUMBER_FLOAT:
                return new Scalar(p.getText(), Kind.FLOAT, line);
            case VALUE_STRING:
                return new Scalar(p.getText(), Kind.STRING, line);
            default:
                // Embedded objects (binary scalars) and the like: keep their text.
                return new Scalar(String.valueOf(p.getText()), Kind.STRING, line);
        }
    }

    private static int line(JsonParser p) {
        JsonLocation loc = p.currentTokenLocation();
        return loc == null ? 0 : Math.max(loc.getLineNr(), 0);
    }
}
