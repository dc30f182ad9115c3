package dev.lb.controller.listener;

import dev.lb.protocol.Extraction;
import dev.lb.protocol.IdentityProbe;

/**
 * One payload as it arrived, framed but not decoded: its JSON text, its identity when the probe could read it
 * ({@code null} otherwise), and where it came from, as in {@link Sighting}. Ingest decodes it only when its identity
 * is not known yet: an event is decoded once, not once per path.
 */
public record PayloadSighting(Extraction.Payload payload, IdentityProbe.Probe probe, DeliveryPath path,
                              long receivedMillis, String source, long line, String deliveredBy) {
}
