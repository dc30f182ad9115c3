package dev.lb.history.store;

/** A store that cannot be opened, read or written; the message is one line that names the store. */
public final class HistoryStoreException extends Exception {
    public HistoryStoreException(String message) {
        super(message);
    }

    public HistoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
