package dev.lb.protocol;

/**
 * Why a payload was not accepted as an event. Each reason is a distinct, countable failure: the run summary and
 * {@code lb doctor} group rejections by it.
 */
public enum RejectReason {
    /** The text after the marker ends before the JSON object closes (cut line, partial write). */
    TRUNCATED_JSON("truncated JSON"),
    /** The text after the marker is not valid JSON. */
    MALFORMED_JSON("malformed JSON"),
    /** The payload is JSON but not an object (an array, a string, a number). */
    NOT_AN_OBJECT("not a JSON object"),
    /** The marker is followed by nothing. */
    EMPTY_PAYLOAD("marker without payload"),
    /** The marker starts a line, and what follows it is not JSON at all. */
    NO_JSON("no JSON after the marker"),
    /** A required field is absent or null. */
    MISSING_FIELD("missing field"),
    /** A field has the wrong JSON type (a number where a string belongs, ...). */
    WRONG_TYPE("wrong type"),
    /** An integer field holds something that is not an integer. */
    NOT_AN_INTEGER("not an integer"),
    /** A number outside the field's range (negative repetition, seq below 0, ...). */
    OUT_OF_RANGE("out of range"),
    /** A closed-vocabulary field (status, type, level) holds an unknown word. */
    UNKNOWN_VALUE("unknown value"),
    /** The same field appears twice: which one is meant cannot be known. */
    DUPLICATE_FIELD("duplicate field"),
    /** The payload says it speaks a protocol version this build does not. */
    UNSUPPORTED_VERSION("unsupported protocol version"),
    /** The line is longer than the configured limit; it was not scanned. */
    LINE_TOO_LONG("line over the size limit"),
    /** A valid event of another run (its run_id is not this run's). */
    FOREIGN_RUN("foreign run"),
    /** A valid event naming a host that is not in the run, or not the host that delivered it. */
    FOREIGN_HOST("foreign host"),
    /** A valid event of a workload or repetition that is not in the run's plan nor a run-level stream. */
    UNKNOWN_WORKLOAD("unknown workload"),
    /** The identity of an accepted event with other content: not the same event, and not merged into it. */
    CONFLICT("conflict");

    private final String label;

    RejectReason(String label) {
        this.label = label;
    }

    /** The reason a label names (as written by the callback's rejected records), or {@code otherwise}. */
    public static RejectReason ofLabel(String label, RejectReason otherwise) {
        for (RejectReason r : values()) {
            if (r.label.equals(label)) {
                return r;
            }
        }
        return otherwise;
    }

    /** A short human label, stable enough to group by. */
    public String label() {
        return label;
    }
}
