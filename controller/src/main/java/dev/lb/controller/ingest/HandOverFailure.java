package dev.lb.controller.ingest;

/**
 * A failure kept by a thread that works for another (framing, downstream), thrown on the other's side at its next
 * hand-over: as it was when unchecked, wrapped otherwise.
 */
final class HandOverFailure {
    private HandOverFailure() {
    }

    /** Throws {@code failure} on the caller's thread; nothing when it is null. */
    static void rethrow(Throwable failure) {
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }
}
