package dev.envlink.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --json text is what Jackson's INDENT_OUTPUT mapper writes, whichever way it is produced. */
class JsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void plainValuesAsTheMapperWritesThem() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "t\u00e9xt \"q\" \\ \n\t\u0001 \ud83d\ude00");
        m.put("i", 1);
        m.put("l", 5_000_000_000L);
        m.put("d", 0.1);
        m.put("f", 1.5f);
        m.put("big", new BigInteger("123456789012345678901234567890"));
        m.put("dec", new BigDecimal("1.50"));
        m.put("b", true);
        m.put("n", null);
        m.put("empty", Map.of());
        m.put("list", Arrays.asList(1, "two", null, List.of(), List.of(3, List.of(4)), Map.of("k", false)));
        m.put("phases", new LinkedHashMap<>(Map.of("place files", 0.8123)));
        List<Object> values = new ArrayList<>(List.of(m, List.of(), Map.of(), "x", 7, 2.0, false));
        values.add(null);
        for (Object v : values) {
            assertEquals(MAPPER.writeValueAsString(v), Json.toJson(v), String.valueOf(v));
        }
    }

    @Test
    void otherValuesGoThroughTheMapper() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", Path.of("/tmp/x"));
        m.put("enum", java.time.DayOfWeek.MONDAY);
        assertEquals(MAPPER.writeValueAsString(m), Json.toJson(m));
        Map<Object, Object> keys = new LinkedHashMap<>();
        keys.put(1, "int key");
        assertEquals(MAPPER.writeValueAsString(keys), Json.toJson(keys));
    }
}
