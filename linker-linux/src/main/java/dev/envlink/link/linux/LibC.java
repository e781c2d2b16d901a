package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;

/**
 * The few glibc calls the provider needs, bound by {@link DirectLibC}. off_t, ssize_t and size_t
 * are Java long, which is right on the 64-bit targets the provider accepts (it declares itself
 * unavailable elsewhere). Errors arrive as {@link LastErrorException} carrying errno.
 */
interface LibC {
    int open(String path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int ioctl(int fd, NativeLong request, int arg) throws LastErrorException;

    int ioctl(int fd, NativeLong request, Pointer arg) throws LastErrorException;

    int statfs(String path, Statfs buf) throws LastErrorException;

    int link(String oldpath, String newpath) throws LastErrorException;

    long lseek(int fd, long offset, int whence) throws LastErrorException;

    long copy_file_range(int fdIn, LongByReference offIn, int fdOut, LongByReference offOut, long len, int flags)
            throws LastErrorException;

    long sendfile(int outFd, int inFd, LongByReference offset, long count) throws LastErrorException;

    long pread(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    long pwrite(int fd, Pointer buf, long count, long offset) throws LastErrorException;

    int ftruncate(int fd, long length) throws LastErrorException;

    int SEEK_SET = 0;
    int SEEK_DATA = 3;
    int SEEK_HOLE = 4;
}
