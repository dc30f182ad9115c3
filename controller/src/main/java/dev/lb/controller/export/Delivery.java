package dev.lb.controller.export;

/**
 * What one attempt at sending a batch came to: sent; to retry (the endpoint could not be reached, answered 5xx or
 * not within the request time-out); or dropped (a 4xx: the same request would be refused again). {@code reason} is
 * the drop reason counted in the summary, {@code detail} one line for a warning.
 */
record Delivery(Outcome outcome, String reason, String detail) {
    enum Outcome { SENT, RETRY, DROP }

    static final Delivery SENT = new Delivery(Outcome.SENT, null, null);

    static Delivery retry(String detail) {
        return new Delivery(Outcome.RETRY, null, detail);
    }

    static Delivery drop(String reason) {
        return new Delivery(Outcome.DROP, reason, reason);
    }

    static Delivery drop(String reason, String detail) {
        return new Delivery(Outcome.DROP, reason, detail);
    }
}
