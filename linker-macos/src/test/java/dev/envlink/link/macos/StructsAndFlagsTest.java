package dev.envlink.link.macos;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** struct statfs of 64-bit macOS, the statfs symbol per architecture, and the flag values. */
class StructsAndFlagsTest {

    /** Exposes the protected layout queries of JNA's Structure. */
    private static final class Probe extends Statfs {
        int offset(String field) {
            return fieldOffset(field);
        }
    }

    @Test
    void statfsFieldOrderFollowsMountH() {
        assertArrayEquals(new String[] {"f_bsize", "f_iosize", "f_blocks", "f_bfree", "f_bavail", "f_files",
                "f_ffree", "f_fsid", "f_owner", "f_type", "f_flags", "f_fssubtype", "f_fstypename", "f_mntonname",
                "f_mntfromname", "f_flags_ext", "f_reserved"}, Statfs.class.getAnnotation(Structure.FieldOrder.class).value());
    }

    /** Fixed-width fields only, so the layout is the same wherever the test runs. */
    @Test
    void statfsSizeAndOffsets() {
        Probe st = new Probe();
        assertEquals(2168, st.size());
        assertEquals(0, st.offset("f_bsize"));
        assertEquals(4, st.offset("f_iosize"));
        assertEquals(8, st.offset("f_blocks"));
        assertEquals(40, st.offset("f_ffree"));
        assertEquals(48, st.offset("f_fsid"));
        assertEquals(56, st.offset("f_owner"));
        assertEquals(60, st.offset("f_type"));
        assertEquals(64, st.offset("f_flags"));
        assertEquals(68, st.offset("f_fssubtype"));
        assertEquals(72, st.offset("f_fstypename"));
        assertEquals(88, st.offset("f_mntonname"));
        assertEquals(88 + 1024, st.offset("f_mntfromname"));
        assertEquals(88 + 2048, st.offset("f_flags_ext"));
        assertEquals(88 + 2048 + 4, st.offset("f_reserved"));
    }

    @Test
    void statfsReadsTheTypeNameFromNativeMemory() {
        Statfs st = new Statfs();
        st.getPointer().write(72, "apfs\0".getBytes(StandardCharsets.US_ASCII), 0, 5);
        st.getPointer().write(88, "/System/Volumes/Data\0".getBytes(StandardCharsets.US_ASCII), 0, 21);
        st.getPointer().setInt(64, Flags.MNT_LOCAL | Flags.MNT_JOURNALED);
        st.read();
        assertEquals("apfs", st.typeName());
        assertEquals("/System/Volumes/Data", st.mountedOn());
        assertEquals("", st.mountedFrom());
        assertEquals("local, journaled", Flags.describeMountFlags(st.f_flags));
        assertEquals("abc", Statfs.cString("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void statfsSymbolPerArchitecture() {
        assertEquals("statfs$INODE64", Statfs.symbol("x86_64"));
        assertEquals("statfs$INODE64", Statfs.symbol("amd64"));
        assertEquals("statfs", Statfs.symbol("aarch64"));
        assertEquals("statfs", Statfs.symbol("arm64"));
    }

    @Test
    void cloneAndCopyfileFlags() {
        assertEquals(0x0001, Flags.CLONE_NOFOLLOW);
        assertEquals(0x0002, Flags.CLONE_NOOWNERCOPY);
        assertEquals(0x0003, Flags.CLONE);
        assertEquals(0xF, Flags.COPYFILE_ALL);
        assertEquals(0x20000, Flags.COPYFILE_EXCL);
        assertEquals(0xC0000, Flags.COPYFILE_NOFOLLOW);
        assertEquals(0x1000000, Flags.COPYFILE_CLONE);
        assertEquals(0xF | 0x20000 | 0xC0000, Flags.COPY);
        assertEquals(0, Flags.COPY & Flags.COPYFILE_CLONE, "a copy must never be a clone");
        assertEquals(0, Flags.COPY & (1 << 25), "nor COPYFILE_CLONE_FORCE");
    }

    @Test
    void mountFlags() {
        assertEquals("network, read-only", Flags.describeMountFlags(Flags.MNT_RDONLY));
        assertEquals("local, root filesystem, snapshot", Flags.describeMountFlags(
                Flags.MNT_LOCAL | Flags.MNT_ROOTFS | Flags.MNT_SNAPSHOT));
    }
}
