package dev.lb.agent.stream;

import java.io.IOException;

/** A write refused or failed because the stream file could not be written: nothing more goes into it. */
public final class StreamStoppedException extends IOException {
    private final transient StreamWriteFailure failure;

    StreamStoppedException(StreamWriteFailure failure, Throwable cause) {
        super(failure.describe(), cause);
        this.failure = failure;
    }

    public StreamWriteFailure failure() {
        return failure;
    }
}
