package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Request numbers as linux/fs.h defines them on every architecture with asm-generic/ioctl.h. */
class IoctlsTest {

    @Test
    void ficlone() {
        assertEquals(0x40049409L, Ioctls.FICLONE);
    }

    @Test
    void fiemap() {
        assertEquals(0xC020660BL, Ioctls.FS_IOC_FIEMAP);
    }

    @Test
    void encodingFollowsAsmGenericIoctl() {
        // _IOR('f', 1, long) = FS_IOC_GETFLAGS on 64-bit: 0x80086601.
        assertEquals(0x80086601L, Ioctls.ioc(Ioctls.IOC_READ, 'f', 1, 8));
        // _IOW(0x94, 13, struct file_clone_range) = FICLONERANGE: 0x4020940d.
        assertEquals(0x4020940DL, Ioctls.iow(0x94, 13, 32));
        // A request number must stay positive as a long (it is passed as an unsigned long).
        assertEquals(0xC020660BL, Ioctls.iowr('f', 11, Fiemap.HEADER_SIZE) & 0xFFFFFFFFL);
    }

    @Test
    void fiemapLayoutMatchesLinuxFiemapH() {
        assertEquals(32, Fiemap.HEADER_SIZE);
        assertEquals(56, Fiemap.EXTENT_SIZE);
        assertEquals(16, Fiemap.OFF_FLAGS);
        assertEquals(20, Fiemap.OFF_MAPPED);
        assertEquals(24, Fiemap.OFF_COUNT);
        assertEquals(16, Fiemap.EXT_OFF_LENGTH);
        assertEquals(40, Fiemap.EXT_OFF_FLAGS);
        assertEquals(0x2000, Fiemap.EXTENT_SHARED);
        assertEquals(0x1, Fiemap.EXTENT_LAST);
    }
}
