package dev.envlink.link.windows;

import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;

/**
 * The few kernel32 functions the provider needs, bound by {@link DirectKernel32}; the Java names
 * are the exported symbol names. BOOL results are ints (0 = failed), HANDLEs are Pointers
 * (INVALID_HANDLE_VALUE is -1), strings are UTF-16 (WString in, Memory out).
 *
 * <p>On failure the provider reads GetLastError through {@link #lastError()}. Not JNA's
 * LastErrorException: it is thrown whenever the last error is non-zero after a call, and several
 * of these functions set it on success too.
 */
interface Kernel32 {
    // winnt.h access rights and share modes.
    int GENERIC_READ = 0x80000000;
    int GENERIC_WRITE = 0x40000000;
    int FILE_READ_ATTRIBUTES = 0x0080;
    int FILE_SHARE_READ = 0x1;
    int FILE_SHARE_WRITE = 0x2;
    int FILE_SHARE_DELETE = 0x4;
    // fileapi.h creation dispositions.
    int CREATE_NEW = 1;
    int OPEN_EXISTING = 3;
    // winnt.h / winbase.h attributes and flags.
    int FILE_ATTRIBUTE_DIRECTORY = 0x10;
    int FILE_ATTRIBUTE_NORMAL = 0x80;
    int FILE_ATTRIBUTE_SPARSE_FILE = 0x200;
    int FILE_ATTRIBUTE_REPARSE_POINT = 0x400;
    int FILE_ATTRIBUTE_INTEGRITY_STREAM = 0x8000;
    int FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;
    /** Open a symlink (any reparse point) itself, never what it points to. */
    int FILE_FLAG_OPEN_REPARSE_POINT = 0x00200000;
    // winnt.h file system flags (GetVolumeInformation's lpFileSystemFlags).
    int FILE_SUPPORTS_SPARSE_FILES = 0x00000040;
    int FILE_SUPPORTS_REPARSE_POINTS = 0x00000080;
    int FILE_READ_ONLY_VOLUME = 0x00080000;
    int FILE_SUPPORTS_HARD_LINKS = 0x00400000;
    int FILE_SUPPORTS_INTEGRITY_STREAMS = 0x04000000;
    /** The volume can share clusters between files: FSCTL_DUPLICATE_EXTENTS_TO_FILE works ([MS-FSCC] 2.5.1). */
    int FILE_SUPPORTS_BLOCK_REFCOUNTING = 0x08000000;
    // winbase.h CreateSymbolicLinkW flags.
    int SYMBOLIC_LINK_FLAG_DIRECTORY = 0x1;
    /** Windows 10 1703+: no privilege needed when Developer Mode is on. */
    int SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE = 0x2;
    /** FILE_INFO_BY_HANDLE_CLASS (minwinbase.h): FileBasicInfo = 0, ..., FileEndOfFileInfo = 6. */
    int FILE_END_OF_FILE_INFO = 6;
    /** MAX_PATH + 1: enough for file system names and volume GUID paths ("\\?\Volume{GUID}\" is 49). */
    int MAX_PATH_CHARS = 261;

    Pointer CreateFileW(WString fileName, int desiredAccess, int shareMode, Pointer securityAttributes,
                        int creationDisposition, int flagsAndAttributes, Pointer templateFile);

    int CloseHandle(Pointer handle);

    int DeviceIoControl(Pointer device, int ioControlCode, Pointer inBuffer, int inBufferSize, Pointer outBuffer,
                        int outBufferSize, IntByReference bytesReturned, Pointer overlapped);

    int GetFileInformationByHandle(Pointer file, ByHandleFileInformation info);

    int SetFileInformationByHandle(Pointer file, int infoClass, Pointer info, int bufferSize);

    int GetVolumeInformationW(WString rootPathName, Pointer volumeName, int volumeNameSize, IntByReference serialNumber,
                              IntByReference maxComponentLength, IntByReference fileSystemFlags, Pointer fileSystemName,
                              int fileSystemNameSize);

    int GetVolumeInformationByHandleW(Pointer file, Pointer volumeName, int volumeNameSize,
                                      IntByReference serialNumber, IntByReference maxComponentLength,
                                      IntByReference fileSystemFlags, Pointer fileSystemName, int fileSystemNameSize);

    int GetVolumePathNameW(WString fileName, Pointer volumePathName, int bufferLength);

    int GetVolumeNameForVolumeMountPointW(WString volumeMountPoint, Pointer volumeName, int bufferLength);

    int GetDiskFreeSpaceW(WString rootPathName, IntByReference sectorsPerCluster, IntByReference bytesPerSector,
                          IntByReference numberOfFreeClusters, IntByReference totalNumberOfClusters);

    int CreateHardLinkW(WString fileName, WString existingFileName, Pointer securityAttributes);

    /** Returns a BOOLEAN (one byte), not a BOOL. */
    byte CreateSymbolicLinkW(WString symlinkFileName, WString targetFileName, int flags);

    /** GetLastError of this thread's last call through this binding. */
    int lastError();

    /** INVALID_HANDLE_VALUE ((HANDLE)(LONG_PTR)-1) or NULL. */
    static boolean invalid(Pointer handle) {
        return handle == null || Pointer.nativeValue(handle) == -1L;
    }
}
