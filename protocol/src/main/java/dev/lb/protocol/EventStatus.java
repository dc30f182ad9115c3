package dev.lb.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * The state a repetition is in, as reported by an event's {@code status} field. {@code TIMEOUT} is a repetition
 * ended at its time limit (the workload's own or the repetition's deadline); views show it like {@code FAILED}.
 */
public enum EventStatus {
    RUNNING, DONE, FAILED, STOPPED, SKIPPED, UNREACHABLE, TIMEOUT;

    /** True once a repetition can no longer change state. */
    public boolean isFinal() {
        return this != RUNNING;
    }

    /** Computed once: parse compares every payload's value with each of these. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static Optional<EventStatus> parse(String text) {
        for (EventStatus s : values()) {
            if (s.wireName().equalsIgnoreCase(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
