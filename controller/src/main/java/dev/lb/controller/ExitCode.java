package dev.lb.controller;

/** The exit codes of {@code lb}, one meaning each. */
public final class ExitCode {
    /** Everything asked for was done; every repetition finished {@code done}. */
    public static final int OK = 0;
    /** The command ran, but some repetition failed, timed out or did not run; doctor: events were lost. */
    public static final int FAILED = 1;
    /** Bad usage, bad config, or an input that could not be read. */
    public static final int USAGE = 2;
    /**
     * Events were lost, or completeness cannot be shown (a repetition without its seal, a host whose stream file
     * could not be collected); wins over {@link #FAILED}. {@code lb doctor --run}: cannot tell. {@code lb compare}: cannot
     * tell, the runs share no series or a series of the base has no results in the new run.
     */
    public static final int INCOMPLETE = 3;
    /**
     * {@code lb compare --fail-on-regression [PCT]} and {@code lb history check}: a change for the worse of a workload's
     * primary metric by more than its minimum change.
     */
    public static final int REGRESSION = 4;
    /**
     * {@code lb run}: not run, a target is held by another run. The run's leases are taken on every target before any
     * starts, so nothing was started anywhere.
     */
    public static final int NOT_RUN_BUSY = 5;
    /** Interrupted by the user (Ctrl-C), SIGTERM or SIGHUP. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {
    }
}
