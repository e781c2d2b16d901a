package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.LongByReference;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Copies a file's bytes between two open descriptors, keeping holes (SEEK_DATA/SEEK_HOLE, like
 * GNU cp --sparse=auto). Data ranges go through copy_file_range(2) (in-kernel, no user-space
 * buffers) unless that could silently clone, then sendfile(2), then pread/pwrite as the plain copy.
 */
final class FileCopier {
    private static final long CHUNK = 1L << 30;
    private static final int BUFFER = 1 << 20;

    private enum Strategy { COPY_FILE_RANGE, SENDFILE, READ_WRITE }

    private final LibC libc;
    private Strategy strategy;
    private Memory buffer;

    FileCopier(LibC libc, boolean mayUseCopyFileRange) {
        this.libc = libc;
        this.strategy = mayUseCopyFileRange ? Strategy.COPY_FILE_RANGE : Strategy.SENDFILE;
    }

    void copy(int in, int out, long size, Path source, Path target) throws IOException {
        long pos = 0;
        while (pos < size) {
            long data = seek(in, pos, LibC.SEEK_DATA, size);
            if (data < 0 || data >= size) {
                break; // the rest is a hole
            }
            long hole = Math.min(size, Math.max(data + 1, seek(in, data, LibC.SEEK_HOLE, size)));
            copyRange(in, out, data, hole - data, source, target);
            pos = hole;
        }
        try {
            libc.ftruncate(out, size); // sets the size when the file ends in a hole
        } catch (LastErrorException e) {
            throw Errno.exception("ftruncate", target, null, e.getErrorCode());
        }
    }

    /** lseek for data/holes; -1 when no more data (ENXIO); the whole file is data when unsupported. */
    private long seek(int fd, long offset, int whence, long size) {
        try {
            return libc.lseek(fd, offset, whence);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ENXIO) {
                return whence == LibC.SEEK_DATA ? -1 : size;
            }
            return whence == LibC.SEEK_DATA ? offset : size;
        }
    }

    private void copyRange(int in, int out, long offset, long length, Path source, Path target) throws IOException {
        long done = 0;
        while (done < length) {
            long want = Math.min(CHUNK, length - done);
            long n;
            try {
                n = transfer(in, out, offset + done, want);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (strategy != Strategy.READ_WRITE && isUnsupported(errno)) {
                    strategy = strategy == Strategy.COPY_FILE_RANGE ? Strategy.SENDFILE : Strategy.READ_WRITE;
                    continue;
                }
                throw Errno.exception("copy", source, target, errno);
            }
            if (n == 0) {
                throw new IOException(source + ": file shrank while it was being copied to " + target);
            }
            done += n;
        }
    }

    private long transfer(int in, int out, long offset, long want) {
        switch (strategy) {
            case COPY_FILE_RANGE:
                return libc.copy_file_range(in, new LongByReference(offset), out, new LongByReference(offset), want, 0);
            case SENDFILE:
                libc.lseek(out, offset, LibC.SEEK_SET);
                return libc.sendfile(out, in, new LongByReference(offset), want);
            default:
                return readWrite(in, out, offset, want);
        }
    }

    private long readWrite(int in, int out, long offset, long want) {
        if (buffer == null) {
            buffer = new Memory(BUFFER);
        }
        long n = libc.pread(in, buffer, Math.min(BUFFER, want), offset);
        long written = 0;
        while (written < n) {
            Pointer slice = buffer.share(written);
            written += libc.pwrite(out, slice, n - written, offset + written);
        }
        return n;
    }

    /** Errors that mean "this syscall cannot do it here", not "the copy failed". */
    static boolean isUnsupported(int errno) {
        return errno == Errno.ENOSYS || errno == Errno.EOPNOTSUPP || errno == Errno.EXDEV
                || errno == Errno.EINVAL || errno == Errno.EBADF;
    }
}
