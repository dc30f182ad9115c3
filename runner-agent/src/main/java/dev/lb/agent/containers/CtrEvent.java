package dev.lb.agent.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** One line of {@code ctr events}: when, in which namespace, what topic, and its JSON payload. */
public record CtrEvent(Instant timestamp, String namespace, String topic, ObjectNode payload) {
}
