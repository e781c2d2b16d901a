package dev.envlink.cache.download;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChecksumsTest {

    static final String SHA = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
    static final String MD5 = "098f6bcd4621d373cade4e832627b4f6";

    @Test
    void storesLowercaseHex() {
        Checksums c = Checksums.sha256(SHA);
        assertEquals(Optional.of(SHA.toLowerCase()), c.sha256());
        assertEquals(Optional.empty(), c.md5());
        assertEquals(Checksums.sha256(SHA.toLowerCase()), c);
        assertEquals(Optional.of(MD5), Checksums.md5(" " + MD5.toUpperCase() + " ").md5());
    }

    @Test
    void noneAndOf() {
        assertTrue(Checksums.none().isEmpty());
        assertTrue(Checksums.of(null, "").isEmpty());
        Checksums both = Checksums.of(SHA, MD5);
        assertEquals(SHA.toLowerCase(), both.sha256().orElseThrow());
        assertEquals(MD5, both.md5().orElseThrow());
    }

    @Test
    void rejectsWrongLengthAndNonHex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checksums.sha256("abc"));
        assertTrue(e.getMessage().contains("64 hex digits"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checksums.sha256(MD5));
        assertThrows(IllegalArgumentException.class, () -> Checksums.md5(SHA));
        assertThrows(IllegalArgumentException.class, () -> Checksums.md5("g98f6bcd4621d373cade4e832627b4f6"));
        assertThrows(NullPointerException.class, () -> new Checksums(null, Optional.empty()));
    }

    @Test
    void requestNeedsAbsoluteUrlAndFileName() {
        assertThrows(IllegalArgumentException.class, () -> new DownloadRequest(URI.create("pkgs/x.conda"), Path.of("x")));
        assertThrows(IllegalArgumentException.class, () -> new DownloadRequest(URI.create("https://h/x"), Path.of("/")));
        assertEquals(Checksums.none(), new DownloadRequest(URI.create("https://h/x"), Path.of("x")).expected());
    }
}
