package dev.envlink.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class ModeBitsTest {
    @Test
    void modeBitsBecomeNioPermissions() {
        assertEquals(PosixFilePermissions.fromString("rwxr-x--x"), ModeBits.permissions(0751));
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"), ModeBits.permissions(0100644), "type bits ignored");
        assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), ModeBits.permissions(04755), "setuid never carried");
        assertEquals(PosixFilePermissions.fromString("---------"), ModeBits.permissions(0));
        assertSame(ModeBits.permissions(0644), ModeBits.permissions(0644), "shared, immutable");
    }
}
