package dev.envlink.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level command: only dispatches to subcommands. */
@Command(name = "envlink",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Places files from a package cache by reflink (copy-on-write clone) where the "
                + "filesystem supports it, else by hardlink, else by copy, and reports what it did.",
        subcommands = {InstallCommand.class, RemoveCommand.class, ListCommand.class, VerifyCommand.class, DuCommand.class, LinkCommand.class,
            ProbeCommand.class, InfoCommand.class, CacheCommand.class},
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.STRICT_HELP,
            ExitCodes.DAMAGED_HELP})
public final class EnvlinkCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (install, remove, list, verify, du, link, probe, info, cache)");
    }
}
