package dev.lb.protocol;

import java.util.Locale;
import java.util.Optional;

/** The state a repetition is in, as reported by an event's {@code status} field. */
public enum EventStatus {
    RUNNING, DONE, FAILED, STOPPED, SKIPPED, UNREACHABLE;

    /** True once a repetition can no longer change state. */
    public boolean isFinal() {
        return this != RUNNING;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
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
