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
        exitCodeListHeading = ExitCodes.HEADING,
        exitCodeList = {ExitCodes.OK_HELP, ExitCodes.FAILURE_HELP, ExitCodes.USAGE_HELP, ExitCodes.STRICT_HELP,
            ExitCodes.DAMAGED_HELP})
public final class EnvlinkCommand implements Runnable {
    /**
     * The subcommands by name, in help order. Registered by {@link Main#commandLine(String...)}:
     * building picocli's model of every command by reflection costs ~0.2 s, so a run that names
     * its subcommand builds only that one. The names are written out rather than read from each
     * class's {@code @Command} (reading them loaded all nine classes and parsed their annotations,
     * ~20 ms of every start); a test checks they match.
     */
    static final java.util.Map<String, Class<?>> SUBCOMMANDS = subcommands();

    private static java.util.Map<String, Class<?>> subcommands() {
        java.util.Map<String, Class<?>> m = new java.util.LinkedHashMap<>();
        m.put("install", InstallCommand.class);
        m.put("remove", RemoveCommand.class);
        m.put("list", ListCommand.class);
        m.put("verify", VerifyCommand.class);
        m.put("du", DuCommand.class);
        m.put("link", LinkCommand.class);
        m.put("probe", ProbeCommand.class);
        m.put("info", InfoCommand.class);
        m.put("cache", CacheCommand.class);
        return java.util.Collections.unmodifiableMap(m);
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (install, remove, list, verify, du, link, probe, info, cache)");
    }
}
