package dev.envlink.link.windows;

/**
 * File system control codes, computed the way winioctl.h's CTL_CODE macro does:
 * {@code (DeviceType << 16) | (Access << 14) | (Function << 2) | Method}.
 */
final class Fsctl {
    static final int FILE_DEVICE_FILE_SYSTEM = 0x9;
    static final int METHOD_BUFFERED = 0;
    static final int METHOD_NEITHER = 3;
    static final int FILE_ANY_ACCESS = 0;
    /** FILE_SPECIAL_ACCESS is defined as FILE_ANY_ACCESS. */
    static final int FILE_SPECIAL_ACCESS = FILE_ANY_ACCESS;
    static final int FILE_READ_ACCESS = 0x1;
    static final int FILE_WRITE_ACCESS = 0x2;
    /** FILE_READ_DATA / FILE_WRITE_DATA as access bits of a control code (same values as the _ACCESS ones). */
    static final int FILE_READ_DATA = 0x1;
    static final int FILE_WRITE_DATA = 0x2;

    /** CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 49, METHOD_BUFFERED, FILE_SPECIAL_ACCESS): input FILE_SET_SPARSE_BUFFER. */
    static final int FSCTL_SET_SPARSE = ctlCode(FILE_DEVICE_FILE_SYSTEM, 49, METHOD_BUFFERED, FILE_SPECIAL_ACCESS);
    /** CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 51, METHOD_NEITHER, FILE_READ_DATA): FILE_ALLOCATED_RANGE_BUFFER in and out. */
    static final int FSCTL_QUERY_ALLOCATED_RANGES = ctlCode(FILE_DEVICE_FILE_SYSTEM, 51, METHOD_NEITHER, FILE_READ_DATA);
    /** CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 143, METHOD_BUFFERED, FILE_ANY_ACCESS): FILE_FS_PERSISTENT_VOLUME_INFORMATION. */
    static final int FSCTL_QUERY_PERSISTENT_VOLUME_STATE =
            ctlCode(FILE_DEVICE_FILE_SYSTEM, 143, METHOD_BUFFERED, FILE_ANY_ACCESS);
    /** CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 159, METHOD_BUFFERED, FILE_ANY_ACCESS): FSCTL_GET_INTEGRITY_INFORMATION_BUFFER out. */
    static final int FSCTL_GET_INTEGRITY_INFORMATION =
            ctlCode(FILE_DEVICE_FILE_SYSTEM, 159, METHOD_BUFFERED, FILE_ANY_ACCESS);
    /** CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 160, METHOD_BUFFERED, FILE_READ_DATA | FILE_WRITE_DATA). */
    static final int FSCTL_SET_INTEGRITY_INFORMATION =
            ctlCode(FILE_DEVICE_FILE_SYSTEM, 160, METHOD_BUFFERED, FILE_READ_DATA | FILE_WRITE_DATA);
    /** CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 209, METHOD_BUFFERED, FILE_WRITE_ACCESS) = 0x98344: block cloning. */
    static final int FSCTL_DUPLICATE_EXTENTS_TO_FILE =
            ctlCode(FILE_DEVICE_FILE_SYSTEM, 209, METHOD_BUFFERED, FILE_WRITE_ACCESS);

    private Fsctl() {
    }

    static int ctlCode(int deviceType, int function, int method, int access) {
        return (deviceType << 16) | (access << 14) | (function << 2) | method;
    }
}
