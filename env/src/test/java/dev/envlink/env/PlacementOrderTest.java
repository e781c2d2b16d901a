package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which a transaction places files and makes directories. */
class PlacementOrderTest {
    @Test
    void directoriesComeInTheOrderFilesNeedThemParentsFirst() {
        List<String> newDirs = List.of("a", "a/b", "a/b/c", "lib", "lib/x", "lib/y", "unused", "unused/deep");
        // Five files with their parent directories, placed in two batches: file 3, then 1, 2, 0, 4.
        List<String> parents = Arrays.asList("lib/y", "a/b/c", null, "lib/y", "lib/x");
        List<String> order = PlacementOrder.directories(newDirs, parents, List.of(3), List.of(1, 2, 0, 4));
        assertEquals(List.of("lib", "lib/y", "a", "a/b", "a/b/c", "lib/x", "unused", "unused/deep"), order);
    }

    @Test
    void directoriesThatExistedBeforeAreNotInTheOrder() {
        List<String> parents = List.of("old/new", "old");
        assertEquals(List.of("old/new"), PlacementOrder.directories(List.of("old/new"), parents, List.of(0, 1)));
    }

    @Test
    void filesOfOneDirectoryBecomeAdjacentInTheOrderDirectoriesFirstAppear() {
        // paths.json order: a/__init__.py, a/__pycache__/x.pyc, a/b.py, c.txt, a/__pycache__/y.pyc
        String a = "a";
        String cache = "a/__pycache__";
        List<String> parents = Arrays.asList(a, cache, new String("a"), null, new String(cache));
        assertEquals(List.of(0, 2, 1, 4, 3), PlacementOrder.byDirectory(List.of(0, 1, 2, 3, 4), parents));
        assertEquals(List.of(4, 1, 3, 2, 0), PlacementOrder.byDirectory(List.of(4, 3, 2, 1, 0), parents));
        assertEquals(List.of(2, 0), PlacementOrder.byDirectory(List.of(2, 0), parents));
    }
}
