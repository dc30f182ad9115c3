package dev.lb.controller.run;

import java.util.function.BooleanSupplier;

/**
 * The grace period after a stop, counted from the moment STOP is on the targets: stop.yml is a second
 * ansible-playbook, and on a loaded machine its start alone can take longer than the whole grace period, which then
 * ended the run before any agent had seen STOP. The grace counts from stop.yml's end; a stop.yml that has not ended
 * {@link #DELIVERY_LIMIT_S} after it started no longer holds the run (an unreachable target can keep it for its SSH
 * timeout), and then the grace counts from that limit. All times in nanoseconds of one monotonic clock.
 */
final class StopGrace {
    /** How long stop.yml may take to put STOP on the targets before the grace counts anyway. */
    static final double DELIVERY_LIMIT_S = 60;

    private final long graceNanos;
    private BooleanSupplier delivered;
    private long sentAt = -1;
    private long deliveredAt = -1;

    StopGrace(double graceS) {
        this.graceNanos = (long) (graceS * 1e9);
    }

    /** STOP sent at {@code now}; {@code delivered} says whether stop.yml has ended (null: it could not start). */
    void sent(long now, BooleanSupplier delivered) {
        this.sentAt = now;
        this.delivered = delivered;
        this.deliveredAt = delivered == null ? now : -1;
    }

    /** Whether the grace is over at {@code now}; false before any stop was sent. */
    boolean over(long now) {
        if (sentAt < 0) {
            return false;
        }
        if (deliveredAt < 0 && delivered.getAsBoolean()) {
            deliveredAt = now;
        }
        long from = deliveredAt >= 0 ? deliveredAt : sentAt + (long) (DELIVERY_LIMIT_S * 1e9);
        return now - from > graceNanos;
    }

    /** No grace pending any more (the run was ended). */
    void clear() {
        sentAt = -1;
    }
}
