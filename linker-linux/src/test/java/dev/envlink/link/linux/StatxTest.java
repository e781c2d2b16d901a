package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** struct statx decoding and the attributes derived from it: pure logic, runs everywhere. */
class StatxTest {
    private static byte[] buffer(int mode, long size, long sec, int nsec) {
        ByteBuffer b = ByteBuffer.allocate(Statx.SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0, Statx.MASK);
        b.putShort(28, (short) mode);
        b.putLong(40, size);
        b.putLong(112, sec);
        b.putInt(120, nsec);
        return b.array();
    }

    @Test
    void decodesModeSizeAndMtimeAtTheKernelOffsets() {
        Statx st = Statx.decode(buffer(0104755, 123_456_789_012L, 1_700_000_000L, 999_999_999));
        assertTrue(st.regular());
        assertEquals(0755, st.permissions(), "setuid is never carried over");
        assertEquals(123_456_789_012L, st.size());
        assertEquals(1_700_000_000L, st.mtimeSeconds());
        assertEquals(999_999_999, st.mtimeNanos());
        assertEquals(Statx.MASK, Statx.filled(buffer(0100644, 0, 0, 0)));
        assertEquals(-5L, Statx.decode(buffer(0100644, 0, -5, 0)).mtimeSeconds(), "tv_sec is signed: before 1970");
    }

    @Test
    void typesOtherThanRegularAreTold() {
        assertFalse(Statx.decode(buffer(0120777, 0, 0, 0)).regular(), "symlink");
        assertFalse(Statx.decode(buffer(0010644, 0, 0, 0)).regular(), "fifo");
        assertFalse(Statx.decode(buffer(0040755, 0, 0, 0)).regular(), "directory");
        assertFalse(Statx.regular(buffer(0120777, 0, 0, 0)), "symlink, read in place");
        assertFalse(Statx.regular(buffer(0040755, 0, 0, 0)), "directory, read in place");
    }

    /** The in-place readers of the hardlink fast path agree with the record, at every byte. */
    @Test
    void typeAndSizeReadInPlaceAgreeWithDecode() {
        for (long size : new long[] {0, 1, 255, 256, 0x7F_FFFF_FFFFL, 0x0102_0304_0506_0708L, Long.MAX_VALUE}) {
            byte[] b = buffer(0100644, size, 1, 2);
            assertTrue(Statx.regular(b));
            assertEquals(size, Statx.size(b));
            assertEquals(Statx.decode(b).size(), Statx.size(b));
        }
        assertTrue(Statx.regular(buffer(0104755, 0, 0, 0)), "setuid regular file");
    }

    @Test
    void futimensLeavesTheAccessTimeAlone() {
        Statx st = Statx.decode(buffer(0100644, 1, 42, 7));
        assertArrayEquals(new long[] {0, (1L << 30) - 2, 42, 7}, st.futimensTimes());
    }

    @Test
    void deviceIsMajorColonMinorFromTheDevFields() {
        ByteBuffer b = ByteBuffer.allocate(Statx.SIZE).order(ByteOrder.nativeOrder());
        b.putInt(128, 99); // stx_rdev_major: the device a special file is, not the one it is on
        b.putInt(136, 259);
        b.putInt(140, 0x10_0001); // minors above 255 (Btrfs, NVMe partitions) in full
        assertEquals("259:1048577", Statx.device(b.array()));
        b.putInt(140, -1); // __u32: never negative
        assertEquals("259:4294967295", Statx.device(b.array()));
    }
}
