package dev.lb.controller;

/** The exit codes of {@code lb}, one meaning each. */
public final class ExitCode {
    /** Everything asked for was done; every repetition finished {@code done}. */
    public static final int OK = 0;
    /** The command ran, but some repetition failed. */
    public static final int FAILED = 1;
    /** Bad usage, bad config, or an input that could not be read. */
    public static final int USAGE = 2;
    /** Interrupted by the user (Ctrl-C). */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
