package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PythonJsonTest {

    @Test
    void scalars() {
        assertEquals("null", PythonJson.dump(null));
        assertEquals("true", PythonJson.dump(true));
        assertEquals("42", PythonJson.dump(42));
        assertEquals("-7", PythonJson.dump(-7L));
        assertEquals("123456789012345678901234567890", PythonJson.dump(new BigInteger("123456789012345678901234567890")));
        assertEquals("\"a\"", PythonJson.dump("a"));
    }

    @Test
    void rowsOfAShapeAreWrittenLikeTheSameMapAndLeaveEmptySlotsOut() {
        PythonJson.Shape shape = new PythonJson.Shape("_path", "a", "b", "\u00e9", "\ud83d\ude00");
        PythonJson.Row row = shape.row().set(0, "x/y").set(2, List.of(1, 2)).set(4, true);
        assertEquals(PythonJson.dump(row.toMap()), PythonJson.dump(row));
        assertEquals("{\n  \"_path\": \"x/y\",\n  \"b\": [\n    1,\n    2\n  ],\n  \"\\ud83d\\ude00\": true\n}",
                PythonJson.dump(row));
        assertEquals("{}", PythonJson.dump(shape.row()));
        assertEquals("[\n  {}\n]", PythonJson.dump(List.of(shape.row())));
        // Keys must come in Python's order, checked once when the shape is made.
        assertThrows(IllegalArgumentException.class, () -> new PythonJson.Shape("b", "a"));
        assertThrows(IllegalArgumentException.class, () -> new PythonJson.Shape("a", "a"));
        // Code point order, not UTF-16 order: U+FFFF sorts before U+1F600.
        new PythonJson.Shape("\uffff", "\ud83d\ude00");
        assertThrows(IllegalArgumentException.class, () -> new PythonJson.Shape("\ud83d\ude00", "\uffff"));
    }

    @Test
    void containers() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", List.of());
        m.put("a", Map.of());
        m.put("c", Arrays.asList(1L, null, List.of("x"), Map.of("k", "v")));
        assertEquals("""
                {
                  "a": {},
                  "b": [],
                  "c": [
                    1,
                    null,
                    [
                      "x"
                    ],
                    {
                      "k": "v"
                    }
                  ]
                }""", PythonJson.dump(m));
        assertEquals("[]", PythonJson.dump(List.of()));
        assertEquals("{}", PythonJson.dump(Map.of()));
    }

    @Test
    void stringEscapesAreAsciiOnly() {
        assertEquals("\"q\\\" b\\\\ n\\n r\\r t\\t b\\b f\\f\"", PythonJson.dump("q\" b\\ n\n r\r t\t b\b f\f"));
        assertEquals("\"\\u0000\\u001f\\u007f\"", PythonJson.dump("\0\u001f\u007f"));
        assertEquals("\"caf\\u00e9 \\u20ac \\ud83d\\ude00\"", PythonJson.dump("café € 😀"));
        assertEquals("\"/slash/ <tag> &\"", PythonJson.dump("/slash/ <tag> &"));
    }

    @Test
    void keysSortByCodePoint() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : List.of("b", "a", "B", "_", "a1", "\uffff", "\ud83d\ude00", "é")) {
            m.put(k, 0);
        }
        List<String> order = new ArrayList<>(m.keySet());
        order.sort(PythonJson.KEY_ORDER);
        // UTF-16 order would put the emoji (a surrogate pair) before U+FFFF
        assertEquals(List.of("B", "_", "a", "a1", "b", "é", "\uffff", "\ud83d\ude00"), order);
    }

    @Test
    void floatsAsPythonRepr() {
        assertEquals("1.0", PythonJson.floatRepr(1.0));
        assertEquals("0.1", PythonJson.floatRepr(0.1));
        assertEquals("-2.5", PythonJson.floatRepr(-2.5));
        assertEquals("0.0", PythonJson.floatRepr(0.0));
        assertEquals("-0.0", PythonJson.floatRepr(-0.0));
        assertEquals("1e+16", PythonJson.floatRepr(1e16));
        assertEquals("1000000000000000.0", PythonJson.floatRepr(1e15));
        assertEquals("1.5e+20", PythonJson.floatRepr(1.5e20));
        assertEquals("0.0001", PythonJson.floatRepr(1e-4));
        assertEquals("1e-05", PythonJson.floatRepr(1e-5));
        assertEquals("1.2345e-07", PythonJson.floatRepr(1.2345e-7));
        assertEquals("2e-323", PythonJson.floatRepr(2e-323));
        assertEquals("1.7976931348623157e+308", PythonJson.floatRepr(Double.MAX_VALUE));
        assertEquals("0.30000000000000004", PythonJson.floatRepr(0.1 + 0.2));
        assertEquals("1613117294.885", PythonJson.floatRepr(1613117294.885));
        assertEquals("NaN", PythonJson.floatRepr(Double.NaN));
        assertEquals("-Infinity", PythonJson.floatRepr(Double.NEGATIVE_INFINITY));
    }

    @Test
    void rejectsNonJsonValues() {
        assertThrows(IllegalArgumentException.class, () -> PythonJson.dump(new Object()));
        assertThrows(IllegalArgumentException.class, () -> PythonJson.dump(Map.of(1, 2)));
    }

    /** Cross-check against Python itself when python3 is installed. */
    @Test
    void sameAsPython(@TempDir Path tmp) throws IOException, InterruptedException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", List.of(1L, 2.5, 1e-7, 1e22, 123456.789, true, false));
        m.put("A", "caf\u00e9\n\t\"q\" \\ \ud83d\ude00 \u007f \u0001");
        m.put("_", Arrays.asList(null, Map.of(), List.of(), Map.of("y", Map.of("x", List.of()))));
        String ours = PythonJson.dump(m);
        Path in = tmp.resolve("in.json");
        Files.writeString(in, ours, StandardCharsets.UTF_8);
        Process p;
        try {
            p = new ProcessBuilder("python3", "-c",
                    "import json,sys; sys.stdout.write(json.dumps(json.load(open(sys.argv[1], encoding='utf-8')),"
                            + " indent=2, sort_keys=True, separators=(',', ': ')))", in.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            Assumptions.abort("python3 not available: " + e.getMessage());
            return;
        }
        String py = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), py);
        assertEquals(py, ours);
    }
}
