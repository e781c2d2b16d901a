package dev.envlink.cli;

import picocli.CommandLine;

/** Entry point of the shaded jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        skipJnaLdconfig();
        Warmup.start(args);
        System.exit(run(args));
    }

    /**
     * JNA builds its default library search path on Linux by running {@code ldconfig -p} (a
     * process, 10-20 ms) unless {@code jna.platform.library.path} is set. envlink loads only libc,
     * which the dynamic linker finds itself, so the command-line tool sets it empty (an
     * application embedding the modules keeps JNA's default).
     */
    private static void skipJnaLdconfig() {
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux")
                && System.getProperty("jna.platform.library.path") == null) {
            System.setProperty("jna.platform.library.path", "");
        }
    }

    /** Runs the command line and returns the exit code (tests call this in-process). */
    public static int run(String... args) {
        return commandLine(args).execute(args);
    }

    /** The full command tree (every subcommand). */
    public static CommandLine commandLine() {
        return build(EnvlinkCommand.SUBCOMMANDS.keySet());
    }

    /**
     * The command tree for these arguments: when the first one names a subcommand, only that
     * subcommand is built; {@code --version} alone needs none; otherwise (options, help, a typo
     * picocli should explain) all of them.
     */
    public static CommandLine commandLine(String... args) {
        if (args.length > 0 && EnvlinkCommand.SUBCOMMANDS.containsKey(args[0])) {
            return build(java.util.List.of(args[0]));
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return build(java.util.List.of());
        }
        return commandLine();
    }

    private static CommandLine build(java.util.Collection<String> names) {
        CommandLine cl = new CommandLine(new EnvlinkCommand());
        for (String n : names) {
            cl.addSubcommand(EnvlinkCommand.SUBCOMMANDS.get(n));
        }
        cl.setExecutionExceptionHandler(new ExitCodeMapper());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
