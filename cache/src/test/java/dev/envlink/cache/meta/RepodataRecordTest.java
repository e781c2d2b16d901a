package dev.envlink.cache.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.envlink.cache.PackageFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepodataRecordTest {

    /** Keys of a conda-meta PrefixRecord that are not repodata fields (added when linking). */
    private static final Set<String> PREFIX_ONLY = Set.of("files", "paths_data", "link", "extracted_package_dir",
            "package_tarball_full_path", "requested_spec", "requested_specs");
    /** What fromIndex adds to the index fields. */
    private static final List<String> ADDED = List.of("channel", "fn", "md5", "sha256", "size", "url");

    @TempDir
    Path tmp;

    private IndexJson condaIndex() throws IOException {
        Path pkg = Corpus.packageDirWith(tmp, "conda-22.11.1-py38haa244fe_1",
                Corpus.packageMetadata("conda-22.11.1-py38haa244fe_1-index.json"));
        return IndexJson.read(pkg.resolve("info"));
    }

    private int counter;

    private IndexJson index(String json) throws IOException {
        Path info = tmp.resolve("idx" + counter++).resolve("info");
        Files.createDirectories(info);
        Files.writeString(info.resolve("index.json"), json);
        return IndexJson.read(info);
    }

    @Test
    void fromIndexAddsSourceFieldsAndSortsKeys() throws IOException {
        IndexJson idx = index("{\"version\": \"1.0\", \"name\": \"zlib\", \"build_number\": 2, \"build\": \"h0_2\","
                + " \"depends\": [\"libc\"], \"md5\": \"stale\", \"Zeta\": 1, \"_underscore\": true}");
        RepodataRecord r = RepodataRecord.fromIndex(idx, "zlib-1.0-h0_2.conda",
                "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.0-h0_2.conda",
                "https://conda.anaconda.org/conda-forge/linux-64", "0123456789abcdef0123456789abcdef",
                "ab".repeat(32), 1234);
        // Python sorts by code point: upper case before '_' before lower case
        assertEquals(List.of("Zeta", "_underscore", "build", "build_number", "channel", "depends", "fn", "md5", "name",
                "sha256", "size", "url", "version"), List.copyOf(r.fields().keySet()));
        assertEquals("0123456789abcdef0123456789abcdef", r.md5()); // replaces the index's own md5
        assertEquals(Optional.of(1234L), r.size());
        assertEquals("zlib", r.name());
        assertEquals("1.0", r.version());
        assertEquals("h0_2", r.build());
        assertEquals("zlib-1.0-h0_2.conda", r.fn());
        assertEquals("""
                {
                  "Zeta": 1,
                  "_underscore": true,
                  "build": "h0_2",
                  "build_number": 2,
                  "channel": "https://conda.anaconda.org/conda-forge/linux-64",
                  "depends": [
                    "libc"
                  ],
                  "fn": "zlib-1.0-h0_2.conda",
                  "md5": "0123456789abcdef0123456789abcdef",
                  "name": "zlib",
                  "sha256": "abababababababababababababababababababababababababababababababab",
                  "size": 1234,
                  "url": "https://conda.anaconda.org/conda-forge/linux-64/zlib-1.0-h0_2.conda",
                  "version": "1.0"
                }""", r.toJson());
    }

    @Test
    void nullSourceFieldsAreLeftOut() throws IOException {
        RepodataRecord r = RepodataRecord.fromIndex(index("{\"name\": \"a\", \"version\": \"1\", \"build\": \"0\", \"build_number\": 0}"),
                "a-1-0.tar.bz2", null, null, null, null, 7);
        assertEquals(List.of("build", "build_number", "fn", "name", "size", "version"), List.copyOf(r.fields().keySet()));
    }

    @Test
    void writeAndReadRoundTrip() throws IOException {
        IndexJson idx = condaIndex();
        RepodataRecord r = RepodataRecord.fromIndex(idx, "conda-22.11.1-py38haa244fe_1.conda",
                "https://conda.anaconda.org/conda-forge/win-64/conda-22.11.1-py38haa244fe_1.conda",
                "https://conda.anaconda.org/conda-forge/win-64", "9987c96161034575f5a9c2be848960c5",
                "a8a44c5ff2b2f423546d49721ba2e3e632233c74a813c944adf8e5742834930e", 928900);
        Path info = tmp.resolve("conda-22.11.1-py38haa244fe_1/info");
        r.write(info);
        Path file = info.resolve("repodata_record.json");
        assertEquals(r.toJson(), Files.readString(file, StandardCharsets.UTF_8));
        RepodataRecord back = RepodataRecord.read(info).orElseThrow();
        assertEquals(r, back);
        assertEquals(List.copyOf(r.fields().keySet()), List.copyOf(back.fields().keySet()));
        // every index field is there with its value, in sorted order
        for (Map.Entry<String, Object> e : idx.raw().entrySet()) {
            assertEquals(e.getValue(), back.fields().get(e.getKey()), e.getKey());
        }
        List<String> keys = new ArrayList<>(back.fields().keySet());
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(PythonJson.KEY_ORDER);
        assertEquals(sorted, keys);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void writeReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path info = tmp.resolve("p/info");
        Files.createDirectories(info);
        Files.writeString(info.resolve("repodata_record.json"), "{\"old\": true}");
        RepodataRecord r = new RepodataRecord(Map.of("name", "p"));
        r.write(info);
        assertEquals("{\n  \"name\": \"p\"\n}", Files.readString(info.resolve("repodata_record.json")));
        try (var s = Files.list(info)) {
            assertEquals(List.of("repodata_record.json"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void writeFailureLeavesNothingBehind() {
        Path missing = tmp.resolve("no/such/info");
        assertThrows(IOException.class, () -> new RepodataRecord(Map.of()).write(missing));
    }

    @Test
    void readAbsentOrMalformed() throws IOException {
        Path info = tmp.resolve("p/info");
        Files.createDirectories(info);
        assertEquals(Optional.empty(), RepodataRecord.read(info));
        Files.writeString(info.resolve("repodata_record.json"), "{\"name\": ");
        PackageFormatException e = assertThrows(PackageFormatException.class, () -> RepodataRecord.read(info));
        assertTrue(e.getMessage().contains("info/repodata_record.json: malformed JSON"), e.getMessage());
    }

    @Test
    void readKeepsFileOrder() throws IOException {
        Path info = tmp.resolve("p/info");
        Files.createDirectories(info);
        Files.writeString(info.resolve("repodata_record.json"), "{\"url\": \"u\", \"name\": \"n\", \"size\": 3}");
        RepodataRecord r = RepodataRecord.read(info).orElseThrow();
        assertEquals(List.of("url", "name", "size"), List.copyOf(r.fields().keySet()));
        assertEquals("u", r.url());
    }

    /**
     * conda-meta records (PrefixRecords written by conda and micromamba) are repodata records plus
     * prefix fields: rebuilding each one's repodata part through fromIndex gives only keys (and
     * values) that conda wrote there.
     */
    @Test
    void fieldsMatchRealCondaMetaRecords() throws IOException {
        int checked = 0;
        try (var s = Files.list(Corpus.condaMeta())) {
            for (Path f : s.sorted().toList()) {
                if (Files.size(f) == 0) {
                    continue; // rust-1.88.0-h1a8d7c4_0.json is empty in the corpus
                }
                Map<String, Object> record = MetaFile.toMap(new ObjectMapper().readTree(f.toFile()));
                for (String k : ADDED) {
                    assertTrue(record.containsKey(k), f.getFileName() + " lacks " + k);
                }
                Map<String, Object> indexPart = new LinkedHashMap<>(record);
                indexPart.keySet().removeAll(PREFIX_ONLY);
                indexPart.keySet().removeAll(ADDED);
                IndexJson idx = index(new ObjectMapper().writeValueAsString(indexPart));
                RepodataRecord r = RepodataRecord.fromIndex(idx, (String) record.get("fn"), (String) record.get("url"),
                        (String) record.get("channel"), (String) record.get("md5"), (String) record.get("sha256"),
                        (Long) record.get("size"));
                Set<String> extra = new TreeSet<>(r.fields().keySet());
                extra.removeAll(record.keySet());
                assertEquals(Set.of(), extra, f.getFileName() + ": keys conda does not write");
                for (Map.Entry<String, Object> e : r.fields().entrySet()) {
                    assertEquals(record.get(e.getKey()), e.getValue(), f.getFileName() + " " + e.getKey());
                }
                checked++;
            }
        }
        assertTrue(checked >= 40, "checked " + checked);
    }

    /** Records written by conda itself (sorted, indent 2) come out byte for byte the same. */
    @Test
    void condaWrittenRecordsReserialiseIdentically() throws IOException {
        for (String name : List.of("libsqlite-3.40.0-hcfcfb64_0.json", "pip-23.0-pyhd8ed1ab_0.json",
                "tk-8.6.12-h8ffe710_0.json", "vc-14.3-hb6edc58_10.json", "wheel-0.38.4-pyhd8ed1ab_0.json")) {
            Path f = Corpus.condaMeta().resolve(name);
            String text = Files.readString(f, StandardCharsets.UTF_8);
            Map<String, Object> m = MetaFile.toMap(new ObjectMapper().readTree(text));
            assertEquals(text.stripTrailing(), new RepodataRecord(m).toJson(), name);
        }
    }

    @Test
    void fieldsAreImmutable() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("depends", new ArrayList<>(List.of("a")));
        RepodataRecord r = new RepodataRecord(m);
        m.put("x", 1);
        assertFalse(r.fields().containsKey("x"));
        assertThrows(UnsupportedOperationException.class, () -> r.fields().put("y", 2));
        @SuppressWarnings("unchecked")
        List<Object> deps = (List<Object>) r.fields().get("depends");
        assertThrows(UnsupportedOperationException.class, () -> deps.add("b"));
    }
}
