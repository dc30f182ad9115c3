package dev.lb.protocol;

/** A payload that cannot be an event, with the typed reason and a message naming the field. */
public final class InvalidEventException extends Exception {
    private final RejectReason reason;

    public InvalidEventException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
