package dev.lb.controller.cli;

/** Ends a command with an exit code and one clear line for the user; no stack trace unless asked for. */
public final class LbException extends RuntimeException {
    private final int exitCode;

    public LbException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public LbException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
