package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordedMethodsTest {
    private static Map<String, Object> record(List<String> files, Map<String, Object> envlink) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("files", files);
        r.put("envlink", envlink);
        return r;
    }

    @Test
    void theCommonMethodIsWrittenOnceAndTheOthersByPath() {
        Map<String, String> placed = new LinkedHashMap<>();
        placed.put("bin/tool", "rewritten");
        placed.put("lib/a.so", "reflink");
        placed.put("lib/b.so", "reflink");
        placed.put("lib/c.so", "copy");
        RecordedMethods.Split split = RecordedMethods.split(placed);
        assertEquals("reflink", split.common());
        assertEquals(Map.of("bin/tool", "rewritten", "lib/c.so", "copy"), split.others());

        RecordedMethods read = RecordedMethods.of(record(List.copyOf(placed.keySet()),
                Map.of("link_method", split.common(), "link_methods", split.others())));
        placed.forEach((path, method) -> assertEquals(method, read.of(path), path));
        assertNull(read.of("lib"), "a directory, or any path not among the files, has no method");
        assertEquals(Map.of("reflink", 2, "rewritten", 1, "copy", 1), read.counts());
    }

    @Test
    void aRecordOfAnEarlierVersionNamesEveryFile() {
        RecordedMethods read = RecordedMethods.of(record(List.of("a", "b"),
                Map.of("link_methods", Map.of("a", "hardlink", "b", "copy"))));
        assertEquals("hardlink", read.of("a"));
        assertEquals("copy", read.of("b"));
        assertEquals(Map.of("hardlink", 1, "copy", 1), read.counts());
    }

    @Test
    void aRecordWithoutEnvlinkFieldsHasNoMethods() {
        RecordedMethods read = RecordedMethods.of(Map.of("files", List.of("a")));
        assertNull(read.of("a"));
        assertEquals(Map.of(), read.counts());
        assertEquals(new RecordedMethods.Split(null, Map.of()), RecordedMethods.split(Map.of()));
    }
}
