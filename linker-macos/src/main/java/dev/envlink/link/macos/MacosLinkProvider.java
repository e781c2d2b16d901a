package dev.envlink.link.macos;

import com.sun.jna.Native;
import dev.envlink.link.Availability;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.DeviceIds;
import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkProvider;
import dev.envlink.link.NativeGate;
import dev.envlink.link.PortableLinkProvider;
import dev.envlink.link.TreeCloner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * macOS through JNA: reflinks with clonefile(2) (APFS), whole trees with clonefile on a directory
 * ({@link TreeCloner}), copies with copyfile(3) (data and metadata), hardlinks through NIO, and
 * statfs for the filesystem type.
 */
public final class MacosLinkProvider implements LinkProvider, TreeCloner {
    public static final String ID = "macos";
    /** The shared kill switch ({@link NativeGate#NO_NATIVE_PROPERTY}), named here for callers. */
    public static final String NO_NATIVE_PROPERTY = NativeGate.NO_NATIVE_PROPERTY;

    /** Hardlinks: link(2) through NIO, with the portable provider's classification of its errors. */
    private final PortableLinkProvider nio = new PortableLinkProvider();
    /** A binding given by tests; null means the real one, bound on first use. */
    private final LibSystem binding;
    private volatile Availability availability;

    public MacosLinkProvider() {
        this(null, null);
    }

    /** For tests: a fake binding, and an availability that skips the probe (null: probe). */
    MacosLinkProvider(LibSystem binding, Availability availability) {
        this.binding = binding;
        this.availability = availability;
    }

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
        Optional<Availability> refused = NativeGate.refusal(noNative, isMacOs(osName), "macOS", osName);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            if (Native.LONG_SIZE != 8) {
                return Availability.unavailable("needs a 64-bit JVM (native long is " + Native.LONG_SIZE + " bytes)");
            }
            Natives.libSystem();
            return Availability.ok();
        } catch (LinkageError | RuntimeException e) {
            return Availability.unavailable("cannot bind clonefile/copyfile/statfs in libSystem through JNA", e);
        }
    }

    static boolean isMacOs(String osName) {
        String n = osName.toLowerCase(Locale.ROOT);
        return n.startsWith("mac") || n.startsWith("darwin");
    }

    private LibSystem sys() {
        return binding != null ? binding : Natives.libSystem();
    }

    @Override
    public Optional<FsInfo> describe(Path path) throws IOException {
        LibSystem sys = sys();
        Statfs st = new Statfs();
        if (sys.statfs(path.toString(), st) != 0) {
            throw Errno.exception("statfs", path, null, sys.lastError());
        }
        String type = st.typeName();
        String detail = String.format(Locale.ROOT,
                "f_fstypename=%s, f_fssubtype=%d, block size %d, %s, mounted on %s from %s%s", type,
                st.f_fssubtype, Integer.toUnsignedLong(st.f_bsize), Flags.describeMountFlags(st.f_flags),
                st.mountedOn(), st.mountedFrom(), type.equals("apfs") ? "" : " (clonefile needs APFS)");
        return Optional.of(new FsInfo(type, DeviceIds.of(path), detail, ID));
    }

    @Override
    public void link(LinkMethod method, Path source, Path target) throws IOException {
        switch (method) {
            case REFLINK -> reflink(source, target);
            case HARDLINK -> nio.link(LinkMethod.HARDLINK, source, target);
            case COPY -> copy(source, target);
            default -> throw new LinkDeclinedException(method, DeclineReason.UNSUPPORTED_BY_PROVIDER, source, target,
                    "the macos provider does not " + method.label());
        }
    }

    private void reflink(Path source, Path target) throws IOException {
        requireRegularFile(LinkMethod.REFLINK, source, target);
        LibSystem sys = sys();
        // Atomic by the man page: "all new objects created successfully or no new objects created".
        if (sys.clonefile(source.toString(), target.toString(), Flags.CLONE) != 0) {
            throw cloneFailure(source, target, sys.lastError());
        }
    }

    private void copy(Path source, Path target) throws IOException {
        requireRegularFile(LinkMethod.COPY, source, target);
        LibSystem sys = sys();
        if (sys.copyfile(source.toString(), target.toString(), null, Flags.COPY) < 0) {
            int errno = sys.lastError();
            // With COPYFILE_EXCL an EEXIST means the file is not ours; anything else may have left a
            // partial copy (copyfile does not remove it), which must never stay behind.
            IOException e = Errno.exception("copyfile", source, target, errno);
            if (errno != Errno.EEXIST) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * clonefile(2) on a directory clones "the directory hierarchy as if each item was cloned
     * individually", atomically (xnu clonefile.2). Apple's man page discourages it for large trees
     * in favour of copyfile(3), but copyfile clones file by file; one call for a whole package is
     * what makes this path several times faster. HFS+, exFAT and network volumes answer ENOTSUP and
     * the engine links the tree file by file.
     */
    @Override
    public boolean cloneTree(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        LibSystem sys = sys();
        if (sys.clonefile(source.toString(), target.toString(), Flags.CLONE) == 0) {
            return true;
        }
        int errno = sys.lastError();
        if (ErrnoDeclines.forClone(errno).isPresent()) {
            return false;
        }
        throw Errno.exception("clonefile (directory)", source, target, errno);
    }

    /** clonefile would clone a symlink as a link and a directory as a tree: only regular files here. */
    private static void requireRegularFile(LinkMethod method, Path source, Path target) throws IOException {
        BasicFileAttributes a = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new LinkDeclinedException(method, DeclineReason.NOT_A_REGULAR_FILE, source, target,
                    a.isSymbolicLink() ? "is a symlink" : a.isDirectory() ? "is a directory" : "is not a regular file");
        }
    }

    /** A decline when the errno means "not possible here", else a real error. */
    private static IOException cloneFailure(Path source, Path target, int errno) {
        Optional<DeclineReason> reason = ErrnoDeclines.forClone(errno);
        if (reason.isPresent()) {
            return new LinkDeclinedException(LinkMethod.REFLINK, reason.get(), source, target,
                    "clonefile: " + Errno.describe(errno));
        }
        return Errno.exception("clonefile", source, target, errno);
    }
}
