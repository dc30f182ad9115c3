package dev.lb.controller.ingest;

import java.util.Locale;

/** The two ways an event reaches the controller. Either alone is enough; together they are de-duplicated. */
public enum DeliveryPath {
    STDOUT, JSONL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public DeliveryPath other() {
        return this == STDOUT ? JSONL : STDOUT;
    }
}
