package dev.envlink.env;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.envlink.cache.meta.JsonTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transaction journal in conda-meta/: written before anything in the prefix changes, so that
 * after a crash (even kill -9) the next envlink command on the prefix can undo or finish it.
 *
 * <p>Rollback needs no per-file log. Each topmost directory the transaction makes where there was
 * none is listed ({@code createdTrees}) and goes as a whole on rollback, so a new environment's
 * journal names a few directories, not its 50 000 files. Every file the transaction may create in a
 * directory that exists already is listed up front ({@code created}); files that existed before are
 * first moved into the backup directory, so a path in {@code preexisting} is deleted on rollback
 * only if its original is in the backup. ({@code createdDirs}, every new directory, is read from
 * journals of earlier versions only.)
 *
 * <p>A journal names its {@code format}. One of a later format than this envlink knows is refused
 * (the prefix is left alone, with a message): rolling it back by older rules could leave files of
 * the interrupted transaction behind, as an envlink without {@code createdTrees} would have.
 * Journals without the field (format 1) are rolled back as before.
 */
final class Journal {
    private static final JsonFactory FACTORY = new JsonFactory();
    /** 2: topmost new directories listed in {@code createdTrees}, not every file below them. */
    static final int FORMAT = 2;

    /** The serialised form. */
    static final class State {
        public String phase = "prepared"; // prepared -> committed
        public String command = "";
        public List<String> addedRecords = new ArrayList<>();
        public List<String> removedRecords = new ArrayList<>();
        public List<String> created = new ArrayList<>();
        public List<String> preexisting = new ArrayList<>();
        public List<String> createdTrees = new ArrayList<>();
        public List<String> createdDirs = new ArrayList<>();
    }

    private Journal() {
    }

    /** The journal, synced to disk first: nothing in the prefix may change before it is there. */
    static void write(Prefix prefix, State state) throws IOException {
        write(prefix, state, true);
    }

    /**
     * As {@link #write(Prefix, State)}; {@code durable} false skips the fsync. The "committed"
     * marker needs none: if a power loss takes it, recovery rolls the whole transaction back,
     * which is as consistent as finishing it, and on ext4 the fsync forced a commit of the
     * filesystem journal holding every link just made (45 ms for 51 000 files).
     */
    static void write(Prefix prefix, State state, boolean durable) throws IOException {
        Files.createDirectories(prefix.condaMeta());
        Path tmp = prefix.condaMeta().resolve(Prefix.JOURNAL + ".tmp");
        try (JsonGenerator g = FACTORY.createGenerator(Files.newOutputStream(tmp))) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("phase", state.phase);
            g.writeStringField("command", state.command);
            list(g, "addedRecords", state.addedRecords);
            list(g, "removedRecords", state.removedRecords);
            list(g, "created", state.created);
            list(g, "preexisting", state.preexisting);
            list(g, "createdTrees", state.createdTrees);
            list(g, "createdDirs", state.createdDirs);
            g.writeEndObject();
        }
        if (durable) {
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true); // the journal must be on disk before the prefix changes
            }
        }
        Files.move(tmp, prefix.journal(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void list(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    static State read(Prefix prefix) throws IOException {
        Object root = JsonTrees.readValue(Files.readAllBytes(prefix.journal()));
        if (!(root instanceof Map<?, ?> m)) {
            throw new IOException(prefix.journal() + ": not a journal (no JSON object)");
        }
        Object format = m.get("format");
        if (format != null && !(format instanceof Integer f && f >= 1 && f <= FORMAT)) {
            throw new IOException(prefix.journal() + ": an interrupted transaction recorded in journal format " + format
                    + ", which this envlink (formats 1 to " + FORMAT + ") cannot undo safely; finish it with the "
                    + "envlink that started it (any later command of that version rolls it back), then run this one");
        }
        State s = new State();
        s.phase = string(prefix, m, "phase", s.phase);
        s.command = string(prefix, m, "command", s.command);
        s.addedRecords = strings(prefix, m, "addedRecords");
        s.removedRecords = strings(prefix, m, "removedRecords");
        s.created = strings(prefix, m, "created");
        s.preexisting = strings(prefix, m, "preexisting");
        s.createdTrees = strings(prefix, m, "createdTrees");
        s.createdDirs = strings(prefix, m, "createdDirs");
        return s;
    }

    private static String string(Prefix prefix, Map<?, ?> m, String key, String absent) throws IOException {
        Object v = m.get(key);
        if (v == null) {
            return absent;
        }
        if (v instanceof String str) {
            return str;
        }
        throw new IOException(prefix.journal() + ": \"" + key + "\" is not a string");
    }

    private static List<String> strings(Prefix prefix, Map<?, ?> m, String key) throws IOException {
        Object v = m.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof List<?> l)) {
            throw new IOException(prefix.journal() + ": \"" + key + "\" is not a list");
        }
        for (Object o : l) {
            if (!(o instanceof String str)) {
                throw new IOException(prefix.journal() + ": \"" + key + "\" holds a non-string");
            }
            out.add(str);
        }
        return out;
    }
}
