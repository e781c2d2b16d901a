package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Native;
import com.sun.jna.Structure;
import org.junit.jupiter.api.Test;

/** struct statfs of 64-bit Linux: 120 bytes, f_fsid being two ints after seven longs. */
class StatfsTest {

    /** Exposes the protected layout queries of JNA's Structure. */
    private static final class Probe extends Statfs {
        int offset(String field) {
            return fieldOffset(field);
        }
    }

    @Test
    void fieldOrder() {
        Structure.FieldOrder order = Statfs.class.getAnnotation(Structure.FieldOrder.class);
        assertArrayEquals(new String[] {"f_type", "f_bsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree",
                "f_fsid", "f_namelen", "f_frsize", "f_flags", "f_spare"}, order.value());
    }

    @Test
    void sizeAndOffsetsOn64Bit() {
        assumeTrue(Native.LONG_SIZE == 8, "struct statfs layout is checked for 64-bit longs only");
        Probe st = new Probe();
        assertEquals(120, st.size());
        assertEquals(0, st.offset("f_type"));
        assertEquals(8, st.offset("f_bsize"));
        assertEquals(16, st.offset("f_blocks"));
        assertEquals(48, st.offset("f_ffree"));
        assertEquals(56, st.offset("f_fsid"));
        assertEquals(64, st.offset("f_namelen"));
        assertEquals(72, st.offset("f_frsize"));
        assertEquals(80, st.offset("f_flags"));
        assertEquals(88, st.offset("f_spare"));
    }
}
