package dev.envlink.env.input;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading input files as UTF-8 text, with errors that name the file. */
final class InputFiles {
    private InputFiles() {
    }

    static String read(Path file) throws InputException {
        String source = file.toString();
        if (Files.isDirectory(file)) {
            throw new InputException(source, "is a directory, not a file");
        }
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (NoSuchFileException e) {
            throw new InputException(source, 0, "no such file", e);
        } catch (CharacterCodingException e) {
            throw new InputException(source, 0, "not UTF-8 text", e);
        } catch (IOException e) {
            throw new InputException(source, 0, "cannot read: " + e, e);
        }
    }
}
