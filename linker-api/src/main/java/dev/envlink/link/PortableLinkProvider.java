package dev.envlink.link;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Pure NIO: hardlink, symlink and copy on any OS. Never reflinks. Always available, lowest
 * priority, so it is what remains when native providers are missing or disabled.
 */
public final class PortableLinkProvider implements LinkProvider {
    public static final String ID = "portable";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Set<LinkMethod> methods() {
        return EnumSet.of(LinkMethod.HARDLINK, LinkMethod.SYMLINK, LinkMethod.COPY);
    }

    @Override
    public Availability availability() {
        return Availability.ok();
    }

    @Override
    public Optional<FsInfo> describe(Path path) throws IOException {
        FileStore store = Files.getFileStore(path);
        return Optional.of(new FsInfo(store.type(), DeviceIds.of(path), "store " + store.name(), ID));
    }

    @Override
    public void link(LinkMethod method, Path source, Path target) throws IOException {
        try {
            switch (method) {
                case HARDLINK -> Files.createLink(target, source);
                case SYMLINK -> Files.createSymbolicLink(target, source.toAbsolutePath());
                case COPY -> copy(source, target);
                default -> throw new LinkDeclinedException(method, DeclineReason.UNSUPPORTED_BY_PROVIDER,
                        source, target, "the portable provider cannot " + method.label());
            }
        } catch (UnsupportedOperationException e) {
            throw new LinkDeclinedException(method, DeclineReason.UNSUPPORTED_BY_FILESYSTEM, source, target,
                    String.valueOf(e.getMessage()), e);
        } catch (LinkDeclinedException e) {
            throw e;
        } catch (FileSystemException e) {
            Optional<DeclineReason> reason = NioDeclines.classify(e);
            if (reason.isPresent() && method != LinkMethod.COPY) {
                throw new LinkDeclinedException(method, reason.get(), source, target, e.getReason(), e);
            }
            throw e;
        }
    }

    private static void copy(Path source, Path target) throws IOException {
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            // Not ours: the cleanup below must never delete a file this copy did not create.
            throw new FileAlreadyExistsException(target.toString());
        }
        try {
            Files.copy(source, target, LinkOption.NOFOLLOW_LINKS);
        } catch (FileAlreadyExistsException e) {
            throw e; // created by someone else meanwhile (the copy opens with O_EXCL): not ours either
        } catch (IOException | RuntimeException e) {
            // Never leave a partial copy behind (full disk, I/O error).
            try {
                Files.deleteIfExists(target);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
