package dev.lb.controller.listener;

import dev.lb.protocol.RejectReason;

/** A payload that was not accepted, with where it was found: enough to go and look at it. */
public record Rejection(String source, long line, RejectReason reason, String detail, int column, String snippet) {

    /** {@code source:line:column: label: detail}, one line. */
    public String describe() {
        return source + ":" + line + ":" + column + ": " + reason.label() + ": " + detail
                + (snippet.isEmpty() ? "" : " | " + snippet);
    }
}
