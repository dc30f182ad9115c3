package dev.lb.controller.analysis;

/** A run's results could not be read or written: one line naming the file and what went wrong. */
public final class ResultsException extends Exception {
    public ResultsException(String message, Throwable cause) {
        super(message, cause);
    }

    public ResultsException(String message) {
        super(message);
    }
}
