package dev.envlink.env.input;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an install input asks for: the conda packages to install, in the input's order, the
 * entries envlink cannot install, and the platform (conda subdir such as {@code linux-64}) the
 * input was written for, when it says.
 */
public record InstallInputs(List<PackageRef> packages, List<UnsupportedEntry> unsupported,
        Optional<String> platform) {
    public InstallInputs {
        packages = List.copyOf(packages);
        unsupported = List.copyOf(unsupported);
        Objects.requireNonNull(platform, "platform");
    }
}
