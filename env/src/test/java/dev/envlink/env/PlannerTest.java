package dev.envlink.env;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PlannerTest {
    @Test
    void aNameDirectlyInADirectory() {
        assertTrue(Planner.directlyIn("lib/x.py", "lib"));
        assertTrue(Planner.directlyIn("lib/a/b/c", "lib/a/b"));
        assertFalse(Planner.directlyIn("lib/a/b", "lib"), "deeper");
        assertFalse(Planner.directlyIn("lib2/x", "lib"), "a sibling with the same start");
        assertFalse(Planner.directlyIn("libx", "lib"));
        assertFalse(Planner.directlyIn("lib", "lib"));
        assertFalse(Planner.directlyIn("lib/", "lib"), "no name");
        assertFalse(Planner.directlyIn("other/x", "lib"));
    }
}
