package dev.lb.protocol;

import java.util.Locale;
import java.util.Optional;

/**
 * What kind of thing an event reports; {@code status} when the payload does not say. {@code result} carries a
 * repetition's parsed metrics (or why they could not be parsed), {@code metric} the system metrics sampled while it
 * ran; both keep their {@code metrics} array as an unknown-to-the-decoder field of the payload. {@code system}
 * carries a target's system information (CPU, memory, disks, OS, kernel, virtualization, tool versions, clock offset)
 * in its {@code system} object: one event per target and run, repetition 0, workload {@link #SYSTEM_WORKLOAD}, final
 * and sealed by itself (its own stream file).
 */
public enum EventType {
    STATUS, LOG, CONTAINER, SUMMARY, HEARTBEAT, RESULT, METRIC, SYSTEM;

    /**
     * The run-level stream the system information is reported in. In parentheses like the playbook's {@code (setup)}:
     * no workload of a config can have this name.
     */
    public static final String SYSTEM_WORKLOAD = "(system)";

    /** Computed once: parse compares every payload's value with each of these. */
    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The wire names in declaration order, for messages: {@code status, log, ..., metric or system}. */
    public static String wireNames() {
        StringBuilder b = new StringBuilder();
        EventType[] all = values();
        for (int i = 0; i < all.length; i++) {
            b.append(i == 0 ? "" : i == all.length - 1 ? " or " : ", ").append(all[i].wireName());
        }
        return b.toString();
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
