package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/**
 * {@link LibC} through JNA direct mapping. Interface mapping (Native.load) costs a reflective
 * proxy call, measured here at 10-30 µs per call; a tree of 8 000 files makes about ten calls
 * per file, so the hot path binds the same functions as static natives (JNI-speed calls).
 */
final class DirectLibC implements LibC {

    /** Registering happens when this class is first used, never when the provider is built. */
    private static final class C {
        static {
            Native.register("c");
        }

        static void init() {
            // Calling this runs the static initializer above.
        }

        static native int open(String path, int flags, int mode) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int ioctl(int fd, NativeLong request, int arg) throws LastErrorException;

        static native int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

        static native int statfs(String path, Statfs buf) throws LastErrorException;

        static native int link(String oldpath, String newpath) throws LastErrorException;

        static native long lseek(int fd, long offset, int whence) throws LastErrorException;

        static native long copy_file_range(int fdIn, LongByReference offIn, int fdOut, LongByReference offOut,
                                           long len, int flags) throws LastErrorException;

        static native long sendfile(int outFd, int inFd, LongByReference offset, long count)
                throws LastErrorException;

        static native long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

        static native long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException;

        static native int ftruncate(int fd, long length) throws LastErrorException;
    }

    private DirectLibC() {
    }

    /** Registers the natives (once) and returns the binding. */
    static LibC bind() {
        C.init();
        return new DirectLibC();
    }

    @Override
    public int open(String path, int flags, int mode) {
        return C.open(path, flags, mode);
    }

    @Override
    public int close(int fd) {
        return C.close(fd);
    }

    @Override
    public int ioctl(int fd, NativeLong request, int arg) {
        return C.ioctl(fd, request, arg);
    }

    @Override
    public int ioctl(int fd, NativeLong request, Pointer arg) {
        return C.ioctl(fd, request, arg);
    }

    @Override
    public int statfs(String path, Statfs buf) {
        return C.statfs(path, buf);
    }

    @Override
    public int link(String oldpath, String newpath) {
        return C.link(oldpath, newpath);
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        return C.lseek(fd, offset, whence);
    }

    @Override
    public long copy_file_range(int fdIn, LongByReference offIn, int fdOut, LongByReference offOut, long len,
                                int flags) {
        return C.copy_file_range(fdIn, offIn, fdOut, offOut, len, flags);
    }

    @Override
    public long sendfile(int outFd, int inFd, LongByReference offset, long count) {
        return C.sendfile(outFd, inFd, offset, count);
    }

    @Override
    public long pread(int fd, Pointer buf, long count, long offset) {
        return C.pread(fd, buf, count, offset);
    }

    @Override
    public long pwrite(int fd, Pointer buf, long count, long offset) {
        return C.pwrite(fd, buf, count, offset);
    }

    @Override
    public int ftruncate(int fd, long length) {
        return C.ftruncate(fd, length);
    }
}
