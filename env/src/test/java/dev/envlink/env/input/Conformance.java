package dev.envlink.env.input;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The shared conformance corpus, {@code ../shared/conformance} from the project root (tests run
 * in the module directory, hence {@code ../../shared/conformance}); {@code -Denvlink.conformance}
 * overrides it.
 */
final class Conformance {
    private Conformance() {
    }

    static Path root() {
        Path p = Path.of(System.getProperty("envlink.conformance", "../../shared/conformance"));
        if (!Files.isDirectory(p)) {
            if ("1".equals(System.getenv("ENVLINK_REQUIRE_FS_TESTS"))) {
                throw new AssertionError("conformance corpus missing at " + p.toAbsolutePath());
            }
            Assumptions.abort("conformance corpus missing at " + p.toAbsolutePath());
        }
        return p;
    }

    static Path lockfile(String name) {
        return root().resolve("lockfiles").resolve(name);
    }

    static Path explicitSpec(String name) {
        return root().resolve("explicit-specs").resolve(name);
    }
}
