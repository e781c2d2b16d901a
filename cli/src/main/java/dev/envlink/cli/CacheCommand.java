package dev.envlink.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** envlink cache: the package cache's subcommands. */
@Command(name = "cache", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Manages the package cache: extracted packages that environments link from.",
        subcommands = {CacheAddCommand.class, CacheListCommand.class, CacheVerifyCommand.class,
            CacheCleanCommand.class, CacheDirCommand.class},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.DAMAGED_HELP})
final class CacheCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (add, list, verify, clean, dir)");
    }
}
