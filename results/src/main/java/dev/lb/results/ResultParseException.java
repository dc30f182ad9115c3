package dev.lb.results;

/**
 * A result that could not be read: missing, empty, truncated, or not what the tool writes. The message is one line
 * that says which file and what was wrong, fit to show a user as it is.
 */
public class ResultParseException extends Exception {
    /** The {@code error_type} of a result event that carries this failure instead of metrics. */
    public static final String ERROR_TYPE = "result_unparsed";

    public ResultParseException(String message) {
        super(message);
    }

    public ResultParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
