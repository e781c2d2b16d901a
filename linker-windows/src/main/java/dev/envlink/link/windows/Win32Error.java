package dev.envlink.link.windows;

import dev.envlink.link.NativeErrors;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Win32 error codes (winerror.h) the provider meets, and their conversion into Java exceptions
 * that name the operation, the file and the cause. NTSTATUS values from the file system arrive
 * translated: STATUS_INVALID_DEVICE_REQUEST as ERROR_INVALID_FUNCTION, STATUS_NOT_SUPPORTED as
 * ERROR_NOT_SUPPORTED, STATUS_DISK_FULL as ERROR_DISK_FULL, STATUS_MEDIA_WRITE_PROTECTED as
 * ERROR_WRITE_PROTECT.
 */
final class Win32Error {
    static final int ERROR_INVALID_FUNCTION = 1;
    static final int ERROR_FILE_NOT_FOUND = 2;
    static final int ERROR_PATH_NOT_FOUND = 3;
    static final int ERROR_ACCESS_DENIED = 5;
    static final int ERROR_INVALID_HANDLE = 6;
    static final int ERROR_NOT_ENOUGH_MEMORY = 8;
    static final int ERROR_NOT_SAME_DEVICE = 17;
    static final int ERROR_WRITE_PROTECT = 19;
    static final int ERROR_NOT_READY = 21;
    static final int ERROR_CRC = 23;
    static final int ERROR_SHARING_VIOLATION = 32;
    static final int ERROR_LOCK_VIOLATION = 33;
    static final int ERROR_HANDLE_DISK_FULL = 39;
    static final int ERROR_NOT_SUPPORTED = 50;
    static final int ERROR_BAD_NETPATH = 53;
    static final int ERROR_FILE_EXISTS = 80;
    static final int ERROR_INVALID_PARAMETER = 87;
    static final int ERROR_DISK_FULL = 112;
    static final int ERROR_INSUFFICIENT_BUFFER = 122;
    static final int ERROR_INVALID_NAME = 123;
    static final int ERROR_ALREADY_EXISTS = 183;
    static final int ERROR_FILENAME_EXCED_RANGE = 206;
    static final int ERROR_MORE_DATA = 234;
    /** The command specified a data offset that does not align to the device's granularity/alignment. */
    static final int ERROR_OFFSET_ALIGNMENT_VIOLATION = 327;
    /** A file system block being referenced has already reached the maximum reference count (ReFS: 8175). */
    static final int ERROR_BLOCK_TOO_MANY_REFERENCES = 347;
    static final int ERROR_IO_DEVICE = 1117;
    static final int ERROR_TOO_MANY_LINKS = 1142;
    static final int ERROR_DISK_QUOTA_EXCEEDED = 1295;
    static final int ERROR_PRIVILEGE_NOT_HELD = 1314;
    static final int ERROR_NO_SYSTEM_RESOURCES = 1450;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(ERROR_INVALID_FUNCTION, "ERROR_INVALID_FUNCTION"),
            Map.entry(ERROR_FILE_NOT_FOUND, "ERROR_FILE_NOT_FOUND"),
            Map.entry(ERROR_PATH_NOT_FOUND, "ERROR_PATH_NOT_FOUND"),
            Map.entry(ERROR_ACCESS_DENIED, "ERROR_ACCESS_DENIED"),
            Map.entry(ERROR_INVALID_HANDLE, "ERROR_INVALID_HANDLE"),
            Map.entry(ERROR_NOT_ENOUGH_MEMORY, "ERROR_NOT_ENOUGH_MEMORY"),
            Map.entry(ERROR_NOT_SAME_DEVICE, "ERROR_NOT_SAME_DEVICE"),
            Map.entry(ERROR_WRITE_PROTECT, "ERROR_WRITE_PROTECT"),
            Map.entry(ERROR_NOT_READY, "ERROR_NOT_READY"),
            Map.entry(ERROR_CRC, "ERROR_CRC"),
            Map.entry(ERROR_SHARING_VIOLATION, "ERROR_SHARING_VIOLATION"),
            Map.entry(ERROR_LOCK_VIOLATION, "ERROR_LOCK_VIOLATION"),
            Map.entry(ERROR_HANDLE_DISK_FULL, "ERROR_HANDLE_DISK_FULL"),
            Map.entry(ERROR_NOT_SUPPORTED, "ERROR_NOT_SUPPORTED"),
            Map.entry(ERROR_BAD_NETPATH, "ERROR_BAD_NETPATH"),
            Map.entry(ERROR_FILE_EXISTS, "ERROR_FILE_EXISTS"),
            Map.entry(ERROR_INVALID_PARAMETER, "ERROR_INVALID_PARAMETER"),
            Map.entry(ERROR_DISK_FULL, "ERROR_DISK_FULL"),
            Map.entry(ERROR_INSUFFICIENT_BUFFER, "ERROR_INSUFFICIENT_BUFFER"),
            Map.entry(ERROR_INVALID_NAME, "ERROR_INVALID_NAME"),
            Map.entry(ERROR_ALREADY_EXISTS, "ERROR_ALREADY_EXISTS"),
            Map.entry(ERROR_FILENAME_EXCED_RANGE, "ERROR_FILENAME_EXCED_RANGE"),
            Map.entry(ERROR_MORE_DATA, "ERROR_MORE_DATA"),
            Map.entry(ERROR_OFFSET_ALIGNMENT_VIOLATION, "ERROR_OFFSET_ALIGNMENT_VIOLATION"),
            Map.entry(ERROR_BLOCK_TOO_MANY_REFERENCES, "ERROR_BLOCK_TOO_MANY_REFERENCES"),
            Map.entry(ERROR_IO_DEVICE, "ERROR_IO_DEVICE"),
            Map.entry(ERROR_TOO_MANY_LINKS, "ERROR_TOO_MANY_LINKS"),
            Map.entry(ERROR_DISK_QUOTA_EXCEEDED, "ERROR_DISK_QUOTA_EXCEEDED"),
            Map.entry(ERROR_PRIVILEGE_NOT_HELD, "ERROR_PRIVILEGE_NOT_HELD"),
            Map.entry(ERROR_NO_SYSTEM_RESOURCES, "ERROR_NO_SYSTEM_RESOURCES"));

    /** FormatMessage texts (English), shortened. */
    private static final Map<Integer, String> MESSAGES = Map.ofEntries(
            Map.entry(ERROR_INVALID_FUNCTION, "Incorrect function"),
            Map.entry(ERROR_FILE_NOT_FOUND, "The system cannot find the file specified"),
            Map.entry(ERROR_PATH_NOT_FOUND, "The system cannot find the path specified"),
            Map.entry(ERROR_ACCESS_DENIED, "Access is denied"),
            Map.entry(ERROR_NOT_SAME_DEVICE, "The system cannot move the file to a different disk drive"),
            Map.entry(ERROR_WRITE_PROTECT, "The media is write protected"),
            Map.entry(ERROR_SHARING_VIOLATION, "The process cannot access the file because it is being used by another process"),
            Map.entry(ERROR_HANDLE_DISK_FULL, "The disk is full"),
            Map.entry(ERROR_NOT_SUPPORTED, "The request is not supported"),
            Map.entry(ERROR_FILE_EXISTS, "The file exists"),
            Map.entry(ERROR_INVALID_PARAMETER, "The parameter is incorrect"),
            Map.entry(ERROR_DISK_FULL, "There is not enough space on the disk"),
            Map.entry(ERROR_ALREADY_EXISTS, "Cannot create a file when that file already exists"),
            Map.entry(ERROR_FILENAME_EXCED_RANGE, "The filename or extension is too long"),
            Map.entry(ERROR_MORE_DATA, "More data is available"),
            Map.entry(ERROR_OFFSET_ALIGNMENT_VIOLATION, "The offset does not align to the device's granularity"),
            Map.entry(ERROR_BLOCK_TOO_MANY_REFERENCES, "A file system block has reached its maximum reference count"),
            Map.entry(ERROR_IO_DEVICE, "The request could not be performed because of an I/O device error"),
            Map.entry(ERROR_TOO_MANY_LINKS, "An attempt was made to create more links on a file than the file system supports"),
            Map.entry(ERROR_DISK_QUOTA_EXCEEDED, "Insufficient quota to complete the requested service"),
            Map.entry(ERROR_PRIVILEGE_NOT_HELD, "A required privilege is not held by the client"),
            Map.entry(ERROR_NO_SYSTEM_RESOURCES, "Insufficient system resources exist to complete the requested service"));

    private Win32Error() {
    }

    static String name(int code) {
        return NAMES.getOrDefault(code, "error " + code);
    }

    /** "The request is not supported (ERROR_NOT_SUPPORTED, 50)". */
    static String describe(int code) {
        String msg = MESSAGES.get(code);
        String id = NAMES.containsKey(code) ? NAMES.get(code) + ", " + code : "Win32 error " + code;
        return msg == null ? id : msg + " (" + id + ")";
    }

    /** A real error as the most specific NIO exception, naming the operation, file and cause. */
    static FileSystemException exception(String operation, Path file, Path other, int code) {
        NativeErrors.Kind kind = switch (code) {
            case ERROR_FILE_NOT_FOUND, ERROR_PATH_NOT_FOUND -> NativeErrors.Kind.NOT_FOUND;
            case ERROR_FILE_EXISTS, ERROR_ALREADY_EXISTS -> NativeErrors.Kind.EXISTS;
            case ERROR_ACCESS_DENIED -> NativeErrors.Kind.DENIED;
            default -> NativeErrors.Kind.OTHER;
        };
        return NativeErrors.exception(kind, operation, file, other, describe(code));
    }

}
