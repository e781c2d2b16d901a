package dev.envlink.cache.meta;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.Map;

/**
 * Writes JSON byte for byte as conda does: Python's
 * {@code json.dumps(obj, indent=2, sort_keys=True, separators=(",", ": "))}, which is what conda
 * uses for {@code info/repodata_record.json} and {@code conda-meta/*.json}.
 *
 * <ul>
 * <li>object keys sorted by code point (Python string order), at every level;</li>
 * <li>two-space indentation, one member per line, {@code "key": value}; empty containers as
 * {@code {}} and {@code []};</li>
 * <li>{@code ensure_ascii}: everything outside printable ASCII escaped as {@code \\uXXXX}
 * (lower-case hex, UTF-16 units), plus {@code \" \\ \n \r \t \b \f};</li>
 * <li>floats as Python's {@code repr} (shortest round-trip digits, {@code 1.0}, {@code 1e+16},
 * {@code 1e-05}, {@code NaN}, {@code Infinity});</li>
 * <li>no trailing newline.</li>
 * </ul>
 * Values: {@code Map} with String keys, {@link Row}, {@code Iterable}, String, Boolean, Number, null.
 */
public final class PythonJson {
    private PythonJson() {
    }

    /** Python's string order: by code point (not by UTF-16 unit as {@link String#compareTo}). */
    public static final Comparator<String> KEY_ORDER = PythonJson::compareCodePoints;

    /**
     * The keys of one kind of JSON object, given in {@link #KEY_ORDER} (checked once, here):
     * its {@link Row}s are written without sorting or comparing keys (a record's paths_data has
     * a row per file).
     */
    public static final class Shape {
        private final String[] keys;

        public Shape(String... keys) {
            for (int i = 1; i < keys.length; i++) {
                if (KEY_ORDER.compare(keys[i - 1], keys[i]) >= 0) {
                    throw new IllegalArgumentException("key " + keys[i] + " given after " + keys[i - 1]);
                }
            }
            this.keys = keys.clone();
        }

        public Row row() {
            return new Row(this);
        }
    }

    /** One object of a {@link Shape}: slot i holds the value of its key i; an empty slot is left out. */
    public static final class Row {
        private final Shape shape;
        private final Object[] values;

        private Row(Shape shape) {
            this.shape = shape;
            this.values = new Object[shape.keys.length];
        }

        public Row set(int slot, Object value) {
            values[slot] = value;
            return this;
        }

        /** The same fields as a map (for readers and tests). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    m.put(shape.keys[i], values[i]);
                }
            }
            return m;
        }
    }

    public static String dump(Object value) {
        Out out = new Out(null, 256);
        try {
            write(out, value, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // no stream: cannot happen
        }
        return new String(out.buf, 0, out.len, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /**
     * Writes the JSON text to {@code stream} through a small buffer: a record of 50 000 paths is
     * never held whole in memory (the text is ASCII: ensure_ascii escapes everything else).
     */
    public static void write(java.io.OutputStream stream, Object value) throws IOException {
        Out out = new Out(stream, 1 << 16);
        write(out, value, 0);
        out.flush();
    }

    /**
     * An ASCII text sink: a byte buffer that grows (no stream) or is flushed to a stream when full.
     * Strings go in with {@link String#getBytes(int, int, byte[], int)}, exact for ASCII.
     */
    private static final class Out {
        private final java.io.OutputStream stream;
        private byte[] buf;
        private int len;

        Out(java.io.OutputStream stream, int size) {
            this.stream = stream;
            this.buf = new byte[size];
        }

        Out append(char c) throws IOException {
            room(1);
            buf[len++] = (byte) c;
            return this;
        }

        @SuppressWarnings("deprecation")
        Out append(String s) throws IOException {
            int n = s.length();
            if (stream != null && n > buf.length) {
                flush();
                stream.write(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                return this;
            }
            room(n);
            s.getBytes(0, n, buf, len); // the low byte of each char: the text is ASCII
            len += n;
            return this;
        }

        private void room(int n) throws IOException {
            if (len + n <= buf.length) {
                return;
            }
            if (stream != null) {
                flush();
                return;
            }
            buf = java.util.Arrays.copyOf(buf, Math.max(len + n, buf.length * 2));
        }

        void flush() throws IOException {
            if (stream != null && len > 0) {
                stream.write(buf, 0, len);
                len = 0;
            }
        }
    }

    private static void write(Out sb, Object v, int depth) throws IOException {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String s) {
            string(sb, s);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            sb.append(floatRepr(((Number) v).doubleValue()));
        } else if (v instanceof Number n) {
            sb.append(n instanceof BigInteger bi ? bi.toString() : Long.toString(n.longValue()));
        } else if (v instanceof Map<?, ?> m) {
            object(sb, m, depth);
        } else if (v instanceof Row r) {
            row(sb, r, depth);
        } else if (v instanceof Iterable<?> it) {
            array(sb, it, depth);
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    private static void object(Out sb, Map<?, ?> m, int depth) throws IOException {
        String[] keys = new String[m.size()];
        int n = 0;
        for (Object k : m.keySet()) {
            if (!(k instanceof String s)) {
                throw new IllegalArgumentException("JSON object keys must be strings, got " + k);
            }
            keys[n++] = s;
        }
        java.util.Arrays.sort(keys, KEY_ORDER);
        Object[] values = new Object[n];
        for (int i = 0; i < n; i++) {
            values[i] = m.get(keys[i]);
        }
        fields(sb, keys, values, n, depth, false);
    }

    private static void row(Out sb, Row r, int depth) throws IOException {
        fields(sb, r.shape.keys, r.values, r.values.length, depth, true);
    }

    /**
     * An object's first {@code n} fields, keys already in {@link #KEY_ORDER}; with
     * {@code skipNulls} an empty slot is left out.
     */
    private static void fields(Out sb, String[] keys, Object[] values, int n, int depth, boolean skipNulls)
            throws IOException {
        boolean first = true;
        for (int i = 0; i < n; i++) {
            if (skipNulls && values[i] == null) {
                continue;
            }
            sb.append(first ? "{" : ",");
            first = false;
            newline(sb, depth + 1);
            string(sb, keys[i]);
            sb.append(": ");
            write(sb, values[i], depth + 1);
        }
        if (first) {
            sb.append("{}");
            return;
        }
        newline(sb, depth);
        sb.append('}');
    }

    private static void array(Out sb, Iterable<?> it, int depth) throws IOException {
        boolean first = true;
        for (Object o : it) {
            sb.append(first ? "[" : ",");
            first = false;
            newline(sb, depth + 1);
            write(sb, o, depth + 1);
        }
        if (first) {
            sb.append("[]");
            return;
        }
        newline(sb, depth);
        sb.append(']');
    }

    private static void newline(Out sb, int depth) throws IOException {
        sb.append('\n');
        for (int i = 0; i < depth; i++) {
            sb.append("  ");
        }
    }

    private static void string(Out sb, String s) throws IOException {
        sb.append('"');
        if (plain(s)) {
            sb.append(s).append('"'); // the common case: printable ASCII with nothing to escape
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c >= 0x20 && c <= 0x7e) {
                        sb.append(c);
                    } else {
                        sb.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        sb.append('"');
    }

    /** Python's {@code repr(float)}. */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        // Shortest decimal that reads back as the same double (JDK 17's Double.toString is not
        // always the shortest).
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == d) {
                shortest = r;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int decpt = digits.length() - shortest.scale(); // value = 0.DIGITS * 10^decpt
        String sign = d < 0 ? "-" : "";
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                return sign + "0." + "0".repeat(-decpt) + digits;
            }
            if (decpt >= digits.length()) {
                return sign + digits + "0".repeat(decpt - digits.length()) + ".0";
            }
            return sign + digits.substring(0, decpt) + "." + digits.substring(decpt);
        }
        int exp = decpt - 1;
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = Integer.toString(Math.abs(exp));
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e.length() < 2 ? "0" + e : e);
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    private static int compareCodePoints(String a, String b) {
        // Code unit order equals code point order unless the first difference involves a surrogate.
        int n = Math.min(a.length(), b.length());
        for (int k = 0; k < n; k++) {
            char x = a.charAt(k);
            char y = b.charAt(k);
            if (x != y) {
                return Character.isSurrogate(x) || Character.isSurrogate(y) ? compareSlow(a, b) : x - y;
            }
        }
        return a.length() - b.length();
    }

    private static int compareSlow(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
