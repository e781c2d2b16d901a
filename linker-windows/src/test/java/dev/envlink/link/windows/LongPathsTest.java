package dev.envlink.link.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The \\?\ forms of drive and UNC paths, and back. */
class LongPathsTest {

    @Test
    void drivePaths() {
        assertEquals("\\\\?\\C:\\envs\\a\\lib\\x.dll", LongPaths.of("C:\\envs\\a\\lib\\x.dll"));
        assertEquals("\\\\?\\d:\\x", LongPaths.of("d:/x"), "forward slashes are not accepted after \\\\?\\");
        assertEquals("C:\\envs\\a", LongPaths.strip("\\\\?\\C:\\envs\\a"));
    }

    @Test
    void uncPaths() {
        assertEquals("\\\\?\\UNC\\server\\share\\pkgs\\a", LongPaths.of("\\\\server\\share\\pkgs\\a"));
        assertEquals("\\\\server\\share\\pkgs\\a", LongPaths.strip("\\\\?\\UNC\\server\\share\\pkgs\\a"));
    }

    @Test
    void alreadyPrefixedAndOtherPathsAreUnchanged() {
        assertEquals("\\\\?\\Volume{1}\\x", LongPaths.of("\\\\?\\Volume{1}\\x"));
        assertEquals("\\\\.\\PhysicalDrive0", LongPaths.of("\\\\.\\PhysicalDrive0"));
        assertEquals("relative\\x", LongPaths.of("relative\\x"));
        assertEquals("/tmp/x", LongPaths.of("/tmp/x"), "not a Windows path (tests on Linux use these)");
        assertEquals("\\\\?\\Volume{1}\\", LongPaths.strip("\\\\?\\Volume{1}\\"), "a GUID path has no short form");
    }

    @Test
    void longPathsKeepTheirLength() {
        String deep = "C:\\" + "d123456789\\".repeat(40) + "file.txt";
        assertTrue(deep.length() > 260);
        assertEquals(deep.length() + 4, LongPaths.of(deep).length());
        assertTrue(LongPaths.isDrivePath("Z:\\"));
        assertFalse(LongPaths.isDrivePath("C:"));
        assertFalse(LongPaths.isDrivePath("1:\\"));
    }
}
