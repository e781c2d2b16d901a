package dev.envlink.cache.archive;

import dev.envlink.testing.conda.CondaPackageBuilder;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a builder's package in the format under test. */
final class Packages {
    private Packages() {
    }

    static Path write(CondaPackageBuilder b, PackageFormat format, Path dir) throws IOException {
        return format == PackageFormat.CONDA ? b.writeConda(dir) : b.writeTarBz2(dir);
    }
}
