package dev.envlink.cache.meta;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metadata file of an extracted package ({@code <pkgDir>/info/<name>}): reading it and the
 * errors about it. Every error names the package directory and the file ({@code info/<name>}).
 */
final class MetaFile {
    private final Path pkgDir;
    private final Path file;
    private final String entry;

    private MetaFile(Path pkgDir, Path file, String entry) {
        this.pkgDir = pkgDir;
        this.file = file;
        this.entry = entry;
    }

    /** {@code infoDir/name}, reported as {@code info/name} of the package directory above infoDir. */
    static MetaFile in(Path infoDir, String name) {
        Path parent = infoDir.toAbsolutePath().getParent();
        Path pkg = parent != null ? parent : infoDir;
        return new MetaFile(pkg, infoDir.resolve(name), "info/" + name);
    }

    Path pkgDir() {
        return pkgDir;
    }

    Path path() {
        return file;
    }

    String entry() {
        return entry;
    }

    boolean exists() {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    PackageFormatException error(String problem) {
        return new PackageFormatException(pkgDir, entry, problem);
    }

    PackageFormatException error(String problem, Throwable cause) {
        return new PackageFormatException(pkgDir, entry, problem, cause);
    }

    byte[] bytes() throws PackageFormatException {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw error("missing", e);
        } catch (IOException e) {
            throw error("cannot read: " + e, e);
        }
    }

    /** Parses the file as a JSON object (the root must be an object). */
    ObjectNode readObject() throws PackageFormatException {
        byte[] data = bytes();
        JsonNode root;
        try {
            root = JsonTrees.readTree(data);
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String where = l == null ? "" : " at line " + l.getLineNr() + " column " + l.getColumnNr();
            throw error("malformed JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw error("cannot read: " + e, e);
        }
        if (root == null || root.isMissingNode()) {
            throw error("malformed JSON: the file is empty");
        }
        if (!root.isObject()) {
            throw error("malformed JSON: expected an object at the top level, got " + describe(root));
        }
        return (ObjectNode) root;
    }

    /**
     * The lines of a plain-text metadata file as conda reads them: each line trimmed, blank lines
     * and lines starting with {@code #} skipped. Empty list when the file does not exist.
     */
    List<String> lines() throws PackageFormatException {
        List<String> out = new ArrayList<>();
        for (NumberedLine l : numberedLines()) {
            out.add(l.text());
        }
        return out;
    }

    /** Lines as {@link #lines()} but keeping their 1-based line numbers (for error messages). */
    List<NumberedLine> numberedLines() throws PackageFormatException {
        if (!exists()) {
            return List.of();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes())).toString();
        } catch (CharacterCodingException e) {
            throw error("not valid UTF-8", e);
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] raw = text.split("\r\n|\r|\n");
        List<NumberedLine> out = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            String t = raw[i].strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                out.add(new NumberedLine(i + 1, t));
            }
        }
        return out;
    }

    record NumberedLine(int number, String text) {
    }

    // ---- typed field access, with errors naming the field ----

    String requiredString(JsonNode obj, String field, String where) throws PackageFormatException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            throw error("missing required field \"" + field + "\"" + where);
        }
        if (!n.isTextual()) {
            throw error(wrongType(field, "a string", n, where));
        }
        return n.textValue();
    }

    String optionalString(JsonNode obj, String field, String where) throws PackageFormatException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw error(wrongType(field, "a string", n, where));
        }
        return n.textValue();
    }

    long requiredLong(JsonNode obj, String field, String where) throws PackageFormatException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            throw error("missing required field \"" + field + "\"" + where);
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw error(wrongType(field, "an integer", n, where));
        }
        return n.longValue();
    }

    Long optionalLong(JsonNode obj, String field, String where) throws PackageFormatException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw error(wrongType(field, "an integer", n, where));
        }
        return n.longValue();
    }

    boolean optionalBoolean(JsonNode obj, String field, boolean dflt, String where) throws PackageFormatException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw error(wrongType(field, "true or false", n, where));
        }
        return n.booleanValue();
    }

    /** A list of strings; missing or null is an empty list. */
    List<String> stringList(JsonNode obj, String field, String where) throws PackageFormatException {
        JsonNode n = obj.get(field);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw error(wrongType(field, "a list of strings", n, where));
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                throw error(wrongType(field + "[" + i + "]", "a string", e, where));
            }
            out.add(e.textValue());
        }
        return out;
    }

    static String wrongType(String field, String expected, JsonNode got, String where) {
        return "field \"" + field + "\"" + where + " must be " + expected + ", got " + describe(got);
    }

    static String describe(JsonNode n) {
        JsonNodeType t = n.getNodeType();
        return switch (t) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "the string " + quote(n.textValue());
            case NUMBER -> "the number " + n;
            case BOOLEAN -> n.booleanValue() ? "true" : "false";
            case NULL -> "null";
            default -> t.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String quote(String s) {
        String shown = s.length() > 80 ? s.substring(0, 77) + "..." : s;
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ---- JSON tree to plain, unmodifiable Java values ----

    /** A JSON object as an unmodifiable, insertion-ordered map (values as {@link #toJava}). */
    static Map<String, Object> toMap(JsonNode obj) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), toJava(e.getValue()));
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Objects become unmodifiable ordered maps, arrays unmodifiable lists, integers {@code Long}
     * (or {@code BigInteger} beyond 64 bits), other numbers {@code Double}, null stays null.
     */
    static Object toJava(JsonNode n) {
        switch (n.getNodeType()) {
            case OBJECT:
                return toMap(n);
            case ARRAY: {
                List<Object> l = new ArrayList<>(n.size());
                for (JsonNode e : n) {
                    l.add(toJava(e));
                }
                return Collections.unmodifiableList(l);
            }
            case STRING:
                return n.textValue();
            case BOOLEAN:
                return n.booleanValue();
            case NUMBER:
                if (n.isIntegralNumber()) {
                    return n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
                }
                return n.doubleValue();
            case NULL:
            case MISSING:
            default:
                return null;
        }
    }

    /** Deep, unmodifiable, order-keeping copy of plain Java JSON values (maps, lists, scalars). */
    static Object freeze(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
                }
                out.put(k, freeze(e.getValue()));
            }
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof Iterable<?> it) {
            List<Object> out = new ArrayList<>();
            for (Object o : it) {
                out.add(freeze(o));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
            return v;
        }
        throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> freezeMap(Map<String, ?> m) {
        return (Map<String, Object>) freeze(m == null ? Map.of() : m);
    }
}
