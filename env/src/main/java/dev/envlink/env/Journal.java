package dev.envlink.env;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The transaction journal in conda-meta/: written before anything in the prefix changes, so that
 * after a crash (even kill -9) the next envlink command on the prefix can undo or finish it.
 *
 * <p>Rollback needs no per-file log: every file the transaction may create is listed up front
 * ({@code created}); files that existed before are first moved into the backup directory, so a
 * path in {@code preexisting} is deleted on rollback only if its original is in the backup.
 */
final class Journal {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The serialised form. */
    static final class State {
        public String phase = "prepared"; // prepared -> committed
        public String command = "";
        public List<String> addedRecords = new ArrayList<>();
        public List<String> removedRecords = new ArrayList<>();
        public List<String> created = new ArrayList<>();
        public List<String> preexisting = new ArrayList<>();
        public List<String> createdDirs = new ArrayList<>();
    }

    private Journal() {
    }

    static void write(Prefix prefix, State state) throws IOException {
        Files.createDirectories(prefix.condaMeta());
        Path tmp = prefix.condaMeta().resolve(Prefix.JOURNAL + ".tmp");
        MAPPER.writeValue(tmp.toFile(), state);
        try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true); // the journal must be on disk before the prefix changes
        }
        Files.move(tmp, prefix.journal(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static State read(Prefix prefix) throws IOException {
        return MAPPER.readValue(prefix.journal().toFile(), State.class);
    }
}
