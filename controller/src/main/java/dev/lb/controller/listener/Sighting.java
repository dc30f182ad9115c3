package dev.lb.controller.listener;

import dev.lb.protocol.Event;

/**
 * One event as it arrived: by which path, when (epoch ms), from which line of which source, and the inventory host
 * that delivered it when the path knows it (the callback's record of the task, the collected stream file's host
 * directory); null on stdout, where a line does not say.
 */
public record Sighting(Event event, DeliveryPath path, long receivedMillis, String source, long line,
                       String deliveredBy) {
    public Sighting(Event event, DeliveryPath path, long receivedMillis, String source, long line) {
        this(event, path, receivedMillis, source, line, null);
    }
}
