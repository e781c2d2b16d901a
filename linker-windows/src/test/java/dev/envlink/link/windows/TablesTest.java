package dev.envlink.link.windows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.LinkMethod;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Win32 error codes, their decline table, FSCTL codes and flag values. */
class TablesTest {

    @Test
    void errorCodesFromWinerrorH() {
        assertEquals(1, Win32Error.ERROR_INVALID_FUNCTION);
        assertEquals(5, Win32Error.ERROR_ACCESS_DENIED);
        assertEquals(17, Win32Error.ERROR_NOT_SAME_DEVICE);
        assertEquals(19, Win32Error.ERROR_WRITE_PROTECT);
        assertEquals(39, Win32Error.ERROR_HANDLE_DISK_FULL);
        assertEquals(50, Win32Error.ERROR_NOT_SUPPORTED);
        assertEquals(80, Win32Error.ERROR_FILE_EXISTS);
        assertEquals(87, Win32Error.ERROR_INVALID_PARAMETER);
        assertEquals(112, Win32Error.ERROR_DISK_FULL);
        assertEquals(183, Win32Error.ERROR_ALREADY_EXISTS);
        assertEquals(234, Win32Error.ERROR_MORE_DATA);
        assertEquals(327, Win32Error.ERROR_OFFSET_ALIGNMENT_VIOLATION);
        assertEquals(347, Win32Error.ERROR_BLOCK_TOO_MANY_REFERENCES);
        assertEquals(1117, Win32Error.ERROR_IO_DEVICE);
        assertEquals(1142, Win32Error.ERROR_TOO_MANY_LINKS);
        assertEquals(1295, Win32Error.ERROR_DISK_QUOTA_EXCEEDED);
        assertEquals(1314, Win32Error.ERROR_PRIVILEGE_NOT_HELD);
    }

    @Test
    void cloneDeclines() {
        assertEquals(Optional.of(DeclineReason.CROSS_DEVICE), Win32Declines.forClone(Win32Error.ERROR_NOT_SAME_DEVICE));
        assertEquals(Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM),
                Win32Declines.forClone(Win32Error.ERROR_INVALID_FUNCTION), "STATUS_INVALID_DEVICE_REQUEST (NTFS)");
        assertEquals(Optional.of(DeclineReason.PERMISSION), Win32Declines.forClone(Win32Error.ERROR_ACCESS_DENIED));
        for (int perFile : new int[] {Win32Error.ERROR_NOT_SUPPORTED, Win32Error.ERROR_INVALID_PARAMETER,
                Win32Error.ERROR_OFFSET_ALIGNMENT_VIOLATION, Win32Error.ERROR_BLOCK_TOO_MANY_REFERENCES}) {
            Optional<DeclineReason> r = Win32Declines.forClone(perFile);
            assertEquals(Optional.of(DeclineReason.OTHER), r, Win32Error.name(perFile));
            assertFalse(r.get().perFilesystem(), "must not disable cloning for the whole volume pair");
        }
    }

    @Test
    void hardlinkDeclines() {
        assertEquals(Optional.of(DeclineReason.CROSS_DEVICE), Win32Declines.forHardlink(Win32Error.ERROR_NOT_SAME_DEVICE));
        assertEquals(Optional.of(DeclineReason.TOO_MANY_LINKS), Win32Declines.forHardlink(Win32Error.ERROR_TOO_MANY_LINKS));
        assertEquals(Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM),
                Win32Declines.forHardlink(Win32Error.ERROR_INVALID_FUNCTION), "FAT has no hard links");
        assertEquals(Optional.of(DeclineReason.PERMISSION), Win32Declines.forHardlink(Win32Error.ERROR_ACCESS_DENIED));
    }

    @Test
    void symlinkDeclines() {
        assertEquals(Optional.of(DeclineReason.PERMISSION), Win32Declines.forSymlink(Win32Error.ERROR_PRIVILEGE_NOT_HELD));
        assertEquals(Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM),
                Win32Declines.forSymlink(Win32Error.ERROR_NOT_SUPPORTED));
        assertEquals(Optional.empty(), Win32Declines.forMethod(LinkMethod.COPY, Win32Error.ERROR_NOT_SAME_DEVICE));
    }

    @ParameterizedTest
    @ValueSource(ints = {Win32Error.ERROR_DISK_FULL, Win32Error.ERROR_HANDLE_DISK_FULL, Win32Error.ERROR_WRITE_PROTECT,
            Win32Error.ERROR_IO_DEVICE, Win32Error.ERROR_DISK_QUOTA_EXCEEDED, Win32Error.ERROR_FILE_EXISTS,
            Win32Error.ERROR_ALREADY_EXISTS, Win32Error.ERROR_PATH_NOT_FOUND, Win32Error.ERROR_NO_SYSTEM_RESOURCES,
            Win32Error.ERROR_SHARING_VIOLATION, Win32Error.ERROR_CRC})
    void realErrorsAreNeverDeclines(int code) {
        for (LinkMethod m : LinkMethod.values()) {
            assertEquals(Optional.empty(), Win32Declines.forMethod(m, code), m + " with " + Win32Error.name(code));
        }
    }

    @Test
    void exceptions() {
        Path a = Path.of("pkgs", "a.dll");
        Path b = Path.of("env", "a.dll");
        assertInstanceOf(NoSuchFileException.class, Win32Error.exception("CreateFileW", a, null, 2));
        assertInstanceOf(NoSuchFileException.class, Win32Error.exception("CreateFileW", a, null, 3));
        assertInstanceOf(FileAlreadyExistsException.class, Win32Error.exception("CreateFileW", b, null, 80));
        assertInstanceOf(FileAlreadyExistsException.class, Win32Error.exception("CreateHardLinkW", a, b, 183));
        assertInstanceOf(AccessDeniedException.class, Win32Error.exception("CreateFileW", b, null, 5));
        FileSystemException full = Win32Error.exception("FSCTL_DUPLICATE_EXTENTS_TO_FILE", a, b, 112);
        assertSame(FileSystemException.class, full.getClass());
        assertTrue(full.getMessage().contains("There is not enough space on the disk (ERROR_DISK_FULL, 112)"),
                full.getMessage());
        assertEquals("Win32 error 9999", Win32Error.describe(9999));
        assertEquals("error 9999", Win32Error.name(9999));
    }

    @Test
    void fsctlCodesFollowCtlCode() {
        assertEquals(0x00098344, Fsctl.FSCTL_DUPLICATE_EXTENTS_TO_FILE);
        assertEquals(0x000900C4, Fsctl.FSCTL_SET_SPARSE);
        assertEquals(0x000940CF, Fsctl.FSCTL_QUERY_ALLOCATED_RANGES);
        assertEquals(0x0009027C, Fsctl.FSCTL_GET_INTEGRITY_INFORMATION);
        assertEquals(0x0009C280, Fsctl.FSCTL_SET_INTEGRITY_INFORMATION);
        assertEquals(0x0009023C, Fsctl.FSCTL_QUERY_PERSISTENT_VOLUME_STATE);
        // FSCTL_GET_REFS_VOLUME_DATA = CTL_CODE(9, 182, METHOD_BUFFERED, FILE_ANY_ACCESS), as an independent check.
        assertEquals(0x000902D8, Fsctl.ctlCode(9, 182, 0, 0));
    }

    @Test
    void flagValues() {
        assertEquals(0x08000000, Kernel32.FILE_SUPPORTS_BLOCK_REFCOUNTING);
        assertEquals(0x04000000, Kernel32.FILE_SUPPORTS_INTEGRITY_STREAMS);
        assertEquals(0x200, Kernel32.FILE_ATTRIBUTE_SPARSE_FILE);
        assertEquals(0x400, Kernel32.FILE_ATTRIBUTE_REPARSE_POINT);
        assertEquals(0x8000, Kernel32.FILE_ATTRIBUTE_INTEGRITY_STREAM);
        assertEquals(0x2, Kernel32.SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE);
        assertEquals(0x1, Kernel32.SYMBOLIC_LINK_FLAG_DIRECTORY);
        assertEquals(0x2000, PersistentVolumeInformation.PERSISTENT_VOLUME_STATE_DEV_VOLUME);
        assertEquals(0x4000, PersistentVolumeInformation.PERSISTENT_VOLUME_STATE_TRUSTED_VOLUME);
        assertEquals(0x80000000, Kernel32.GENERIC_READ);
        assertEquals(6, Kernel32.FILE_END_OF_FILE_INFO);
    }

    @Test
    void devDriveStates() {
        assertEquals("no", Volumes.devDriveState(0x1));
        assertEquals("yes (trusted)", Volumes.devDriveState(0x6000));
        assertTrue(Volumes.devDriveState(0x2000).startsWith("yes (not trusted"));
    }

    @Test
    void volumeDetail() {
        Volumes.Facts f = new Volumes.Facts("D:\\", "\\\\?\\Volume{1234}\\", "Dev", "ReFS", 0x1A2B3C4D,
                Kernel32.FILE_SUPPORTS_BLOCK_REFCOUNTING, 4096, "yes (trusted)");
        assertEquals("\\\\?\\Volume{1234}\\", f.key());
        assertEquals("volume \\\\?\\Volume{1234}\\ at D:\\, label 'Dev', serial 1A2B-3C4D, cluster 4096 bytes, "
                + "block cloning yes (FILE_SUPPORTS_BLOCK_REFCOUNTING), Dev Drive yes (trusted)", f.detail());
        Volumes.Facts share = new Volumes.Facts("\\\\srv\\share\\", null, "", "NTFS", 0, 0, -1, "no");
        assertEquals("\\\\srv\\share\\", share.key());
        assertTrue(share.detail().contains("block cloning no"), share.detail());
        assertTrue(share.detail().contains("cluster size unknown"), share.detail());
    }
}
