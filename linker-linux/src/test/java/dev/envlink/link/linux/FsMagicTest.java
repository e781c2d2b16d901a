package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FsMagicTest {

    @Test
    void knownNames() {
        assertEquals("btrfs", FsMagic.name(0x9123683EL));
        assertEquals("xfs", FsMagic.name(0x58465342L));
        assertEquals("ext2/ext3/ext4", FsMagic.name(0xEF53L));
        assertEquals("tmpfs", FsMagic.name(0x01021994L));
    }

    @Test
    void signExtendedMagicIsUnderstood() {
        // f_type is a signed long: btrfs's 0x9123683E may arrive sign-extended from a 32-bit word.
        assertEquals("btrfs", FsMagic.name(0xFFFFFFFF9123683EL));
        assertTrue(FsMagic.copyFileRangeMayClone(0xFFFFFFFF9123683EL));
    }

    @Test
    void unknownMagicIsShownInHex() {
        assertEquals("unknown (0x12345678)", FsMagic.name(0x12345678L));
    }

    @Test
    void copyFileRangeMayCloneOnlyOnCloningFilesystems() {
        assertTrue(FsMagic.copyFileRangeMayClone(FsMagic.BTRFS));
        assertTrue(FsMagic.copyFileRangeMayClone(FsMagic.XFS));
        assertTrue(FsMagic.copyFileRangeMayClone(FsMagic.NFS));
        assertFalse(FsMagic.copyFileRangeMayClone(FsMagic.EXT));
        assertFalse(FsMagic.copyFileRangeMayClone(FsMagic.TMPFS));
    }
}
