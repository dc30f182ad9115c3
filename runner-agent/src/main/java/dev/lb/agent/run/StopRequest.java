package dev.lb.agent.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.EventStatus;

/**
 * Why a running workload is being stopped, and so how its repetition ends: {@code stopped} (STOP file, signal) or
 * {@code timeout} (a time limit, with {@code error_type} and the limit and elapsed time in {@code error_context}).
 *
 * @param reason  human text for the final event's message
 * @param context the final event's error_context; null for a plain stop
 */
record StopRequest(EventStatus status, String errorType, String reason, ObjectNode context) {
    static StopRequest stopped(String reason) {
        return new StopRequest(EventStatus.STOPPED, null, reason, null);
    }

    static StopRequest timeout(String errorType, String reason, ObjectNode context) {
        return new StopRequest(EventStatus.TIMEOUT, errorType, reason, context);
    }
}
