package dev.envlink.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeviceIdsTest {

    /** glibc's makedev: the inverse of gnu_dev_major/gnu_dev_minor. */
    private static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xffL) | ((minor & ~0xffL) << 12);
    }

    @Test
    void classicSmallDeviceNumbers() {
        assertEquals("8:3", DeviceIds.linuxMajorMinor(0x803));   // /dev/sda3
        assertEquals("0:0", DeviceIds.linuxMajorMinor(0));
        assertEquals("254:0", DeviceIds.linuxMajorMinor(0xfe00)); // /dev/vda
        assertEquals("0:45", DeviceIds.linuxMajorMinor(45));      // an anonymous device (tmpfs, btrfs subvolume)
    }

    @Test
    void largeDeviceNumbersUseTheHighBits() {
        // major 259 (NVMe partitions), minor 300: the minor does not fit in 8 bits.
        assertEquals(0x11032cL, makedev(259, 300)); // 0x103 << 8 | 0x2c | 0x100 << 12
        assertEquals("259:300", DeviceIds.linuxMajorMinor(0x11032cL));
        // Both numbers wider than the old 8/12-bit fields, so the bits above 32 are used.
        long dev = makedev(0x12345, 0xabcdef);
        assertTrue(dev >>> 32 != 0, "the encoding uses the high word");
        assertEquals((0x12345) + ":" + (0xabcdef), DeviceIds.linuxMajorMinor(dev));
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "8, 3", "259, 0", "4095, 255", "4096, 256", "65535, 1048575", "4294967295, 4294967295"})
    void roundTripsGlibcEncoding(long major, long minor) {
        assertEquals(major + ":" + minor, DeviceIds.linuxMajorMinor(makedev(major, minor)));
    }

    @Test
    void pathsInOneDirectoryShareADevice(@TempDir Path dir) throws IOException {
        Path a = Files.writeString(dir.resolve("a"), "a");
        Path sub = Files.createDirectories(dir.resolve("sub"));

        String id = DeviceIds.of(a);

        assertEquals(id, DeviceIds.of(dir));
        assertEquals(id, DeviceIds.of(sub));
    }

    @Test
    void onLinuxTheIdIsMajorMinorOfStDev(@TempDir Path dir) throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).startsWith("linux"), "Linux only");
        long dev = (Long) Files.getAttribute(dir, "unix:dev");

        String id = DeviceIds.of(dir);

        assertTrue(id.matches("\\d+:\\d+"), id);
        assertEquals(DeviceIds.linuxMajorMinor(dev), id);
    }

    @org.junit.jupiter.api.Test
    void volumeKeyFallsBackToTheStoreNameWithoutAVolumeSerial() throws java.io.IOException {
        java.nio.file.FileStore store = java.nio.file.Files.getFileStore(java.nio.file.Path.of("."));
        String key = DeviceIds.volumeKey(store);
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            org.junit.jupiter.api.Assertions.assertTrue(key.matches("[0-9a-f]{8}"), key);
        } else {
            org.junit.jupiter.api.Assertions.assertEquals(store.name(), key);
        }
    }
}
