package dev.envlink.env.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubdirsTest {
    @ParameterizedTest
    @CsvSource({
            "Linux, amd64, linux-64",
            "Linux, x86_64, linux-64",
            "Linux, aarch64, linux-aarch64",
            "Linux, ppc64le, linux-ppc64le",
            "Linux, s390x, linux-s390x",
            "Linux, riscv64, linux-riscv64",
            "Linux, x86, linux-32",
            "Mac OS X, x86_64, osx-64",
            "Mac OS X, aarch64, osx-arm64",
            "Windows 11, amd64, win-64",
            "Windows Server 2022, amd64, win-64",
            "Windows 11, aarch64, win-arm64",
            "Windows 10, x86, win-32",
            "FreeBSD, amd64, freebsd-64",
    })
    void mapsJavaPropertiesToCondaSubdirs(String os, String arch, String subdir) {
        assertEquals(Optional.of(subdir), Subdirs.of(os, arch));
        assertTrue(Subdirs.isKnown(subdir));
    }

    @Test
    void unknownPairsHaveNoSubdir() {
        assertEquals(Optional.empty(), Subdirs.of("SunOS", "sparcv9"));
        assertEquals(Optional.empty(), Subdirs.of("Linux", "mips"));
        assertEquals(Optional.empty(), Subdirs.of("Mac OS X", "ppc"));
    }

    @Test
    void currentIsAKnownSubdirOnSupportedMachines() {
        Optional<String> expected = Subdirs.of(System.getProperty("os.name"), System.getProperty("os.arch"));
        expected.ifPresent(s -> assertEquals(s, Subdirs.current()));
        assertTrue(Subdirs.isKnown("noarch"));
        assertFalse(Subdirs.isKnown("conda-forge"));
    }
}
