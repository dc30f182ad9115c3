package dev.lb.controller.run;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user's request to stop: the first asks the targets to stop and waits for their 'stopped' events; the second
 * ends everything at once. Set from a signal handler, read by the run loop.
 */
public final class StopSignal {
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String reason;

    public void request(String why) {
        if (requests.incrementAndGet() == 1) {
            reason = why;
        }
    }

    public int requests() {
        return requests.get();
    }

    public String reason() {
        return reason;
    }
}
