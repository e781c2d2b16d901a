package dev.envlink.link.windows;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * kernel32 as the provider sees it, simulated on real files (so it runs on any OS), and checking
 * the Block Cloning rules on every FSCTL_DUPLICATE_EXTENTS_TO_FILE: both offsets and the length
 * cluster-aligned, less than 4 GiB, within the source's allocation (its size rounded up to the
 * cluster), not beyond the destination's end of file but for the last, partial cluster, a sparse
 * destination for a sparse source, equal integrity settings. A clone copies the range's bytes.
 */
final class FakeKernel32 implements Kernel32 {
    /** One FSCTL_DUPLICATE_EXTENTS_TO_FILE as the provider sent it. */
    record Dup(long sourceOffset, long targetOffset, long length) {
    }

    private final class Handle {
        final Path path;
        final boolean created;
        boolean sparse;
        short checksum;
        long eof;

        Handle(Path path, boolean created) {
            this.path = path;
            this.created = created;
        }
    }

    // The simulated volume.
    volatile int fsFlags = FILE_SUPPORTS_BLOCK_REFCOUNTING | FILE_SUPPORTS_SPARSE_FILES;
    volatile String fsName = "ReFS";
    volatile int cluster = 4096;
    volatile boolean integrityQueryWorks = true;
    volatile int devDriveFlags = 0x6000;
    /** Directory path prefix to mount root; the first match wins. Default: everything on C:\. */
    final Map<String, String> roots = Collections.synchronizedMap(new java.util.LinkedHashMap<>());
    final Map<String, String> guids = new HashMap<>(Map.of("C:\\", "\\\\?\\Volume{c}\\", "D:\\", "\\\\?\\Volume{d}\\"));

    // The simulated source files.
    /** Attributes to report per source file (sparse, reparse...). */
    final Map<Path, Integer> attributes = new HashMap<>();
    /** A size to report instead of the real one (for huge files; then no bytes are copied). */
    final Map<Path, Long> virtualSizes = new HashMap<>();
    final Map<Path, List<ClonePlan.Range>> allocated = new HashMap<>();
    final Map<Path, Short> checksums = new HashMap<>();
    /** Error code for the n-th (1-based) duplicate call; 0 = none. */
    volatile int failDuplicateAt;
    volatile int failDuplicateWith;
    /** Error codes for other calls, by name. */
    final Map<String, Integer> failures = new HashMap<>();
    /** Per-call answer of CreateHardLinkW / CreateSymbolicLinkW: error code or 0. */
    volatile Function<Integer, Integer> symlinkResult = flags -> 0;

    final List<Dup> dups = Collections.synchronizedList(new ArrayList<>());
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final Set<Long> open = Collections.synchronizedSet(new HashSet<>());
    private final Map<Long, Handle> handles = Collections.synchronizedMap(new HashMap<>());
    private long nextHandle = 0x100;
    private final ThreadLocal<Integer> lastError = ThreadLocal.withInitial(() -> 0);

    private int fail(int code) {
        lastError.set(code);
        return 0;
    }

    private Integer scripted(String call) {
        calls.add(call);
        return failures.get(call);
    }

    private Handle handle(Pointer p) {
        Handle h = handles.get(Pointer.nativeValue(p));
        if (h == null || !open.contains(Pointer.nativeValue(p))) {
            throw new AssertionError("invalid or closed handle " + p);
        }
        return h;
    }

    private synchronized Pointer newHandle(Handle h) {
        long id = nextHandle++;
        handles.put(id, h);
        open.add(id);
        return new Pointer(id);
    }

    long size(Path p) {
        Long v = virtualSizes.get(p);
        try {
            return v != null ? v : Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Pointer CreateFileW(WString fileName, int access, int share, Pointer sa, int disposition, int flags,
                               Pointer template) {
        Integer f = scripted("CreateFileW");
        if (f != null) {
            lastError.set(f);
            return new Pointer(-1);
        }
        if (fileName.toString().startsWith("\\\\?\\Volume{")) {
            if ((flags & FILE_FLAG_BACKUP_SEMANTICS) == 0) {
                throw new AssertionError("a volume root is a directory: it needs FILE_FLAG_BACKUP_SEMANTICS");
            }
            return newHandle(new Handle(Path.of("."), false));
        }
        Path p = Path.of(LongPaths.strip(fileName.toString()));
        try {
            if (disposition == CREATE_NEW) {
                Files.createFile(p);
                return newHandle(new Handle(p, true));
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(p.toString());
            }
            Handle h = new Handle(p, false);
            h.sparse = (attributes.getOrDefault(p, 0) & FILE_ATTRIBUTE_SPARSE_FILE) != 0;
            h.checksum = checksums.getOrDefault(p, (short) 0);
            h.eof = Files.isDirectory(p) ? 0 : size(p);
            return newHandle(h);
        } catch (FileAlreadyExistsException e) {
            lastError.set(Win32Error.ERROR_FILE_EXISTS);
        } catch (NoSuchFileException e) {
            lastError.set(Win32Error.ERROR_FILE_NOT_FOUND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Pointer(-1);
    }

    @Override
    public int CloseHandle(Pointer handle) {
        calls.add("CloseHandle");
        if (!open.remove(Pointer.nativeValue(handle))) {
            throw new AssertionError("closed twice or never opened: " + handle);
        }
        return 1;
    }

    @Override
    public int DeviceIoControl(Pointer device, int code, Pointer in, int inSize, Pointer out, int outSize,
                               IntByReference returned, Pointer overlapped) {
        Handle h = handle(device);
        if (code == Fsctl.FSCTL_GET_INTEGRITY_INFORMATION) {
            calls.add("FSCTL_GET_INTEGRITY_INFORMATION");
            if (!integrityQueryWorks) {
                return fail(Win32Error.ERROR_INVALID_FUNCTION);
            }
            out.setShort(0, h.checksum);
            out.setInt(4, 0);
            out.setInt(8, 0);
            out.setInt(12, cluster);
            returned.setValue(16);
            return 1;
        }
        if (code == Fsctl.FSCTL_SET_INTEGRITY_INFORMATION) {
            Integer f = scripted("FSCTL_SET_INTEGRITY_INFORMATION");
            if (f != null) {
                return fail(f);
            }
            if (h.eof != 0) {
                throw new AssertionError("integrity must be set while the file is empty");
            }
            h.checksum = in.getShort(0);
            return 1;
        }
        if (code == Fsctl.FSCTL_SET_SPARSE) {
            Integer f = scripted("FSCTL_SET_SPARSE");
            if (f != null) {
                return fail(f);
            }
            h.sparse = in.getByte(0) != 0;
            return 1;
        }
        if (code == Fsctl.FSCTL_QUERY_ALLOCATED_RANGES) {
            calls.add("FSCTL_QUERY_ALLOCATED_RANGES");
            long from = in.getLong(0);
            long len = in.getLong(8);
            List<ClonePlan.Range> all = allocated.getOrDefault(h.path, List.of(new ClonePlan.Range(0, h.eof)));
            List<ClonePlan.Range> in2 = all.stream().filter(r -> r.end() > from && r.offset() < from + len).toList();
            int fit = outSize / 16;
            int n = Math.min(fit, in2.size());
            for (int i = 0; i < n; i++) {
                out.setLong(16L * i, in2.get(i).offset());
                out.setLong(16L * i + 8, in2.get(i).length());
            }
            returned.setValue(16 * n);
            return n < in2.size() ? fail(Win32Error.ERROR_MORE_DATA) : 1;
        }
        if (code == Fsctl.FSCTL_QUERY_PERSISTENT_VOLUME_STATE) {
            calls.add("FSCTL_QUERY_PERSISTENT_VOLUME_STATE");
            if (in.getInt(8) != 1) {
                return fail(Win32Error.ERROR_NOT_SUPPORTED); // Version must be 1
            }
            out.setInt(0, devDriveFlags & in.getInt(4));
            returned.setValue(16);
            return 1;
        }
        if (code == Fsctl.FSCTL_DUPLICATE_EXTENTS_TO_FILE) {
            return duplicate(h, in, inSize);
        }
        throw new AssertionError("unexpected FSCTL 0x" + Integer.toHexString(code));
    }

    private int duplicate(Handle dst, Pointer in, int inSize) {
        if (inSize != 32) {
            throw new AssertionError("DUPLICATE_EXTENTS_DATA is 32 bytes, got " + inSize);
        }
        Handle src = handle(in.getPointer(0));
        Dup d = new Dup(in.getLong(8), in.getLong(16), in.getLong(24));
        dups.add(d);
        if (failDuplicateAt == dups.size()) {
            return fail(failDuplicateWith);
        }
        long c = cluster;
        if (d.sourceOffset() % c != 0 || d.targetOffset() % c != 0 || d.length() % c != 0) {
            return fail(Win32Error.ERROR_INVALID_PARAMETER);
        }
        if (d.length() >= ClonePlan.CALL_LIMIT) {
            return fail(Win32Error.ERROR_INVALID_PARAMETER);
        }
        if (d.sourceOffset() + d.length() > ClonePlan.roundUp(src.eof, c)) {
            return fail(Win32Error.ERROR_NOT_SUPPORTED); // beyond the source's allocation
        }
        if (d.targetOffset() + d.length() > ClonePlan.roundUp(dst.eof, c)) {
            return fail(Win32Error.ERROR_NOT_SUPPORTED); // beyond the destination's end of file
        }
        if (src.sparse && !dst.sparse) {
            return fail(Win32Error.ERROR_NOT_SUPPORTED);
        }
        if (src.checksum != dst.checksum) {
            return fail(Win32Error.ERROR_NOT_SUPPORTED);
        }
        if (!virtualSizes.containsKey(src.path)) {
            copyRange(src.path, dst.path, d.sourceOffset(), d.targetOffset(),
                    Math.min(d.length(), src.eof - d.sourceOffset()));
        }
        return 1;
    }

    private static void copyRange(Path from, Path to, long fromOff, long toOff, long len) {
        try (RandomAccessFile in = new RandomAccessFile(from.toFile(), "r");
             RandomAccessFile out = new RandomAccessFile(to.toFile(), "rw")) {
            long eof = out.length();
            byte[] buf = new byte[(int) Math.max(0, len)];
            in.seek(fromOff);
            in.readFully(buf);
            out.seek(toOff);
            out.write(buf);
            out.setLength(eof); // a clone does not move the end of file
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int GetFileInformationByHandle(Pointer file, ByHandleFileInformation info) {
        Handle h = handle(file);
        calls.add("GetFileInformationByHandle");
        int attrs = attributes.getOrDefault(h.path, FILE_ATTRIBUTE_NORMAL);
        if (Files.isDirectory(h.path)) {
            attrs |= FILE_ATTRIBUTE_DIRECTORY;
        }
        info.dwFileAttributes = attrs;
        info.nFileSizeHigh = (int) (h.eof >>> 32);
        info.nFileSizeLow = (int) h.eof;
        info.dwVolumeSerialNumber = 0x1234;
        info.nNumberOfLinks = 1;
        return 1;
    }

    @Override
    public int SetFileInformationByHandle(Pointer file, int infoClass, Pointer info, int size) {
        Handle h = handle(file);
        Integer f = scripted("SetFileInformationByHandle");
        if (f != null) {
            return fail(f);
        }
        if (infoClass != FILE_END_OF_FILE_INFO || size != 8) {
            throw new AssertionError("only FileEndOfFileInfo is expected");
        }
        h.eof = info.getLong(0);
        boolean real = virtualSizes.isEmpty();
        if (real) {
            try (RandomAccessFile out = new RandomAccessFile(h.path.toFile(), "rw")) {
                out.setLength(h.eof);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return 1;
    }

    @Override
    public int GetVolumeInformationW(WString root, Pointer volumeName, int volumeNameSize, IntByReference serial,
                                     IntByReference maxComponent, IntByReference flags, Pointer fsNameOut, int fsNameSize) {
        calls.add("GetVolumeInformationW " + root);
        volumeName.setWideString(0, "Dev");
        serial.setValue(0x1A2B3C4D);
        maxComponent.setValue(255);
        flags.setValue(fsFlags);
        fsNameOut.setWideString(0, fsName);
        return 1;
    }

    @Override
    public int GetVolumeInformationByHandleW(Pointer file, Pointer volumeName, int volumeNameSize,
                                             IntByReference serial, IntByReference maxComponent,
                                             IntByReference flags, Pointer fsNameOut, int fsNameSize) {
        handle(file);
        calls.add("GetVolumeInformationByHandleW");
        flags.setValue(fsFlags);
        fsNameOut.setWideString(0, fsName);
        return 1;
    }

    @Override
    public int GetVolumePathNameW(WString fileName, Pointer out, int chars) {
        calls.add("GetVolumePathNameW");
        String p = fileName.toString();
        String root = "C:\\";
        synchronized (roots) {
            for (Map.Entry<String, String> e : roots.entrySet()) {
                if (p.startsWith(e.getKey())) {
                    root = e.getValue();
                    break;
                }
            }
        }
        out.setWideString(0, root);
        return 1;
    }

    @Override
    public int GetVolumeNameForVolumeMountPointW(WString mountPoint, Pointer out, int chars) {
        calls.add("GetVolumeNameForVolumeMountPointW");
        String guid = guids.get(mountPoint.toString());
        if (guid == null) {
            return fail(Win32Error.ERROR_INVALID_PARAMETER);
        }
        out.setWideString(0, guid);
        return 1;
    }

    @Override
    public int GetDiskFreeSpaceW(WString root, IntByReference spc, IntByReference bps, IntByReference free,
                                 IntByReference total) {
        calls.add("GetDiskFreeSpaceW");
        spc.setValue(cluster / 512);
        bps.setValue(512);
        return 1;
    }

    @Override
    public int CreateHardLinkW(WString fileName, WString existing, Pointer sa) {
        Integer f = scripted("CreateHardLinkW");
        if (f != null) {
            return fail(f);
        }
        try {
            Files.createLink(Path.of(LongPaths.strip(fileName.toString())), Path.of(LongPaths.strip(existing.toString())));
            return 1;
        } catch (FileAlreadyExistsException e) {
            return fail(Win32Error.ERROR_ALREADY_EXISTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public byte CreateSymbolicLinkW(WString link, WString target, int flags) {
        calls.add("CreateSymbolicLinkW " + flags);
        int error = symlinkResult.apply(flags);
        if (error != 0) {
            lastError.set(error);
            return 0;
        }
        try {
            Files.createSymbolicLink(Path.of(LongPaths.strip(link.toString())), Path.of(target.toString()));
            return 1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int lastError() {
        return lastError.get();
    }
}
