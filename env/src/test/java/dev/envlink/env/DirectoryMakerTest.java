package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryMakerTest {
    @TempDir
    Path tmp;

    @Test
    void awaitReturnsOnceTheDirectoryExistsAndFinishMakesAll() throws IOException {
        Prefix prefix = new Prefix(tmp);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            order.add("d" + i);
            order.add("d" + i + "/sub");
        }
        try (DirectoryMaker dirs = new DirectoryMaker(prefix, order)) {
            dirs.await("d499/sub");
            assertTrue(Files.isDirectory(tmp.resolve("d499/sub")));
            dirs.await(null);            // the prefix itself
            dirs.await("not/made/here"); // existed before the transaction: nothing to wait for
            dirs.finish();
        }
        for (String d : order) {
            assertTrue(Files.isDirectory(tmp.resolve(d)), d);
        }
    }

    @Test
    void aDirectoryThatCannotBeMadeFailsItsWaitersNamingIt() throws IOException {
        Files.createDirectories(tmp.resolve("a"));
        Files.writeString(tmp.resolve("a/b"), "a file where a directory must go");
        Prefix prefix = new Prefix(tmp);
        try (DirectoryMaker dirs = new DirectoryMaker(prefix, List.of("a/b", "a/b/c", "z"))) {
            IOException e = assertThrows(IOException.class, () -> dirs.await("a/b/c"));
            assertTrue(e.getMessage().contains(tmp.resolve("a/b").toString()), e.getMessage());
            assertThrows(IOException.class, dirs::finish);
        }
        assertTrue(Files.notExists(tmp.resolve("z")), "nothing is made after the failure");
    }

    @Test
    void closingStopsTheMakerAndReleasesWaiters() throws Exception {
        Prefix prefix = new Prefix(tmp);
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            order.add("d" + i);
        }
        DirectoryMaker dirs = new DirectoryMaker(prefix, order);
        dirs.close();
        try (var s = Files.list(tmp)) {
            assertTrue(s.count() < order.size(), "stopped early");
        }
        // A waiter for a directory never made is told why instead of hanging.
        IOException e = assertThrows(IOException.class, () -> dirs.await("d" + (order.size() - 1)));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
    }
}
