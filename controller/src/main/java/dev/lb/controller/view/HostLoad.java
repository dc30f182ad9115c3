package dev.lb.controller.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import java.util.Locale;

/**
 * A host's latest CPU (user + system) and memory used, from its {@code type: metric} events, shown in its Event
 * Status rows. Either may be missing (null) when the agent could not read it.
 */
public record HostLoad(Double cpuPercent, Double memMiB, long millis) {
    /** The load an event carries, or null when it carries neither figure. */
    static HostLoad of(Event e, long receivedMillis) {
        JsonNode metrics = e.field("metrics");
        if (metrics == null || !metrics.isArray()) {
            return null;
        }
        Double user = null;
        Double system = null;
        Double mem = null;
        for (JsonNode m : metrics) {
            JsonNode value = m.get("value");
            if (value == null || !value.isNumber()) {
                continue;
            }
            switch (m.path("name").asText()) {
                case "cpu_user" -> user = value.doubleValue();
                case "cpu_system" -> system = value.doubleValue();
                case "mem_used" -> mem = "MiB".equals(m.path("unit").asText()) ? value.doubleValue() : null;
                default -> {
                    // the other metrics are in the journal; the table shows these two
                }
            }
        }
        Double cpu = user == null && system == null ? null : (user == null ? 0 : user) + (system == null ? 0 : system);
        if (cpu == null && mem == null) {
            return null;
        }
        return new HostLoad(cpu, mem, e.tsMillis() > 0 ? e.tsMillis() : receivedMillis);
    }

    /** {@code cpu  12% mem 1.2 GiB}; a figure the sample did not have shows as {@code -}, never an older value. */
    String text() {
        String cpu = cpuPercent == null ? "   -" : String.format(Locale.ROOT, "%3.0f%%", cpuPercent);
        String mem = memMiB == null ? "-" : memMiB < 1024 ? String.format(Locale.ROOT, "%.0f MiB", memMiB)
                : String.format(Locale.ROOT, "%.1f GiB", memMiB / 1024);
        return String.format(Locale.ROOT, "cpu %s mem %s", cpu, mem);
    }
}
