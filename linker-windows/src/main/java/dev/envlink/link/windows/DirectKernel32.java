package dev.envlink.link.windows;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.WString;
import com.sun.jna.ptr.IntByReference;

/**
 * {@link Kernel32} through JNA direct mapping (static natives, JNI-speed calls, as the Linux
 * provider does). 64-bit Windows has one calling convention, so no stdcall mapping is needed;
 * the provider refuses 32-bit JVMs.
 */
final class DirectKernel32 implements Kernel32 {

    /** Registering happens when this class is first used, never when the provider is built. */
    private static final class K {
        static {
            Native.register("kernel32");
        }

        static void init() {
            // Calling this runs the static initializer above.
        }

        static native Pointer CreateFileW(WString fileName, int desiredAccess, int shareMode, Pointer securityAttributes,
                                          int creationDisposition, int flagsAndAttributes, Pointer templateFile);

        static native int CloseHandle(Pointer handle);

        static native int DeviceIoControl(Pointer device, int ioControlCode, Pointer inBuffer, int inBufferSize,
                                          Pointer outBuffer, int outBufferSize, IntByReference bytesReturned,
                                          Pointer overlapped);

        static native int GetFileInformationByHandle(Pointer file, ByHandleFileInformation info);

        static native int SetFileInformationByHandle(Pointer file, int infoClass, Pointer info, int bufferSize);

        static native int GetVolumeInformationW(WString rootPathName, Pointer volumeName, int volumeNameSize,
                                                IntByReference serialNumber, IntByReference maxComponentLength,
                                                IntByReference fileSystemFlags, Pointer fileSystemName,
                                                int fileSystemNameSize);

        static native int GetVolumeInformationByHandleW(Pointer file, Pointer volumeName, int volumeNameSize,
                                                        IntByReference serialNumber, IntByReference maxComponentLength,
                                                        IntByReference fileSystemFlags, Pointer fileSystemName,
                                                        int fileSystemNameSize);

        static native int GetVolumePathNameW(WString fileName, Pointer volumePathName, int bufferLength);

        static native int GetVolumeNameForVolumeMountPointW(WString volumeMountPoint, Pointer volumeName,
                                                            int bufferLength);

        static native int GetDiskFreeSpaceW(WString rootPathName, IntByReference sectorsPerCluster,
                                            IntByReference bytesPerSector, IntByReference numberOfFreeClusters,
                                            IntByReference totalNumberOfClusters);

        static native int CreateHardLinkW(WString fileName, WString existingFileName, Pointer securityAttributes);

        static native byte CreateSymbolicLinkW(WString symlinkFileName, WString targetFileName, int flags);
    }

    private DirectKernel32() {
    }

    /** Registers the natives (once) and returns the binding. */
    static Kernel32 bind() {
        K.init();
        return new DirectKernel32();
    }

    @Override
    public Pointer CreateFileW(WString fileName, int desiredAccess, int shareMode, Pointer securityAttributes,
                               int creationDisposition, int flagsAndAttributes, Pointer templateFile) {
        return K.CreateFileW(fileName, desiredAccess, shareMode, securityAttributes, creationDisposition,
                flagsAndAttributes, templateFile);
    }

    @Override
    public int CloseHandle(Pointer handle) {
        return K.CloseHandle(handle);
    }

    @Override
    public int DeviceIoControl(Pointer device, int ioControlCode, Pointer inBuffer, int inBufferSize, Pointer outBuffer,
                               int outBufferSize, IntByReference bytesReturned, Pointer overlapped) {
        return K.DeviceIoControl(device, ioControlCode, inBuffer, inBufferSize, outBuffer, outBufferSize,
                bytesReturned, overlapped);
    }

    @Override
    public int GetFileInformationByHandle(Pointer file, ByHandleFileInformation info) {
        return K.GetFileInformationByHandle(file, info);
    }

    @Override
    public int SetFileInformationByHandle(Pointer file, int infoClass, Pointer info, int bufferSize) {
        return K.SetFileInformationByHandle(file, infoClass, info, bufferSize);
    }

    @Override
    public int GetVolumeInformationW(WString rootPathName, Pointer volumeName, int volumeNameSize,
                                     IntByReference serialNumber, IntByReference maxComponentLength,
                                     IntByReference fileSystemFlags, Pointer fileSystemName, int fileSystemNameSize) {
        return K.GetVolumeInformationW(rootPathName, volumeName, volumeNameSize, serialNumber, maxComponentLength,
                fileSystemFlags, fileSystemName, fileSystemNameSize);
    }

    @Override
    public int GetVolumeInformationByHandleW(Pointer file, Pointer volumeName, int volumeNameSize,
                                             IntByReference serialNumber, IntByReference maxComponentLength,
                                             IntByReference fileSystemFlags, Pointer fileSystemName,
                                             int fileSystemNameSize) {
        return K.GetVolumeInformationByHandleW(file, volumeName, volumeNameSize, serialNumber, maxComponentLength,
                fileSystemFlags, fileSystemName, fileSystemNameSize);
    }

    @Override
    public int GetVolumePathNameW(WString fileName, Pointer volumePathName, int bufferLength) {
        return K.GetVolumePathNameW(fileName, volumePathName, bufferLength);
    }

    @Override
    public int GetVolumeNameForVolumeMountPointW(WString volumeMountPoint, Pointer volumeName, int bufferLength) {
        return K.GetVolumeNameForVolumeMountPointW(volumeMountPoint, volumeName, bufferLength);
    }

    @Override
    public int GetDiskFreeSpaceW(WString rootPathName, IntByReference sectorsPerCluster, IntByReference bytesPerSector,
                                 IntByReference numberOfFreeClusters, IntByReference totalNumberOfClusters) {
        return K.GetDiskFreeSpaceW(rootPathName, sectorsPerCluster, bytesPerSector, numberOfFreeClusters,
                totalNumberOfClusters);
    }

    @Override
    public int CreateHardLinkW(WString fileName, WString existingFileName, Pointer securityAttributes) {
        return K.CreateHardLinkW(fileName, existingFileName, securityAttributes);
    }

    @Override
    public byte CreateSymbolicLinkW(WString symlinkFileName, WString targetFileName, int flags) {
        return K.CreateSymbolicLinkW(symlinkFileName, targetFileName, flags);
    }

    @Override
    public int lastError() {
        // JNA saves GetLastError after every call, also of methods not declaring LastErrorException.
        return Native.getLastError();
    }
}
