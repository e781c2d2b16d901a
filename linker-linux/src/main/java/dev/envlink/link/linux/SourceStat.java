package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What a reflink or copy must carry over from its source, read from the open source descriptor
 * (statx) and applied to the open target descriptor (fchmod, futimens). Where statx is missing
 * (glibc before 2.28) or refused (ENOSYS/EPERM from an old kernel or a seccomp filter), the same is
 * done by path through NIO.
 */
final class SourceStat {
    private final long size;
    private final Statx statx;                 // null: read through NIO
    private final Set<PosixFilePermission> perms;
    private final FileTime mtime;

    private SourceStat(long size, Statx statx, Set<PosixFilePermission> perms, FileTime mtime) {
        this.size = size;
        this.statx = statx;
        this.perms = perms;
        this.mtime = mtime;
    }

    /** Reads the source's attributes; a source that is not a regular file is declined. */
    static SourceStat of(int fd, Path source, LinkMethod method) throws IOException {
        Optional<FdCalls> calls = FdCalls.get();
        if (calls.isPresent()) {
            try {
                Statx st = calls.get().fstatx(fd);
                if (!st.regular()) {
                    throw notRegular(method, source);
                }
                return new SourceStat(st.size(), st, null, null);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.ENOSYS && e.getErrorCode() != Errno.EPERM) {
                    throw Errno.exception("statx", source, null, e.getErrorCode());
                }
            }
        }
        PosixFileAttributes a = Files.readAttributes(source, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw notRegular(method, source);
        }
        return new SourceStat(a.size(), null, a.permissions(), a.lastModifiedTime());
    }

    long size() {
        return size;
    }

    /** Gives the new file the source's permission bits and mtime. */
    void applyTo(int fd, Path target) throws IOException {
        Optional<FdCalls> calls = FdCalls.get();
        if (statx != null && calls.isPresent()) {
            try {
                calls.get().fchmod(fd, statx.permissions());
                calls.get().futimens(fd, statx.futimensTimes());
                return;
            } catch (LastErrorException e) {
                throw Errno.exception("fchmod/futimens", target, null, e.getErrorCode());
            }
        }
        Set<PosixFilePermission> p = perms;
        FileTime t = mtime;
        if (statx != null) { // read by statx, but cannot be applied by descriptor: convert
            p = dev.envlink.link.ModeBits.permissions(statx.permissions());
            t = FileTime.from(statx.mtimeSeconds() * 1_000_000_000L + statx.mtimeNanos(), TimeUnit.NANOSECONDS);
        }
        Files.setPosixFilePermissions(target, p);
        Files.setLastModifiedTime(target, t);
    }

    private static LinkDeclinedException notRegular(LinkMethod method, Path source) {
        return new LinkDeclinedException(method, DeclineReason.NOT_A_REGULAR_FILE, source, null,
                "is not a regular file");
    }
}
