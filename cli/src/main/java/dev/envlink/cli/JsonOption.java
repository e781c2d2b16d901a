package dev.envlink.cli;

import picocli.CommandLine.Option;

/** Shared --json flag (a picocli mixin). */
final class JsonOption {
    @Option(names = "--json", description = "Print machine-readable JSON instead of text.")
    boolean json;
}
