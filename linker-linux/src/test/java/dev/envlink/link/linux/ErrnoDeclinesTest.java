package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.DeclineReason;
import dev.envlink.link.LinkMethod;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which errno values are "try the next method" and which are real errors that must stop. */
class ErrnoDeclinesTest {

    @Test
    void errnoValuesAreLinuxGeneric() {
        assertEquals(18, Errno.EXDEV);
        assertEquals(95, Errno.EOPNOTSUPP);
        assertEquals(31, Errno.EMLINK);
        assertEquals(28, Errno.ENOSPC);
        assertEquals(122, Errno.EDQUOT);
        assertEquals(30, Errno.EROFS);
        assertEquals(5, Errno.EIO);
    }

    @Test
    void crossDevice() {
        assertEquals(Optional.of(DeclineReason.CROSS_DEVICE), ErrnoDeclines.forMethod(LinkMethod.REFLINK, Errno.EXDEV));
        assertEquals(Optional.of(DeclineReason.CROSS_DEVICE), ErrnoDeclines.forMethod(LinkMethod.HARDLINK, Errno.EXDEV));
        assertTrue(DeclineReason.CROSS_DEVICE.perFilesystem());
    }

    @Test
    void cloneUnsupported() {
        assertEquals(Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM),
                ErrnoDeclines.forMethod(LinkMethod.REFLINK, Errno.EOPNOTSUPP));
        assertEquals(Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM),
                ErrnoDeclines.forMethod(LinkMethod.REFLINK, Errno.ENOTTY));
        assertTrue(DeclineReason.UNSUPPORTED_BY_FILESYSTEM.perFilesystem());
    }

    @Test
    void tooManyLinksIsPerFile() {
        assertEquals(Optional.of(DeclineReason.TOO_MANY_LINKS),
                ErrnoDeclines.forMethod(LinkMethod.HARDLINK, Errno.EMLINK));
        assertFalse(DeclineReason.TOO_MANY_LINKS.perFilesystem(), "EMLINK is about one inode, not the filesystem");
    }

    @Test
    void einvalOnCloneIsPerFileOther() {
        Optional<DeclineReason> r = ErrnoDeclines.forMethod(LinkMethod.REFLINK, Errno.EINVAL);
        assertEquals(Optional.of(DeclineReason.OTHER), r);
        assertFalse(r.get().perFilesystem(), "a btrfs nodatacow mismatch must not disable reflinks for the whole tree");
    }

    @ParameterizedTest
    @ValueSource(ints = {Errno.ENOSPC, Errno.EIO, Errno.EDQUOT, Errno.EROFS})
    void realErrorsAreNeverDeclines(int errno) {
        for (LinkMethod m : LinkMethod.values()) {
            assertEquals(Optional.empty(), ErrnoDeclines.forMethod(m, errno), m + " with " + Errno.name(errno));
        }
    }

    @ParameterizedTest
    @EnumSource(value = LinkMethod.class, names = {"COPY", "SYMLINK"})
    void copyNeverDeclinesOnErrno(LinkMethod method) {
        assertEquals(Optional.empty(), ErrnoDeclines.forMethod(method, Errno.EXDEV));
        assertEquals(Optional.empty(), ErrnoDeclines.forMethod(method, Errno.EOPNOTSUPP));
    }

    @Test
    void emlinkIsNotACloneDecline() {
        assertEquals(Optional.empty(), ErrnoDeclines.forMethod(LinkMethod.REFLINK, Errno.EMLINK));
        assertEquals(Optional.empty(), ErrnoDeclines.forMethod(LinkMethod.HARDLINK, Errno.EINVAL));
    }
}
