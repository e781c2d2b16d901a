package dev.envlink.link;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Turns a failed native call into the most specific NIO exception, for every native provider:
 * each maps its own error codes (errno, Win32) to a {@link Kind} and a description.
 */
public final class NativeErrors {
    /** What the OS error means for the caller. */
    public enum Kind { NOT_FOUND, EXISTS, DENIED, OTHER }

    private NativeErrors() {
    }

    /** Names the operation, the file(s) and the cause, e.g. "create: File exists (EEXIST)". */
    public static FileSystemException exception(Kind kind, String operation, Path file, Path other, String cause) {
        String f = file == null ? null : file.toString();
        String o = other == null ? null : other.toString();
        String reason = operation + ": " + cause;
        return switch (kind) {
            case NOT_FOUND -> new NoSuchFileException(f, o, reason);
            case EXISTS -> new FileAlreadyExistsException(f, o, reason);
            case DENIED -> new AccessDeniedException(f, o, reason);
            case OTHER -> new FileSystemException(f, o, reason);
        };
    }
}
