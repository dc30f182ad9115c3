package dev.lb.controller.listener;

import dev.lb.protocol.RejectReason;
import dev.lb.protocol.TerminalText;

/** A payload that was not accepted, with where it was found: enough to go and look at it. */
public record Rejection(String source, long line, RejectReason reason, String detail, int column, String snippet) {

    /**
     * {@code source:line:column: label: detail}, one inert line: the detail and the snippet quote the payload, which
     * is untrusted, so they are sanitized here for every output that shows a rejection.
     */
    public String describe() {
        return TerminalText.sanitize(source + ":" + line + ":" + column + ": " + reason.label() + ": " + detail
                + (snippet.isEmpty() ? "" : " | " + snippet));
    }
}
