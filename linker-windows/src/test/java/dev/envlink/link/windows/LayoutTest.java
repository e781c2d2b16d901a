package dev.envlink.link.windows;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import org.junit.jupiter.api.Test;

/** Structure sizes and field order as the Windows headers define them (64-bit). */
class LayoutTest {

    private static String[] order(Class<? extends Structure> c) {
        return c.getAnnotation(Structure.FieldOrder.class).value();
    }

    private static int offset(Structure s, String field) {
        try {
            var m = Structure.class.getDeclaredMethod("fieldOffset", String.class);
            m.setAccessible(true);
            return (int) m.invoke(s, field);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void duplicateExtentsData() {
        assumeTrue(Native.POINTER_SIZE == 8, "the provider runs on 64-bit JVMs only");
        assertArrayEquals(new String[] {"FileHandle", "SourceFileOffset", "TargetFileOffset", "ByteCount"},
                order(DuplicateExtentsData.class));
        DuplicateExtentsData d = new DuplicateExtentsData(new Pointer(0x1234), 4096, 8192, 65536);
        assertEquals(32, d.size());
        assertEquals(8, offset(d, "SourceFileOffset"));
        assertEquals(16, offset(d, "TargetFileOffset"));
        assertEquals(24, offset(d, "ByteCount"));
        // What DeviceIoControl reads.
        assertEquals(0x1234, Pointer.nativeValue(d.getPointer().getPointer(0)));
        assertEquals(4096, d.getPointer().getLong(8));
        assertEquals(8192, d.getPointer().getLong(16));
        assertEquals(65536, d.getPointer().getLong(24));
    }

    @Test
    void byHandleFileInformationUsesFourByteAlignedFiletimes() {
        assertArrayEquals(new String[] {"dwFileAttributes", "ftCreationTime", "ftLastAccessTime", "ftLastWriteTime",
                "dwVolumeSerialNumber", "nFileSizeHigh", "nFileSizeLow", "nNumberOfLinks", "nFileIndexHigh",
                "nFileIndexLow"}, order(ByHandleFileInformation.class));
        ByHandleFileInformation info = new ByHandleFileInformation();
        assertEquals(52, info.size());
        assertEquals(4, offset(info, "ftCreationTime"));
        assertEquals(28, offset(info, "dwVolumeSerialNumber"));
        assertEquals(32, offset(info, "nFileSizeHigh"));
        assertEquals(36, offset(info, "nFileSizeLow"));
        assertEquals(48, offset(info, "nFileIndexLow"));
        info.getPointer().setInt(32, 2);
        info.getPointer().setInt(36, 0x80000001);
        info.read();
        assertEquals((2L << 32) + 0x80000001L, info.fileSize(), "both halves unsigned");
    }

    @Test
    void integrityInformation() {
        assertArrayEquals(new String[] {"ChecksumAlgorithm", "Reserved", "Flags", "ChecksumChunkSizeInBytes",
                "ClusterSizeInBytes"}, order(IntegrityInformation.class));
        IntegrityInformation i = new IntegrityInformation();
        assertEquals(16, i.size());
        assertEquals(4, offset(i, "Flags"));
        assertEquals(12, offset(i, "ClusterSizeInBytes"));
        assertEquals(8, IntegrityInformation.SET_BUFFER_SIZE, "FSCTL_SET_INTEGRITY_INFORMATION_BUFFER is the first 8 bytes");
    }

    @Test
    void persistentVolumeInformationAndAllocatedRange() {
        assertArrayEquals(new String[] {"VolumeFlags", "FlagMask", "Version", "Reserved"},
                order(PersistentVolumeInformation.class));
        assertEquals(16, new PersistentVolumeInformation().size());
        assertArrayEquals(new String[] {"FileOffset", "Length"}, order(AllocatedRange.class));
        assertEquals(AllocatedRange.SIZE, new AllocatedRange().size());
        assertEquals(16, AllocatedRange.SIZE);
    }
}
