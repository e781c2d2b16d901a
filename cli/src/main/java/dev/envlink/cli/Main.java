package dev.envlink.cli;

import picocli.CommandLine;

/** Entry point of the shaded jar. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (tests call this in-process). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new EnvlinkCommand());
        cl.setExecutionExceptionHandler(new ExitCodeMapper());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }
}
