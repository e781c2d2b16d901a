package dev.envlink.link.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    private static final Path A = Path.of("/pkgs/a/lib/libfoo.so");
    private static final Path B = Path.of("/env/lib/libfoo.so");

    @Test
    void enoent() {
        FileSystemException e = Errno.exception("open", A, null, Errno.ENOENT);
        assertInstanceOf(NoSuchFileException.class, e);
        assertEquals(A.toString(), e.getFile());
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        assertTrue(e.getMessage().contains("No such file or directory"), e.getMessage());
        assertTrue(e.getMessage().contains("open"), e.getMessage());
    }

    @Test
    void eexist() {
        FileSystemException e = Errno.exception("link", A, B, Errno.EEXIST);
        assertInstanceOf(FileAlreadyExistsException.class, e);
        assertEquals(B.toString(), e.getOtherFile());
        assertTrue(e.getMessage().contains("EEXIST"), e.getMessage());
        assertTrue(e.getMessage().contains(B.toString()), e.getMessage());
    }

    @Test
    void eacces() {
        FileSystemException e = Errno.exception("create", B, null, Errno.EACCES);
        assertInstanceOf(AccessDeniedException.class, e);
        assertTrue(e.getMessage().contains("EACCES"), e.getMessage());
    }

    @Test
    void enospcIsAPlainFileSystemExceptionNamingBothFiles() {
        FileSystemException e = Errno.exception("copy", A, B, Errno.ENOSPC);
        assertSame(FileSystemException.class, e.getClass());
        assertTrue(e.getMessage().contains("No space left on device (ENOSPC)"), e.getMessage());
        assertTrue(e.getMessage().contains(A.toString()) && e.getMessage().contains(B.toString()), e.getMessage());
    }

    @Test
    void unknownErrnoIsShownByNumber() {
        assertEquals("errno 200", Errno.name(200));
        assertEquals("errno 200", Errno.describe(200));
        assertEquals("Too many links (EMLINK)", Errno.describe(Errno.EMLINK));
        assertEquals("ENXIO", Errno.describe(Errno.ENXIO)); // a name but no message
    }
}
