package dev.envlink.cache;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The shared conformance corpus at ../shared/conformance from the project root. */
final class Conformance {
    private Conformance() {
    }

    static Path packages() {
        Path p = Path.of(System.getProperty("envlink.conformance", "../../shared/conformance")).resolve("packages");
        if (!Files.isDirectory(p)) {
            if ("1".equals(System.getenv("ENVLINK_REQUIRE_FS_TESTS"))) {
                throw new AssertionError("conformance corpus missing at " + p.toAbsolutePath());
            }
            Assumptions.abort("conformance corpus missing at " + p.toAbsolutePath());
        }
        return p;
    }

    static Path pkg(String fileName) {
        return packages().resolve(fileName);
    }
}
