package dev.envlink.env.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PackageRefTest {
    @Test
    void distNameStripsTheArchiveSuffix() {
        assertEquals("numpy-1.26.4-py311h_0", ref("numpy-1.26.4-py311h_0.conda").distName());
        assertEquals("xz-5.2.6-h166bdaf_0", ref("xz-5.2.6-h166bdaf_0.tar.bz2").distName());
    }

    @Test
    void hashesAreLowerCaseAndExtraIsACopy() {
        Map<String, Object> extra = new HashMap<>();
        extra.put("name", "a");
        PackageRef p = new PackageRef(URI.create("https://x.org/c/noarch/a-1-0.conda"), "a-1-0.conda",
                Optional.of("ABCDEF"), Optional.of("0A"), Optional.empty(), Optional.empty(), extra);
        extra.put("name", "changed");
        assertEquals(Optional.of("abcdef"), p.sha256());
        assertEquals(Optional.of("0a"), p.md5());
        assertEquals("a", p.extra().get("name"));
        assertThrows(UnsupportedOperationException.class, () -> p.extra().put("x", 1));
    }

    @Test
    void nameVersionBuildFromDistNames() {
        assertEquals(Map.of("name", "python_abi", "version", "3.13", "build", "5_cp313"),
                CondaNames.nameVersionBuild("python_abi-3.13-5_cp313"));
        assertEquals(Map.of("name", "font-ttf-dejavu-sans-mono", "version", "2.37", "build", "hab24e00_0"),
                CondaNames.nameVersionBuild("font-ttf-dejavu-sans-mono-2.37-hab24e00_0"));
        assertEquals(Map.of(), CondaNames.nameVersionBuild("nodashes"));
        assertEquals(Map.of(), CondaNames.nameVersionBuild("one-dash"));
    }

    @Test
    void urlParts() {
        CondaNames.UrlParts parts = CondaNames.split(
                URI.create("https://conda.anaconda.org/t/tk-123/conda-forge/linux-aarch64/a%2Bb-1-0.conda"));
        assertEquals("a+b-1-0.conda", parts.fileName());
        assertEquals(Optional.of("linux-aarch64"), parts.subdir());
        assertEquals(Optional.of("https://conda.anaconda.org/t/tk-123/conda-forge"), parts.channel());
    }

    private static PackageRef ref(String fileName) {
        return new PackageRef(URI.create("https://x.org/c/linux-64/" + fileName), fileName, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Map.of());
    }
}
