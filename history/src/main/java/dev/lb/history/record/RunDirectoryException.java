package dev.lb.history.record;

/** A run directory that cannot be recorded; the message is one line that names the file. */
public final class RunDirectoryException extends Exception {
    public RunDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
