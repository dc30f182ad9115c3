package dev.lb.protocol;

/**
 * One payload found in a line: framed but not yet judged ({@link Payload}), an accepted event, or a rejection with
 * its reason.
 */
public sealed interface Extraction {

    /**
     * The JSON text of one payload, framed (unquoted to the level it sat at) but not decoded: the decoder judges it
     * once, wherever it was found. {@code column} and {@code snippet} as in {@link Rejected}. When the payload has
     * nothing to judge, {@link #plainIdentity} holds its identity as {@link CompactEvent} read it while framing.
     */
    final class Payload implements Extraction {
        private final String json;
        private final int column;
        private final IdentityProbe.Probe plainIdentity;
        private final String line;
        private final int open;
        private String snippet;

        public Payload(String json, int column, String snippet) {
            this(json, column, null, null, -1);
            this.snippet = snippet;
        }

        /**
         * A payload found in {@code line} with its object at {@code open}; its snippet is made only when asked for,
         * which only a rejection does (a plain payload is never rejected).
         */
        Payload(String json, int column, IdentityProbe.Probe plainIdentity, String line, int open) {
            this.json = json;
            this.column = column;
            this.plainIdentity = plainIdentity;
            this.line = line;
            this.open = open;
        }

        public String json() {
            return json;
        }

        public int column() {
            return column;
        }

        /** The start of the payload's text where it was found, made safe to print. */
        public String snippet() {
            if (snippet == null) {
                snippet = LbEventExtractor.snippet(line, open);
            }
            return snippet;
        }

        /** The identity of a payload with nothing to judge ({@link CompactEvent}), or null: the decoder must. */
        public IdentityProbe.Probe plainIdentity() {
            return plainIdentity;
        }

        /** The decoder's verdict on this payload. */
        public Extraction decode() {
            try {
                return new Found(EventDecoder.decode(json));
            } catch (InvalidEventException e) {
                return new Rejected(e.reason(), e.getMessage(), column, snippet());
            }
        }

        @Override
        public String toString() {
            return "Payload[json=" + json + ", column=" + column + "]";
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
