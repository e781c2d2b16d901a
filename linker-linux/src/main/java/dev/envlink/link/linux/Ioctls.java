package dev.envlink.link.linux;

/**
 * ioctl request numbers, computed the way asm-generic/ioctl.h does: direction in bits 30-31, the
 * argument size in bits 16-29, the type character in bits 8-15, the number in bits 0-7.
 */
final class Ioctls {
    static final int IOC_WRITE = 1;
    static final int IOC_READ = 2;

    /** FICLONE = _IOW(0x94, 9, int): clone all of the source fd into the destination fd (linux/fs.h). */
    static final long FICLONE = iow(0x94, 9, 4);
    /** FS_IOC_FIEMAP = _IOWR('f', 11, struct fiemap), struct fiemap being 32 bytes (linux/fs.h). */
    static final long FS_IOC_FIEMAP = iowr('f', 11, Fiemap.HEADER_SIZE);

    private Ioctls() {
    }

    static long ioc(int dir, int type, int nr, int size) {
        return ((long) dir << 30) | ((long) size << 16) | ((long) type << 8) | nr;
    }

    static long iow(int type, int nr, int size) {
        return ioc(IOC_WRITE, type, nr, size);
    }

    static long iowr(int type, int nr, int size) {
        return ioc(IOC_READ | IOC_WRITE, type, nr, size);
    }
}
