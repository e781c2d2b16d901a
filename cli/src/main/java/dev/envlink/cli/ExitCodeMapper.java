package dev.envlink.cli;

import dev.envlink.link.LinkDeclinedException;
import dev.envlink.link.StrictModeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import picocli.CommandLine;

/** Turns exceptions from commands into one clear line on stderr and a documented exit code. */
final class ExitCodeMapper implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        Throwable e = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        var err = cmd.getErr();
        if (e instanceof StrictModeException s) {
            err.println("envlink: " + s.method().label() + " is not possible here and --strict forbids a fallback");
            err.println("  reason: " + s.reason() + " (" + s.reason().description() + ")");
            err.println("  " + s.source() + " -> " + s.target() + ": " + s.detail());
            err.println("  advice: " + s.reason().advice());
            return ExitCodes.STRICT;
        }
        if (e instanceof LinkDeclinedException d) {
            err.println("envlink: " + d.getMessage());
            return ExitCodes.STRICT;
        }
        if (e instanceof IllegalArgumentException) {
            err.println("envlink: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        if (e instanceof FileAlreadyExistsException f) {
            err.println("envlink: " + describe(f) + " (pass --replace to replace existing files)");
            return ExitCodes.FAILURE;
        }
        if (e instanceof IOException io) {
            err.println("envlink: " + describe(io));
            for (Throwable s : io.getSuppressed()) {
                err.println("  also: " + describe(s));
            }
            return ExitCodes.FAILURE;
        }
        err.println("envlink: internal error: " + e);
        e.printStackTrace(err);
        return ExitCodes.FAILURE;
    }

    /** NIO often leaves the reason empty; the exception type says it. */
    private static String reasonOf(FileSystemException f) {
        if (f instanceof java.nio.file.NoSuchFileException) {
            return "no such file or directory";
        }
        if (f instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (f instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (f instanceof java.nio.file.NotDirectoryException) {
            return "not a directory";
        }
        if (f instanceof java.nio.file.DirectoryNotEmptyException) {
            return "directory not empty";
        }
        return f.getClass().getSimpleName();
    }

    private static String describe(Throwable t) {
        if (t instanceof FileSystemException f) {
            StringBuilder sb = new StringBuilder();
            if (f.getFile() != null) {
                sb.append(f.getFile());
            }
            if (f.getOtherFile() != null) {
                sb.append(" -> ").append(f.getOtherFile());
            }
            String reason = f.getReason() != null ? f.getReason() : reasonOf(f);
            return sb.length() == 0 ? reason : sb + ": " + reason;
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
