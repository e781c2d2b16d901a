package dev.envlink.cli;

/** Exit codes of every envlink command; the *_HELP strings feed each command's --help. */
public final class ExitCodes {
    public static final int OK = 0;
    /** An I/O error or another failure: the message names the file and the cause. */
    public static final int FAILURE = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** --strict was given and the requested method could not be used. */
    public static final int STRICT = 3;
    /** A verification found damaged or missing files. */
    public static final int DAMAGED = 4;

    static final String OK_HELP = "0:Success.";
    static final String FAILURE_HELP = "1:Failure: an I/O error or other problem (the message names the file and the cause).";
    static final String USAGE_HELP = "2:Invalid command line.";
    static final String STRICT_HELP = "3:--strict was given and the requested link method is not possible here.";
    static final String DAMAGED_HELP = "4:Verification found damaged or missing files.";
    static final String HEADING = "%nExit codes:%n";

    private ExitCodes() {
    }
}
