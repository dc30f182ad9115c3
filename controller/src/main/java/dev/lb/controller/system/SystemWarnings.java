package dev.lb.controller.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What in the targets' system information makes their numbers less trustworthy, for the run summary and the
 * report: a clock more than {@link #CLOCK_LIMIT_MS} off the controller's (time series and latencies are shown on the
 * controller's clock, so events from that host sit that far off in them).
 */
public final class SystemWarnings {
    public static final double CLOCK_LIMIT_MS = 100;

    private SystemWarnings() {
    }

    public static List<String> of(Map<String, ? extends JsonNode> systems) {
        List<String> out = new ArrayList<>();
        systems.forEach((host, s) -> {
            JsonNode c = s.path("clock");
            if (c.path("offset_ms").isNumber() && Math.abs(c.get("offset_ms").asDouble()) > CLOCK_LIMIT_MS) {
                out.add(String.format(Locale.ROOT, "%s: its clock is %+.1f ms off the controller's (± %.1f ms, measured"
                        + " by a round trip at setup); its event times are off by as much", host,
                        c.get("offset_ms").asDouble(), c.path("uncertainty_ms").asDouble()));
            }
        });
        return out;
    }
}
