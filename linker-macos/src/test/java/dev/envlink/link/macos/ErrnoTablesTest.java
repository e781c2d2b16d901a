package dev.envlink.link.macos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.envlink.link.DeclineReason;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** macOS errno values (not Linux's) and which clonefile errors are declines. */
class ErrnoTablesTest {

    @Test
    void valuesAreDarwinsNotLinuxs() {
        // xnu bsd/sys/errno.h
        assertEquals(45, Errno.ENOTSUP, "Linux EOPNOTSUPP is 95");
        assertEquals(69, Errno.EDQUOT, "Linux EDQUOT is 122");
        assertEquals(78, Errno.ENOSYS, "Linux ENOSYS is 38");
        assertEquals(62, Errno.ELOOP, "Linux ELOOP is 40");
        assertEquals(63, Errno.ENAMETOOLONG, "Linux ENAMETOOLONG is 36");
        assertEquals(11, Errno.EDEADLK, "Linux EDEADLK is 35");
        assertEquals(102, Errno.EOPNOTSUPP_UNIX03);
        // The BSD/Linux common core.
        assertEquals(1, Errno.EPERM);
        assertEquals(2, Errno.ENOENT);
        assertEquals(5, Errno.EIO);
        assertEquals(13, Errno.EACCES);
        assertEquals(17, Errno.EEXIST);
        assertEquals(18, Errno.EXDEV);
        assertEquals(22, Errno.EINVAL);
        assertEquals(28, Errno.ENOSPC);
        assertEquals(30, Errno.EROFS);
        assertEquals(31, Errno.EMLINK);
    }

    @Test
    void cloneDeclines() {
        assertEquals(Optional.of(DeclineReason.CROSS_DEVICE), ErrnoDeclines.forClone(Errno.EXDEV));
        assertEquals(Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM), ErrnoDeclines.forClone(Errno.ENOTSUP));
        assertEquals(Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM), ErrnoDeclines.forClone(102));
        assertEquals(Optional.of(DeclineReason.UNSUPPORTED_BY_FILESYSTEM), ErrnoDeclines.forClone(Errno.ENOSYS));
        assertEquals(Optional.of(DeclineReason.PERMISSION), ErrnoDeclines.forClone(Errno.EPERM));
        assertEquals(Optional.of(DeclineReason.PERMISSION), ErrnoDeclines.forClone(Errno.EACCES));
        assertEquals(Optional.of(DeclineReason.OTHER), ErrnoDeclines.forClone(Errno.EINVAL));
        assertEquals(Optional.of(DeclineReason.OTHER), ErrnoDeclines.forClone(Errno.EDEADLK));
        assertTrue(DeclineReason.UNSUPPORTED_BY_FILESYSTEM.perFilesystem(), "HFS+ answers the same for every file");
        assertFalse(ErrnoDeclines.forClone(Errno.EDEADLK).get().perFilesystem(), "a dataless file is one file");
    }

    @Test
    void linuxNumbersAreNotMistakenForDeclines() {
        assertEquals(Optional.empty(), ErrnoDeclines.forClone(95), "95 is not an errno on macOS");
    }

    @ParameterizedTest
    @ValueSource(ints = {Errno.ENOSPC, Errno.EIO, Errno.EDQUOT, Errno.EROFS, Errno.EEXIST, Errno.ENOENT,
            Errno.ENOTDIR, Errno.ENAMETOOLONG, Errno.ELOOP})
    void realErrorsAreNeverDeclines(int errno) {
        assertEquals(Optional.empty(), ErrnoDeclines.forClone(errno), Errno.name(errno));
    }

    @Test
    void exceptions() {
        Path a = Path.of("/pkgs/a/lib/libz.dylib");
        Path b = Path.of("/env/lib/libz.dylib");
        assertInstanceOf(NoSuchFileException.class, Errno.exception("clonefile", a, b, Errno.ENOENT));
        assertInstanceOf(FileAlreadyExistsException.class, Errno.exception("clonefile", a, b, Errno.EEXIST));
        assertInstanceOf(AccessDeniedException.class, Errno.exception("copyfile", a, b, Errno.EACCES));
        FileSystemException full = Errno.exception("copyfile", a, b, Errno.ENOSPC);
        assertSame(FileSystemException.class, full.getClass());
        assertTrue(full.getMessage().contains("copyfile: No space left on device (ENOSPC)"), full.getMessage());
        assertTrue(full.getMessage().contains(a.toString()) && full.getMessage().contains(b.toString()));
        assertEquals("Disc quota exceeded (EDQUOT)", Errno.describe(69));
        assertEquals("errno 200", Errno.describe(200));
        assertEquals("EBUSY", Errno.describe(Errno.EBUSY));
    }
}
