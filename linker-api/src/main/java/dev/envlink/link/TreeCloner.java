package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Optional extension of a {@link LinkProvider} that can clone a whole directory tree in one
 * operation (macOS: {@code clonefile(2)} on a directory). {@link TreeLinker} tries it first when
 * the mode allows reflinks, the destination does not exist yet and the tree needs no per-file
 * work; when it returns {@code false} or declines, the engine links the tree file by file.
 *
 * <p>Contract: {@code target} does not exist and its parent does. On success {@code target} is a
 * copy-on-write clone of the whole tree (regular files, directories, symlinks as links, modes and
 * mtimes). On {@code false}, a {@link LinkDeclinedException} or any other exception, nothing is
 * left at {@code target}.
 */
public interface TreeCloner {

    /**
     * Clones the directory {@code source} to {@code target}.
     *
     * @return true if the tree was cloned; false if that is not possible here (nothing created)
     * @throws LinkDeclinedException same as returning false, with the reason
     * @throws IOException           a real I/O error; the engine stops and reports it
     */
    boolean cloneTree(Path source, Path target) throws IOException;
}
