package dev.lb.agent.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.agent.stream.StreamWriteFailure;
import dev.lb.protocol.EventStatus;

/**
 * Why a running workload is being stopped, and so how its repetition ends: {@code stopped} (STOP file, signal),
 * {@code timeout} (a time limit, with {@code error_type} and the limit and elapsed time in {@code error_context}) or
 * {@code failed} with {@code stream_write_failed} (the stream file cannot be written: running on would be blind).
 *
 * @param reason  human text for the final event's message
 * @param context the final event's error_context; null for a plain stop
 */
record StopRequest(EventStatus status, String errorType, String reason, ObjectNode context) {
    static StopRequest stopped(String reason) {
        return new StopRequest(EventStatus.STOPPED, null, reason, null);
    }

    static StopRequest streamFailed(StreamWriteFailure f) {
        return new StopRequest(EventStatus.FAILED, StreamWriteFailure.ERROR_TYPE, f.describe() + "; workload stopped",
                f.toJson());
    }

    static StopRequest timeout(String errorType, String reason, ObjectNode context) {
        return new StopRequest(EventStatus.TIMEOUT, errorType, reason, context);
    }
}
