package dev.envlink.link.windows;

import com.sun.jna.Native;
import com.sun.jna.WString;
import dev.envlink.link.Availability;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.FsInfo;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import dev.envlink.link.LinkProvider;
import dev.envlink.link.NativeGate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Windows through JNA: reflinks by block cloning on ReFS and Dev Drives
 * (FSCTL_DUPLICATE_EXTENTS_TO_FILE, see {@link BlockCloner}), hardlinks with CreateHardLinkW,
 * symlinks with CreateSymbolicLinkW (unprivileged in Developer Mode), all with long ({@code \\?\})
 * paths, and volume facts (file system, block cloning, Dev Drive) for {@code envlink probe}.
 * Copies are left to the portable provider.
 */
public final class WindowsLinkProvider implements LinkProvider {
    public static final String ID = "windows";
    /** The shared kill switch ({@link NativeGate#NO_NATIVE_PROPERTY}), named here for callers. */
    public static final String NO_NATIVE_PROPERTY = NativeGate.NO_NATIVE_PROPERTY;

    /** A binding given by tests; null means the real one, bound on first use. */
    private final Kernel32 binding;
    private volatile Availability availability;
    /** Directory to volume identity, for the same-volume check; bounded, a cache for current trees. */
    private final Map<String, String> volumeByDir = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > 4096;
                }
            });

    public WindowsLinkProvider() {
        this(null, null);
    }

    /** For tests: a fake binding, and an availability that skips the probe (null: probe). */
    WindowsLinkProvider(Kernel32 binding, Availability availability) {
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
        return EnumSet.of(LinkMethod.REFLINK, LinkMethod.HARDLINK, LinkMethod.SYMLINK);
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
                osName.toLowerCase(Locale.ROOT).startsWith("windows"), "Windows", osName);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            if (Native.POINTER_SIZE != 8) {
                return Availability.unavailable("needs a 64-bit JVM (pointers are " + Native.POINTER_SIZE + " bytes)");
            }
            Natives.kernel32();
            return Availability.ok();
        } catch (LinkageError | RuntimeException e) {
            return Availability.unavailable("cannot bind kernel32 through JNA", e);
        }
    }

    private Kernel32 k32() {
        return binding != null ? binding : Natives.kernel32();
    }

    @Override
    public Optional<FsInfo> describe(Path path) throws IOException {
        Volumes.Facts f = Volumes.facts(k32(), path);
        return Optional.of(new FsInfo(f.fsName(), f.key(), f.detail(), ID));
    }

    @Override
    public void link(LinkMethod method, Path source, Path target) throws IOException {
        Path src = source.toAbsolutePath().normalize();
        Path dst = target.toAbsolutePath().normalize();
        switch (method) {
            case REFLINK -> reflink(src, dst);
            case HARDLINK -> hardlink(src, dst);
            case SYMLINK -> symlink(src, dst);
            default -> throw new LinkDeclinedException(method, DeclineReason.UNSUPPORTED_BY_PROVIDER, source, target,
                    "the windows provider does not " + method.label() + " (the portable provider copies)");
        }
    }

    private void reflink(Path source, Path target) throws IOException {
        requireRegularFile(LinkMethod.REFLINK, source, target);
        Kernel32 k = k32();
        // Clones never cross volumes; the volume GUID paths say so before any file is created.
        String from = volumeOf(k, source.getParent());
        String to = volumeOf(k, target.getParent());
        if (!from.isEmpty() && !to.isEmpty() && !from.equals(to)) {
            throw new LinkDeclinedException(LinkMethod.REFLINK, DeclineReason.CROSS_DEVICE, source, target,
                    "different volumes: " + from + " and " + to);
        }
        new BlockCloner(k).cloneFile(source, target);
    }

    private void hardlink(Path source, Path target) throws IOException {
        Kernel32 k = k32();
        if (k.CreateHardLinkW(new WString(LongPaths.of(target.toString())), new WString(LongPaths.of(source.toString())),
                null) == 0) {
            throw failure(LinkMethod.HARDLINK, "CreateHardLinkW", source, target, k.lastError());
        }
    }

    /** Points at the source's absolute path; as an ordinary user this needs Developer Mode. */
    private void symlink(Path source, Path target) throws IOException {
        Kernel32 k = k32();
        WString link = new WString(LongPaths.of(target.toString()));
        WString text = new WString(source.toString());
        int dirFlag = Files.isDirectory(source) ? Kernel32.SYMBOLIC_LINK_FLAG_DIRECTORY : 0;
        if (k.CreateSymbolicLinkW(link, text, dirFlag | Kernel32.SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE) != 0) {
            return;
        }
        int error = k.lastError();
        if (error == Win32Error.ERROR_INVALID_PARAMETER) {
            // Windows before 10 1703 does not know the unprivileged flag: try once without it.
            if (k.CreateSymbolicLinkW(link, text, dirFlag) != 0) {
                return;
            }
            error = k.lastError();
        }
        if (error == Win32Error.ERROR_PRIVILEGE_NOT_HELD) {
            throw new LinkDeclinedException(LinkMethod.SYMLINK, DeclineReason.PERMISSION, source, target,
                    "CreateSymbolicLinkW: " + Win32Error.describe(error)
                            + ": turn on Developer Mode, or run with SeCreateSymbolicLinkPrivilege");
        }
        throw failure(LinkMethod.SYMLINK, "CreateSymbolicLinkW", source, target, error);
    }

    /** The volume identity of a directory ("" when it cannot be told), cached per directory. */
    private String volumeOf(Kernel32 k, Path dir) {
        return volumeByDir.computeIfAbsent(dir.toString(), d -> {
            try {
                String root = Volumes.volumePathName(k, dir);
                String guid = Volumes.volumeGuidPath(k, root);
                return guid != null ? guid : root.toLowerCase(Locale.ROOT);
            } catch (IOException e) {
                return ""; // unknown: let the clone itself decide
            }
        });
    }

    private static void requireRegularFile(LinkMethod method, Path source, Path target) throws IOException {
        BasicFileAttributes a = Files.readAttributes(source, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) {
            throw new LinkDeclinedException(method, DeclineReason.NOT_A_REGULAR_FILE, source, target,
                    a.isSymbolicLink() ? "is a symlink" : a.isDirectory() ? "is a directory" : "is not a regular file");
        }
    }

    /** A decline when the error means "not possible here", else a real error. */
    static IOException failure(LinkMethod method, String op, Path source, Path target, int code) {
        Optional<DeclineReason> reason = Win32Declines.forMethod(method, code);
        if (reason.isPresent()) {
            return new LinkDeclinedException(method, reason.get(), source, target, op + ": " + Win32Error.describe(code));
        }
        return Win32Error.exception(op, source, target, code);
    }
}
