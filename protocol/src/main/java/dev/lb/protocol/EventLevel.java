package dev.lb.protocol;

import java.util.Optional;

/** Severity of an event; {@code INFO} when the payload does not say. */
public enum EventLevel {
    DEBUG, INFO, WARNING, ERROR;

    public String wireName() {
        return name();
    }

    /** Accepts any case, and {@code WARN} because every logging library spells it so. */
    public static Optional<EventLevel> parse(String text) {
        if ("WARN".equalsIgnoreCase(text)) {
            return Optional.of(WARNING);
        }
        for (EventLevel l : values()) {
            if (l.name().equalsIgnoreCase(text)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }
}
