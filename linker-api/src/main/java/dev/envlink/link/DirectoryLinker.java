package dev.envlink.link;

import java.io.Closeable;

/**
 * A provider's fast path for many files between one source directory and one target directory,
 * both held open (on Linux: directory descriptors and linkat/openat): each file is placed by name,
 * without a walk from the root and without a {@link java.nio.file.Path} per file.
 *
 * <p>Only the common case goes this way. {@link #tryLink} either places the file completely (the
 * same result as {@link LinkProvider#link}, attributes included) or leaves nothing behind and says
 * no; the engine then places that file the ordinary way, which tells a decline from an error and
 * reports why. Used by one thread at a time.
 */
public interface DirectoryLinker extends Closeable {

    /** Whether {@link #tryLink} places files with {@code method} (for any other it says no). */
    boolean supports(LinkMethod method);

    /**
     * The device keys of the two open directories ({@link LinkProvider#deviceId}'s keys), read
     * from the open handles (when first asked: the engine does not ask for a directory whose
     * device it knows from a {@link BatchLinker.DeviceAnchors anchor}): the engine picks the run's
     * method by them without a lookup by path.
     */
    String sourceDevice();

    String targetDevice();

    /**
     * Places {@code sourceName} of the source directory at {@code targetName} in the target
     * directory with {@code method}, if the source is a regular file of {@code expectedSize} bytes
     * (what the package metadata records); false (and no target left) when it did not.
     */
    boolean tryLink(LinkMethod method, String sourceName, String targetName, long expectedSize);

    /** Releases the directories; never fails. */
    @Override
    void close();
}
