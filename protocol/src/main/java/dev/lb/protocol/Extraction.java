package dev.lb.protocol;

/**
 * One payload found in a line: framed but not yet judged ({@link Payload}), an accepted event, or a rejection with
 * its reason.
 */
public sealed interface Extraction {

    /**
     * The JSON text of one payload, framed (unquoted to the level it sat at) but not decoded: the decoder judges it
     * once, wherever it was found. {@code column} and {@code snippet} as in {@link Rejected}.
     */
    record Payload(String json, int column, String snippet) implements Extraction {
        /** The decoder's verdict on this payload. */
        public Extraction decode() {
            try {
                return new Found(EventDecoder.decode(json));
            } catch (InvalidEventException e) {
                return new Rejected(e.reason(), e.getMessage(), column, snippet);
            }
        }
    }

    /** A payload that is a valid event. */
    record Found(Event event) implements Extraction {
    }

    /**
     * A payload that could not be accepted. {@code column} is the 1-based position of its marker in the line (after
     * colour codes were removed), {@code snippet} the start of the offending text, already made safe to print.
     */
    record Rejected(RejectReason reason, String detail, int column, String snippet) implements Extraction {
        public String describe() {
            return reason.label() + ": " + detail + " (column " + column + ")";
        }
    }
}
