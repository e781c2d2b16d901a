package dev.envlink.link.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import dev.envlink.link.Availability;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.DirectoryLinker;
import dev.envlink.link.DeviceIds;
import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkProvider;
import dev.envlink.link.NativeGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Linux through JNA: reflink with the FICLONE ioctl, hardlink with link(2) (to tell EMLINK from
 * EXDEV exactly), a hole-keeping in-kernel copy, and statfs for the filesystem type.
 */
public final class LinuxLinkProvider implements LinkProvider {
    public static final String ID = "linux";
    /** The shared kill switch ({@link NativeGate#NO_NATIVE_PROPERTY}), named here for callers. */
    public static final String NO_NATIVE_PROPERTY = NativeGate.NO_NATIVE_PROPERTY;

    private volatile Availability availability;
    /** Bounded: a cache for the directories of the current trees, not a leak. */
    private final Map<String, Boolean> cloneOnCopyByDir = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > 4096;
                }
            });

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Set<LinkMethod> methods() {
        return EnumSet.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.COPY);
    }

    @Override
    public Availability availability() {
        Availability a = availability;
        if (a == null) {
            a = probeAvailability(System.getProperty("os.name", ""), NativeGate.disabled());
            availability = a;
        }
        return a;
    }

    /** Probed once; the cause is kept so `envlink info` can say why the provider is off. */
    static Availability probeAvailability(String osName, boolean noNative) {
        Optional<Availability> refused = NativeGate.refusal(noNative,
                osName.toLowerCase(Locale.ROOT).startsWith("linux"), "Linux", osName);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            if (Native.LONG_SIZE != 8) {
                return Availability.unavailable("needs a 64-bit JVM (native long is " + Native.LONG_SIZE + " bytes)");
            }
            Natives.libc();
            FdCalls.get(); // binds the optional descriptor calls now too (a missing one only turns them off)
            return Availability.ok();
        } catch (LinkageError | RuntimeException e) {
            return Availability.unavailable("cannot load libc through JNA", e);
        }
    }

    @Override
    public Optional<FsInfo> describe(Path path) throws IOException {
        Statfs st = new Statfs();
        try {
            Natives.libc().statfs(path.toString(), st);
        } catch (LastErrorException e) {
            throw Errno.exception("statfs", path, null, e.getErrorCode());
        }
        long magic = st.f_type.longValue() & 0xFFFFFFFFL;
        String magicName = FsMagic.name(magic);
        // ext2/3/4 share one magic number; the mount table knows which it is.
        String type = magic == FsMagic.EXT ? Files.getFileStore(path).type() : magicName;
        String detail = String.format("f_type=0x%x (%s), block size %d", magic, magicName, st.f_bsize.longValue());
        return Optional.of(new FsInfo(type, DeviceIds.of(path), detail, ID));
    }

    @Override
    public void link(LinkMethod method, Path source, Path target) throws IOException {
        switch (method) {
            case REFLINK -> reflink(source, target);
            case HARDLINK -> hardlink(source, target);
            case COPY -> copy(source, target);
            default -> throw new LinkDeclinedException(method, DeclineReason.UNSUPPORTED_BY_PROVIDER, source, target,
                    "the linux provider does not " + method.label());
        }
    }

    /**
     * Reflinks and copies get the source's permission bits and mtime on the open descriptors
     * (statx, fchmod, futimens): no stat by path before, no chmod and utimensat by path after.
     */
    @Override
    public boolean preservesAttributes(LinkMethod method) {
        return method == LinkMethod.REFLINK || method == LinkMethod.COPY;
    }

    /** One statx by path instead of NIO's attribute lookup (asked once per directory of an install). */
    @Override
    public String deviceId(Path path) throws IOException {
        Optional<FdCalls> calls = FdCalls.get();
        if (calls.isPresent()) {
            try {
                return calls.get().deviceOf(FdCalls.cString(path.toString()));
            } catch (LastErrorException e) {
                // NIO gives the precise exception (missing, denied ...)
            }
        }
        return DeviceIds.of(path);
    }

    /** Hardlinks and reflinks by name between open directories (linkat, openat). */
    @Override
    public Optional<DirectoryLinker> openDirectories(Path sourceDir, Path targetDir) {
        return LinuxDirectoryLinker.open(sourceDir, targetDir);
    }

    private void reflink(Path source, Path target) throws IOException {
        LibC libc = Natives.libc();
        int in = openSource(libc, source);
        try {
            SourceStat st = SourceStat.of(in, source, LinkMethod.REFLINK);
            int out = createTarget(libc, target);
            boolean ok = false;
            try {
                try {
                    libc.ioctl(out, new NativeLong(Ioctls.FICLONE), in);
                } catch (LastErrorException e) {
                    throw failure(LinkMethod.REFLINK, "FICLONE", source, target, e.getErrorCode());
                }
                st.applyTo(out, target);
                ok = true;
            } finally {
                Fiemap.closeQuietly(libc, out);
                if (!ok) {
                    Files.deleteIfExists(target);
                }
            }
        } finally {
            Fiemap.closeQuietly(libc, in);
        }
    }

    private void hardlink(Path source, Path target) throws IOException {
        try {
            Natives.libc().link(source.toString(), target.toString());
        } catch (LastErrorException e) {
            throw failure(LinkMethod.HARDLINK, "link", source, target, e.getErrorCode());
        }
    }

    private void copy(Path source, Path target) throws IOException {
        LibC libc = Natives.libc();
        int in = openSource(libc, source);
        try {
            SourceStat st = SourceStat.of(in, source, LinkMethod.COPY);
            int out = createTarget(libc, target);
            boolean ok = false;
            try {
                new FileCopier(libc, !copyFileRangeMayClone(libc, target)).copy(in, out, st.size(), source, target);
                st.applyTo(out, target);
                ok = true;
            } finally {
                Fiemap.closeQuietly(libc, out);
                if (!ok) {
                    Files.deleteIfExists(target); // a partial copy must never stay behind
                }
            }
        } finally {
            Fiemap.closeQuietly(libc, in);
        }
    }

    /** One statfs per target directory, not per file (trees put many files in one directory). */
    private boolean copyFileRangeMayClone(LibC libc, Path target) {
        Path dir = target.toAbsolutePath().getParent();
        return cloneOnCopyByDir.computeIfAbsent(dir.toString(), d -> {
            Statfs st = new Statfs();
            try {
                libc.statfs(d, st);
                return FsMagic.copyFileRangeMayClone(st.f_type.longValue());
            } catch (LastErrorException e) {
                return true; // unknown: take the path that certainly copies
            }
        });
    }

    private static int openSource(LibC libc, Path source) throws IOException {
        try {
            return libc.open(source.toString(), OpenFlags.SOURCE, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ELOOP) { // O_NOFOLLOW met a symlink: recreated, never followed
                throw new LinkDeclinedException(LinkMethod.COPY, DeclineReason.NOT_A_REGULAR_FILE, source, null,
                        "is a symlink");
            }
            throw Errno.exception("open", source, null, e.getErrorCode());
        }
    }

    private static int createTarget(LibC libc, Path target) throws IOException {
        try {
            // Owner-only until the engine applies the source's mode bits.
            return libc.open(target.toString(), OpenFlags.NEW_TARGET, 0600);
        } catch (LastErrorException e) {
            throw Errno.exception("create", target, null, e.getErrorCode());
        }
    }

    /** A decline when the errno means "not possible here", else a real error. */
    private static IOException failure(LinkMethod method, String op, Path source, Path target, int errno) {
        Optional<DeclineReason> reason = ErrnoDeclines.forMethod(method, errno);
        if (reason.isPresent()) {
            return new LinkDeclinedException(method, reason.get(), source, target, op + ": " + Errno.describe(errno));
        }
        return Errno.exception(op, source, target, errno);
    }
}
