package dev.lb.controller.ingest;

import dev.lb.protocol.Event;
import java.io.IOException;
import java.util.List;

/**
 * A batch of records could not be written: the journal was cut back to its last whole record (or could not be, see
 * {@link Journal#damage()}) and these accepted events are not in it.
 */
public final class JournalWriteFailed extends IOException {
    private final transient List<Event> notWritten;

    JournalWriteFailed(IOException cause, List<Event> notWritten) {
        super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
        this.notWritten = List.copyOf(notWritten);
    }

    public List<Event> notWritten() {
        return notWritten;
    }
}
