package dev.lb.protocol;

/** Writes events in the wire form: {@code LB_EVENT } followed by one compact JSON object, no newline inside. */
public final class EventEncoder {
    public static final String MARKER = "LB_EVENT";
    public static final String PREFIX = MARKER + " ";

    private EventEncoder() {
    }

    /**
     * The line for one event, without the trailing newline. Compact JSON escapes every control character, so the
     * line never contains a raw newline whatever the message holds.
     */
    public static String line(Event event) {
        return PREFIX + event.payloadJson();
    }
}
