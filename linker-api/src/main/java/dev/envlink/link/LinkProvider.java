package dev.envlink.link;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * A way to place files, found with {@link java.util.ServiceLoader}.
 *
 * <p>Contract of {@link #link}: the target does not exist and its parent does; on success the
 * target is a new regular file (or link) with the source's content; on a decline or a failure no
 * target is left behind. Permission bits and mtime are applied by the engine, unless the provider
 * says it sets them itself ({@link #preservesAttributes}).
 *
 * <p>Constructing a provider must never touch native code: the engine may load providers for
 * other operating systems just to report that they are unavailable.
 */
public interface LinkProvider {

    /** Short stable identifier, e.g. {@code linux}, {@code portable}. */
    String id();

    /** Higher wins when several available providers implement a method. */
    int priority();

    /** The methods this provider can attempt (on a filesystem that supports them). */
    Set<LinkMethod> methods();

    /** Probed once and remembered by the provider. */
    Availability availability();

    /** Filesystem facts for the path, if this provider knows how to find them. */
    default Optional<FsInfo> describe(Path path) throws IOException {
        return Optional.empty();
    }

    /**
     * The device key of {@code path} (not following a symlink), equal to {@link DeviceIds#of}'s:
     * the engine keys its probes by it and asks once per directory of a batch, so a provider may
     * answer with one cheaper call than NIO's attribute lookup.
     */
    default String deviceId(Path path) throws IOException {
        return DeviceIds.of(path);
    }

    /**
     * Places {@code target} from {@code source} with {@code method}.
     *
     * @throws LinkDeclinedException the method is not possible here; the engine tries the next one
     * @throws IOException           a real I/O error; the engine stops and reports it
     */
    void link(LinkMethod method, Path source, Path target) throws IOException;

    /**
     * Whether {@link #link} with {@code method} already gives a new inode (reflink, copy) the
     * source's permission bits (without setuid/setgid/sticky) and mtime, e.g. on the open
     * descriptors, so the engine need not stat the source and set them by path afterwards.
     */
    default boolean preservesAttributes(LinkMethod method) {
        return false;
    }

    /**
     * Opens a {@link DirectoryLinker} between two directories, if this provider has a fast path
     * there; empty otherwise (the default), and whenever opening fails.
     */
    default Optional<DirectoryLinker> openDirectories(Path sourceDir, Path targetDir) {
        return Optional.empty();
    }
}
