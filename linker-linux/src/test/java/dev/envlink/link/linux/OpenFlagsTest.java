package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** O_NOFOLLOW is the one open flag that differs between the architectures the JVM runs on. */
class OpenFlagsTest {

    @Test
    void x86() {
        assertEquals(0400000, OpenFlags.noFollow("amd64"));
        assertEquals(0400000, OpenFlags.noFollow("x86_64"));
    }

    @Test
    void arm() {
        assertEquals(0100000, OpenFlags.noFollow("aarch64"));
        assertEquals(0100000, OpenFlags.noFollow("arm"));
    }

    @Test
    void powerpc() {
        // arch/powerpc/include/uapi/asm/fcntl.h: O_NOFOLLOW 0100000; 0400000 there is O_DIRECT.
        assertEquals(0100000, OpenFlags.noFollow("ppc64le"));
        assertEquals(0100000, OpenFlags.noFollow("ppc64"));
    }

    @Test
    void genericArchitectures() {
        assertEquals(0400000, OpenFlags.noFollow("riscv64"));
        assertEquals(0400000, OpenFlags.noFollow("s390x"));
        assertEquals(0400000, OpenFlags.noFollow(null));
    }

    @Test
    void sourceAndTargetFlags() {
        assertEquals(OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC | OpenFlags.noFollow(System.getProperty("os.arch"))
                | 04000, OpenFlags.SOURCE);
        assertEquals(01 | 0100 | 0200 | 02000000, OpenFlags.NEW_TARGET);
    }
}
