package dev.lb.protocol;

/** One payload found in a line: an accepted event or a rejection with its reason. */
public sealed interface Extraction {

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
