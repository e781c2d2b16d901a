package dev.envlink.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The OS error texts NIO gives, mapped to decline reasons. */
class NioDeclinesTest {

    private static Optional<DeclineReason> classify(String reason) {
        return NioDeclines.classify(new FileSystemException("/a", "/b", reason));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            # Linux strerror
            Invalid cross-device link                                                   | CROSS_DEVICE
            Too many links                                                              | TOO_MANY_LINKS
            Operation not supported                                                     | UNSUPPORTED_BY_FILESYSTEM
            Function not implemented                                                    | UNSUPPORTED_BY_FILESYSTEM
            Operation not permitted                                                     | PERMISSION
            # macOS strerror
            Cross-device link                                                           | CROSS_DEVICE
            # Windows FormatMessage
            The system cannot move the file to a different disk drive.                  | CROSS_DEVICE
            An attempt was made to create more links on a file than the file system supports. | TOO_MANY_LINKS
            The request is not supported.                                               | UNSUPPORTED_BY_FILESYSTEM
            Incorrect function.                                                         | UNSUPPORTED_BY_FILESYSTEM
            A required privilege is not held by the client.                             | PERMISSION
            """)
    void knownTexts(String text, DeclineReason expected) {
        assertEquals(Optional.of(expected), classify(text));
        assertEquals(Optional.of(expected), classify(text.toUpperCase(java.util.Locale.ROOT)), "case-insensitive");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            No space left on device
            Input/output error
            Read-only file system
            Stale file handle
            """)
    void realErrorsAreNotDeclines(String text) {
        assertEquals(Optional.empty(), classify(text));
    }

    @Test
    void noReasonIsNotADecline() {
        assertEquals(Optional.empty(), NioDeclines.classify(new FileSystemException("/a")));
        assertEquals(Optional.empty(), NioDeclines.classify(new FileAlreadyExistsException("/a")));
        assertEquals(Optional.empty(), NioDeclines.classify(new NoSuchFileException("/a")));
    }

    @Test
    void accessDeniedIsAPermissionDecline() {
        assertEquals(Optional.of(DeclineReason.PERMISSION), NioDeclines.classify(new AccessDeniedException("/a")));
    }

    @Test
    void perFilesystemReasonsAreTheOnesTheEngineCaches() {
        assertEquals(true, DeclineReason.CROSS_DEVICE.perFilesystem());
        assertEquals(true, DeclineReason.UNSUPPORTED_BY_FILESYSTEM.perFilesystem());
        assertEquals(true, DeclineReason.UNSUPPORTED_BY_PROVIDER.perFilesystem());
        assertEquals(false, DeclineReason.TOO_MANY_LINKS.perFilesystem());
        assertEquals(false, DeclineReason.PERMISSION.perFilesystem());
        assertEquals(false, DeclineReason.NOT_A_REGULAR_FILE.perFilesystem());
        assertEquals(false, DeclineReason.OTHER.perFilesystem());
    }
}
