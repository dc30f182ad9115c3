package dev.lb.controller.listener;

import dev.lb.protocol.Event;

/** One event as it arrived: by which path, when (epoch ms), and from which line of which source. */
public record Sighting(Event event, DeliveryPath path, long receivedMillis, String source, long line) {
}
