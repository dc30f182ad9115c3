package dev.lb.controller.listener;

import dev.lb.protocol.Event;

/**
 * One event as it arrived: by which path, when (epoch ms), from which line of which source, and the inventory host
 * that delivered it when the path knows it (the callback's record of the task, the collected stream file's host
 * directory); null on stdout, where a line does not say.
 *
 * <p>{@code journalled} is the payload's text as the journal wrote it, once ingest has journalled the event (null
 * before): listeners that need the text (the JSON view, Loki's lines) take it from here rather than serializing the
 * payload again for each event.
 */
public record Sighting(Event event, DeliveryPath path, long receivedMillis, String source, long line,
                       String deliveredBy, String journalled) {
    public Sighting(Event event, DeliveryPath path, long receivedMillis, String source, long line) {
        this(event, path, receivedMillis, source, line, null, null);
    }

    public Sighting(Event event, DeliveryPath path, long receivedMillis, String source, long line,
                    String deliveredBy) {
        this(event, path, receivedMillis, source, line, deliveredBy, null);
    }

    /** The payload as one compact, line-safe JSON object: the journal's text when there is one. */
    public String payloadJson() {
        return journalled != null ? journalled : event.payloadJson();
    }

    /** This sighting with the payload's text as journalled. */
    public Sighting journalledAs(String text) {
        return new Sighting(event, path, receivedMillis, source, line, deliveredBy, text);
    }
}
