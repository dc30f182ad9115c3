package dev.lb.protocol;

import java.util.Locale;
import java.util.Optional;

/** What kind of thing an event reports; {@code status} when the payload does not say. */
public enum EventType {
    STATUS, LOG, CONTAINER, SUMMARY, HEARTBEAT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<EventType> parse(String text) {
        for (EventType t : values()) {
            if (t.wireName().equalsIgnoreCase(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
