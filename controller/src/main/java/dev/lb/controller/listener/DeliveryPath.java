package dev.lb.controller.listener;

import java.util.Locale;

/**
 * How an event reached the controller. STDOUT and JSONL are the two live paths: either alone is enough, together
 * they are de-duplicated. RECOVERED is the third, after the run: the stream files collected from the targets, the
 * source of truth, read for every event neither live path delivered.
 */
public enum DeliveryPath {
    STDOUT, JSONL, RECOVERED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The other live path; RECOVERED has none. */
    public DeliveryPath other() {
        return switch (this) {
            case STDOUT -> JSONL;
            case JSONL -> STDOUT;
            case RECOVERED -> throw new IllegalStateException("recovered is not a live path");
        };
    }
}
