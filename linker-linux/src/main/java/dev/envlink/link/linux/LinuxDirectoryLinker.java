package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import dev.envlink.link.DirectoryLinker;
import dev.envlink.link.LinkMethod;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Hardlinks (statx, linkat) and reflinks (openat, fstatx, FICLONE, attributes by descriptor)
 * between two open directories, by name, each only from a regular file of the size the package
 * records (the cache entry is checked as it is used). The kernel resolves one name per file instead of the whole path, and no
 * Path or String conversion happens per file beyond the name's bytes; a 51 000-file install spends
 * most of its time here. Any failure leaves nothing behind and answers false: the engine then
 * takes the ordinary path for that file, which reports the precise decline or error.
 */
final class LinuxDirectoryLinker implements DirectoryLinker {
    private static final NativeLong FICLONE = new NativeLong(Ioctls.FICLONE);

    private final FdCalls calls;
    private final int sourceDir;
    private final int targetDir;
    private String sourceDevice; // read when first asked (one thread uses this)
    private String targetDevice;
    private final byte[] stat = new byte[Statx.SIZE]; // the hardlink check's statx, reused file after file

    private LinuxDirectoryLinker(FdCalls calls, int sourceDir, int targetDir) {
        this.calls = calls;
        this.sourceDir = sourceDir;
        this.targetDir = targetDir;
    }

    /**
     * Opens both directories; empty when a call is missing or either cannot be opened. Their
     * devices are read from the descriptors when first asked: a run whose devices the engine
     * knows from an anchor saves two statx calls.
     */
    static Optional<DirectoryLinker> open(Path sourceDir, Path targetDir) {
        Optional<FdCalls> calls = FdCalls.get();
        if (calls.isEmpty()) {
            return Optional.empty();
        }
        FdCalls c = calls.get();
        int s = -1;
        int t = -1;
        try {
            s = c.openat(OpenFlags.AT_FDCWD, FdCalls.cString(sourceDir.toString()), OpenFlags.DIRECTORY_HANDLE, 0);
            t = c.openat(OpenFlags.AT_FDCWD, FdCalls.cString(targetDir.toString()), OpenFlags.DIRECTORY_HANDLE, 0);
            return Optional.of(new LinuxDirectoryLinker(c, s, t));
        } catch (LastErrorException e) {
            c.closeQuietly(t);
            c.closeQuietly(s);
            return Optional.empty();
        }
    }

    @Override
    public boolean supports(LinkMethod method) {
        return method == LinkMethod.HARDLINK || method == LinkMethod.REFLINK;
    }

    /** The device of an open directory; "" (a key no other directory has) if statx fails. */
    private String device(int fd) {
        try {
            return calls.deviceOf(fd);
        } catch (LastErrorException e) {
            return "";
        }
    }

    @Override
    public String sourceDevice() {
        if (sourceDevice == null) {
            sourceDevice = device(sourceDir);
        }
        return sourceDevice;
    }

    @Override
    public String targetDevice() {
        if (targetDevice == null) {
            targetDevice = device(targetDir);
        }
        return targetDevice;
    }

    @Override
    public boolean tryLink(LinkMethod method, String sourceName, String targetName, long expectedSize) {
        byte[] source = FdCalls.cString(sourceName);
        byte[] target = sourceName.equals(targetName) ? source : FdCalls.cString(targetName);
        return switch (method) {
            case HARDLINK -> hardlink(source, target, expectedSize);
            case REFLINK -> reflink(source, target, expectedSize);
            default -> false;
        };
    }

    /** A statx by name first: the package's record of the file is checked as it is linked. */
    private boolean hardlink(byte[] source, byte[] target, long expectedSize) {
        try {
            calls.statxAt(sourceDir, source, stat);
            if (!Statx.regular(stat) || Statx.size(stat) != expectedSize) {
                return false;
            }
            calls.linkat(sourceDir, source, targetDir, target);
            return true;
        } catch (LastErrorException e) {
            return false; // EMLINK, EXDEV, EEXIST ...: the ordinary path tells which and acts on it
        }
    }

    /** The same steps as the provider's reflink: clone, then the source's mode bits and mtime. */
    private boolean reflink(byte[] source, byte[] target, long expectedSize) {
        int in = -1;
        int out = -1;
        boolean done = false;
        try {
            in = calls.openat(sourceDir, source, OpenFlags.SOURCE, 0);
            Statx st = calls.fstatx(in);
            if (!st.regular() || st.size() != expectedSize) {
                return false;
            }
            out = calls.openat(targetDir, target, OpenFlags.NEW_TARGET, 0600);
            Natives.libc().ioctl(out, FICLONE, in);
            calls.fchmod(out, st.permissions());
            calls.futimens(out, st.futimensTimes());
            done = true;
            return true;
        } catch (LastErrorException e) {
            return false;
        } finally {
            calls.closeQuietly(out);
            calls.closeQuietly(in);
            if (out >= 0 && !done) {
                calls.unlinkQuietly(targetDir, target); // created here (O_EXCL), so ours to remove
            }
        }
    }

    @Override
    public void close() {
        calls.closeQuietly(sourceDir);
        calls.closeQuietly(targetDir);
    }
}
