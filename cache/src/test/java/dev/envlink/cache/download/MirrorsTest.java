package dev.envlink.cache.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MirrorsTest {

    private static URI u(String s) {
        return URI.create(s);
    }

    @Test
    void noneReturnsTheSameUri() {
        URI x = u("https://conda.anaconda.org/conda-forge/noarch/a-1-0.conda");
        assertSame(x, Mirrors.none().resolve(x));
        assertTrue(Mirrors.none().isEmpty());
    }

    @Test
    void mapsByPrefixKeepingTheRest() {
        Mirrors m = new Mirrors(Map.of("https://conda.anaconda.org/conda-forge", "file:///srv/mirror/conda-forge"));
        assertEquals(u("file:///srv/mirror/conda-forge/linux-64/numpy-1.26.4-py312h8753938_0.conda"),
                m.resolve(u("https://conda.anaconda.org/conda-forge/linux-64/numpy-1.26.4-py312h8753938_0.conda")));
        assertEquals(u("file:///srv/mirror/conda-forge"), m.resolve(u("https://conda.anaconda.org/conda-forge")));
        assertEquals(u("file:///srv/mirror/conda-forge?x=1"), m.resolve(u("https://conda.anaconda.org/conda-forge?x=1")));
    }

    @Test
    void respectsPathBoundaries() {
        Mirrors m = new Mirrors(Map.of("https://conda.anaconda.org/conda-forge", "https://mirror.example/cf"));
        URI extra = u("https://conda.anaconda.org/conda-forge-extra/noarch/a-1-0.conda");
        assertSame(extra, m.resolve(extra));
        URI other = u("https://conda.anaconda.org/bioconda/noarch/a-1-0.conda");
        assertSame(other, m.resolve(other));
        URI otherHost = u("https://conda.anaconda.org.evil.example/conda-forge/x");
        assertSame(otherHost, m.resolve(otherHost));
    }

    @Test
    void longestPrefixWins() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("https://conda.anaconda.org", "https://all.example");
        map.put("https://conda.anaconda.org/conda-forge/", "https://cf.example/");
        map.put("https://conda.anaconda.org/conda-forge/noarch", "file:///noarch");
        Mirrors m = new Mirrors(map);
        assertEquals(u("file:///noarch/a-1-0.conda"), m.resolve(u("https://conda.anaconda.org/conda-forge/noarch/a-1-0.conda")));
        assertEquals(u("https://cf.example/linux-64/a-1-0.conda"), m.resolve(u("https://conda.anaconda.org/conda-forge/linux-64/a-1-0.conda")));
        assertEquals(u("https://all.example/bioconda/a"), m.resolve(u("https://conda.anaconda.org/bioconda/a")));
        assertEquals("https://conda.anaconda.org/conda-forge/noarch", m.mappings().keySet().iterator().next());
    }

    @Test
    void schemeAndHostAreCaseInsensitivePathIsNot() {
        Mirrors m = new Mirrors(Map.of("HTTPS://Conda.Anaconda.org/conda-forge/", "file:///m/"));
        assertEquals(u("file:///m/x.conda"), m.resolve(u("https://CONDA.anaconda.org/conda-forge/x.conda")));
        URI upperPath = u("https://conda.anaconda.org/Conda-Forge/x.conda");
        assertSame(upperPath, m.resolve(upperPath));
    }

    @Test
    void keepsPercentEncoding() {
        Mirrors m = new Mirrors(Map.of("https://h/c", "file:///srv/m"));
        assertEquals(u("file:///srv/m/a%20b.conda"), m.resolve(u("https://h/c/a%20b.conda")));
    }

    @Test
    void rejectsBadMappings() {
        assertThrows(IllegalArgumentException.class, () -> new Mirrors(Map.of("conda-forge", "file:///m")));
        assertThrows(IllegalArgumentException.class, () -> new Mirrors(Map.of("https://h/c", "/srv/mirror")));
        assertThrows(IllegalArgumentException.class, () -> new Mirrors(Map.of("https://h/c d", "file:///m")));
        Map<String, String> dup = new LinkedHashMap<>();
        dup.put("https://h/c", "file:///a");
        dup.put("https://h/c/", "file:///b");
        assertThrows(IllegalArgumentException.class, () -> new Mirrors(dup));
    }
}
