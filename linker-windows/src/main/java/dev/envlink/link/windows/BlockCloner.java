package dev.envlink.link.windows;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;
import dev.envlink.link.DeclineReason;
import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.LinkMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Block cloning of one file on ReFS / Dev Drive with FSCTL_DUPLICATE_EXTENTS_TO_FILE, following
 * the Block Cloning restrictions (learn.microsoft.com, fileio/block-cloning):
 * <ol>
 * <li>the source volume must have FILE_SUPPORTS_BLOCK_REFCOUNTING, else a decline for the volume;</li>
 * <li>the destination is created new (CREATE_NEW), made sparse if the source is ("if the source
 * file is sparse, the destination file must also be sparse"), given the source's integrity stream
 * setting while still empty ("the same Integrity Streams setting"), then its end of file is set to
 * the source's size ("the destination region must not extend past the end of file");</li>
 * <li>the ranges of {@link ClonePlan}: cluster-aligned, each less than 4 GiB, only the allocated
 * ranges of a sparse file;</li>
 * <li>on a decline or an error the destination is removed, so the engine can fall back cleanly.</li>
 * </ol>
 */
final class BlockCloner {
    /** FSCTL_QUERY_ALLOCATED_RANGES answers in batches of this many ranges. */
    private static final int RANGE_BATCH = 256;

    private final Kernel32 k;

    BlockCloner(Kernel32 k) {
        this.k = k;
    }

    void cloneFile(Path source, Path target) throws IOException {
        // Shared like a POSIX read-only open: another process's open handle must not fail the link.
        Pointer src = k.CreateFileW(new WString(LongPaths.of(source.toString())), Kernel32.GENERIC_READ,
                Kernel32.FILE_SHARE_READ | Kernel32.FILE_SHARE_WRITE | Kernel32.FILE_SHARE_DELETE, null,
                Kernel32.OPEN_EXISTING, Kernel32.FILE_FLAG_OPEN_REPARSE_POINT, null);
        if (Kernel32.invalid(src)) {
            throw Win32Error.exception("CreateFileW (source)", source, null, k.lastError());
        }
        try {
            ByHandleFileInformation info = new ByHandleFileInformation();
            if (k.GetFileInformationByHandle(src, info) == 0) {
                throw Win32Error.exception("GetFileInformationByHandle", source, null, k.lastError());
            }
            if ((info.dwFileAttributes & (Kernel32.FILE_ATTRIBUTE_REPARSE_POINT | Kernel32.FILE_ATTRIBUTE_DIRECTORY)) != 0) {
                throw decline(DeclineReason.NOT_A_REGULAR_FILE, source, target, "is a reparse point or a directory");
            }
            requireBlockCloning(src, source, target);
            IntegrityInformation integrity = integrity(src);
            long cluster = integrity != null && integrity.ClusterSizeInBytes > 0
                    ? Integer.toUnsignedLong(integrity.ClusterSizeInBytes)
                    : Volumes.clusterSize(k, Volumes.volumePathName(k, source));
            if (cluster <= 0 || Long.bitCount(cluster) != 1) {
                throw decline(DeclineReason.OTHER, source, target, "cannot tell the volume's cluster size (" + cluster + ")");
            }
            long size = info.fileSize();
            boolean sparse = (info.dwFileAttributes & Kernel32.FILE_ATTRIBUTE_SPARSE_FILE) != 0;
            List<ClonePlan.Range> plan = sparse
                    ? ClonePlan.allocated(size, cluster, allocatedRanges(src, size, source, target))
                    : ClonePlan.whole(size, cluster);
            cloneInto(src, source, target, size, sparse, integrity, plan);
        } finally {
            k.CloseHandle(src);
        }
    }

    private void requireBlockCloning(Pointer src, Path source, Path target) throws IOException {
        IntByReference flags = new IntByReference();
        Memory fsName = Volumes.wideBuffer(Kernel32.MAX_PATH_CHARS);
        if (k.GetVolumeInformationByHandleW(src, null, 0, null, null, flags, fsName, Kernel32.MAX_PATH_CHARS) == 0) {
            throw Win32Error.exception("GetVolumeInformationByHandleW", source, null, k.lastError());
        }
        if ((flags.getValue() & Kernel32.FILE_SUPPORTS_BLOCK_REFCOUNTING) == 0) {
            throw decline(DeclineReason.UNSUPPORTED_BY_FILESYSTEM, source, target, fsName.getWideString(0)
                    + " volume without block cloning (no FILE_SUPPORTS_BLOCK_REFCOUNTING; ReFS and Dev Drives have it)");
        }
    }

    /** The source's integrity settings and the volume's cluster size, or null where the query is unknown. */
    private IntegrityInformation integrity(Pointer file) {
        IntegrityInformation info = new IntegrityInformation();
        if (k.DeviceIoControl(file, Fsctl.FSCTL_GET_INTEGRITY_INFORMATION, null, 0, info.getPointer(), info.size(),
                new IntByReference(), null) == 0) {
            return null;
        }
        info.read();
        return info;
    }

    private void cloneInto(Pointer src, Path source, Path target, long size, boolean sparse,
                           IntegrityInformation integrity, List<ClonePlan.Range> plan) throws IOException {
        Pointer dst = k.CreateFileW(new WString(LongPaths.of(target.toString())),
                Kernel32.GENERIC_READ | Kernel32.GENERIC_WRITE, 0, null, Kernel32.CREATE_NEW,
                Kernel32.FILE_ATTRIBUTE_NORMAL, null);
        if (Kernel32.invalid(dst)) {
            throw Win32Error.exception("CreateFileW (target)", target, null, k.lastError());
        }
        try {
            if (sparse) {
                Memory setSparse = new Memory(1); // FILE_SET_SPARSE_BUFFER { BOOLEAN SetSparse = TRUE; }
                setSparse.setByte(0, (byte) 1);
                control(dst, Fsctl.FSCTL_SET_SPARSE, setSparse, 1, "FSCTL_SET_SPARSE", source, target);
            }
            if (integrity != null) {
                IntegrityInformation current = integrity(dst);
                if (current == null || !current.sameSettingAs(integrity)) {
                    IntegrityInformation wanted = new IntegrityInformation();
                    wanted.ChecksumAlgorithm = integrity.ChecksumAlgorithm;
                    wanted.Flags = integrity.Flags;
                    wanted.write();
                    control(dst, Fsctl.FSCTL_SET_INTEGRITY_INFORMATION, wanted.getPointer(),
                            IntegrityInformation.SET_BUFFER_SIZE, "FSCTL_SET_INTEGRITY_INFORMATION", source, target);
                }
            }
            Memory eof = new Memory(8); // FILE_END_OF_FILE_INFO { LARGE_INTEGER EndOfFile; }
            eof.setLong(0, size);
            if (k.SetFileInformationByHandle(dst, Kernel32.FILE_END_OF_FILE_INFO, eof, 8) == 0) {
                throw failure("SetFileInformationByHandle(FileEndOfFileInfo)", source, target, k.lastError());
            }
            DuplicateExtentsData d = new DuplicateExtentsData();
            for (ClonePlan.Range r : plan) {
                d.FileHandle = src;
                d.SourceFileOffset = r.offset();
                d.TargetFileOffset = r.offset();
                d.ByteCount = r.length();
                d.write();
                control(dst, Fsctl.FSCTL_DUPLICATE_EXTENTS_TO_FILE, d.getPointer(), d.size(),
                        "FSCTL_DUPLICATE_EXTENTS_TO_FILE", source, target);
            }
        } catch (Throwable t) {
            k.CloseHandle(dst);
            try {
                Files.deleteIfExists(target); // never leave a half-cloned file behind
            } catch (IOException suppressed) {
                t.addSuppressed(suppressed);
            }
            throw t;
        }
        k.CloseHandle(dst);
    }

    private void control(Pointer h, int code, Pointer in, int inSize, String op, Path source, Path target)
            throws IOException {
        if (k.DeviceIoControl(h, code, in, inSize, null, 0, new IntByReference(), null) == 0) {
            throw failure(op, source, target, k.lastError());
        }
    }

    /** The allocated ranges of a sparse file in [0, size), in batches (ERROR_MORE_DATA asks for more). */
    private List<ClonePlan.Range> allocatedRanges(Pointer src, long size, Path source, Path target) throws IOException {
        List<ClonePlan.Range> out = new ArrayList<>();
        AllocatedRange query = new AllocatedRange();
        Memory buf = new Memory((long) RANGE_BATCH * AllocatedRange.SIZE);
        IntByReference returned = new IntByReference();
        long from = 0;
        while (from < size) {
            query.FileOffset = from;
            query.Length = size - from;
            query.write();
            int ok = k.DeviceIoControl(src, Fsctl.FSCTL_QUERY_ALLOCATED_RANGES, query.getPointer(), AllocatedRange.SIZE,
                    buf, (int) buf.size(), returned, null);
            int error = ok == 0 ? k.lastError() : 0;
            if (ok == 0 && error != Win32Error.ERROR_MORE_DATA) {
                throw failure("FSCTL_QUERY_ALLOCATED_RANGES", source, target, error);
            }
            int n = returned.getValue() / AllocatedRange.SIZE;
            for (int i = 0; i < n; i++) {
                out.add(new ClonePlan.Range(buf.getLong((long) i * AllocatedRange.SIZE),
                        buf.getLong((long) i * AllocatedRange.SIZE + 8)));
            }
            if (ok != 0 || n == 0) {
                break;
            }
            ClonePlan.Range last = out.get(out.size() - 1);
            from = last.end();
        }
        return out;
    }

    /** A decline when the error means "not possible here", else a real error. */
    private static IOException failure(String op, Path source, Path target, int code) {
        Optional<DeclineReason> reason = Win32Declines.forClone(code);
        if (reason.isPresent()) {
            return decline(reason.get(), source, target, op + ": " + Win32Error.describe(code));
        }
        return Win32Error.exception(op, source, target, code);
    }

    private static LinkDeclinedException decline(DeclineReason reason, Path source, Path target, String detail) {
        return new LinkDeclinedException(LinkMethod.REFLINK, reason, source, target, detail);
    }
}
