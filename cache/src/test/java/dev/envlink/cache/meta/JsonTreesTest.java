package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The streaming readers give what Jackson's data-binding mapper gives, on crafted and real documents. */
class JsonTreesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final List<String> DOCUMENTS = List.of(
            "{}", "[]", "{\"a\": 1}", "[1, 2.5, -3, 1e300, 4E-7, 0.1]", "\"text\"", "42", "true", "null",
            "{\"n\": 2147483647, \"m\": 2147483648, \"l\": 9223372036854775807, \"b\": 92233720368547758070}",
            "{\"neg\": -2147483649, \"f\": -0.0, \"e\": 1.0}",
            "{\"s\": \"\\u00e9\\ud83d\\ude00 \\\" \\\\ \\n\\t\", \"\\u00fcber\": [null, true, false]}",
            "{\"dup\": 1, \"x\": {}, \"dup\": [2]}",
            "{\"deep\": {\"a\": [{\"b\": [[], {}, [1, [2, [3]]]]}]}}",
            "  \n {\"space\" : [ 1 , 2 ] }  \n");

    private static final List<String> MALFORMED = List.of(
            "{", "[1, 2", "{\"a\" 1}", "{\"a\": 1,}", "{\"a\": tru}", "{} {}", "[1] 2", "{\"a\": 1}}", "'x'", "{a: 1}");

    @Test
    void treesMatchTheMapper() throws IOException {
        for (String doc : DOCUMENTS) {
            byte[] b = doc.getBytes(StandardCharsets.UTF_8);
            assertEquals(MAPPER.readTree(b), JsonTrees.readTree(b), doc);
            assertEquals(MAPPER.readValue(b, Object.class), JsonTrees.readValue(b), doc);
        }
        JsonNode n = JsonTrees.readTree("{\"i\": 1, \"l\": 5000000000, \"d\": 1.5}".getBytes(StandardCharsets.UTF_8));
        assertTrue(n.get("i").isInt() && n.get("l").isLong() && n.get("d").isDouble(), "the mapper's node types");
        assertTrue(JsonTrees.readTree(new byte[0]).isMissingNode());
        assertTrue(JsonTrees.readTree("  ".getBytes(StandardCharsets.UTF_8)).isMissingNode());
    }

    @Test
    void malformedDocumentsFailWithALocation() {
        for (String doc : MALFORMED) {
            byte[] b = doc.getBytes(StandardCharsets.UTF_8);
            assertThrows(JsonProcessingException.class, () -> MAPPER.readTree(b), doc);
            JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> JsonTrees.readTree(b), doc);
            assertTrue(e.getLocation() != null && e.getLocation().getLineNr() >= 1, doc);
            assertThrows(JsonProcessingException.class, () -> JsonTrees.readValue(b), doc);
        }
        assertThrows(JsonProcessingException.class, () -> JsonTrees.readValue(new byte[0]));
    }

    @Test
    void realMetadataAndRecordsMatchTheMapper() throws IOException {
        Path root = Path.of(System.getProperty("envlink.conformance", "../../shared/conformance"));
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("conda-meta", "package-metadata")) {
            Path d = root.resolve(dir);
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.toString().endsWith(".json")).forEach(files::add);
                }
            }
        }
        if (files.isEmpty() && "1".equals(System.getenv("ENVLINK_REQUIRE_FS_TESTS"))) {
            throw new AssertionError("conformance corpus missing at " + root.toAbsolutePath());
        }
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            assertEquals(MAPPER.readTree(b), JsonTrees.readTree(b), f.toString());
            if (new String(b, StandardCharsets.UTF_8).isBlank()) { // the corpus has an empty record
                assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(b, Object.class));
                assertThrows(JsonProcessingException.class, () -> JsonTrees.readValue(b));
                continue;
            }
            assertEquals(MAPPER.readValue(b, Object.class), JsonTrees.readValue(b), f.toString());
        }
    }
}
