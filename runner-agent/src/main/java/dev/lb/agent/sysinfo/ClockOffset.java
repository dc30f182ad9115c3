package dev.lb.agent.sysinfo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The target's clock against the controller's, measured as NTP does with round trips: the controller's time when it
 * sent a probe (t0), the target's time while answering it (t1), the controller's time when the answer was back (t3).
 * The offset is {@code t1 - (t0 + t3) / 2}, right to within half the round trip {@code t3 - t0} (the time the probe
 * took each way is not known, only their sum); of several probes the one with the shortest round trip is used.
 *
 * <p>The probes are made by the role's setup: a task looping over three items, each running {@code date +%s.%N}
 * on the target with the controller's time templated into its command line just before it starts. Each reading is
 * {@code "t0 t1"}; item i+1's t0 is item i's t3.
 */
final class ClockOffset {
    static final String METHOD = "round trip through Ansible (controller time before, target 'date' in the middle,"
            + " controller time after); the offset is exact to within half the round trip";

    private ClockOffset() {
    }

    static void measure(Findings f, List<String> readings) {
        if (readings.isEmpty()) {
            f.unread("clock", "offset_ms", "not measured: no --clock-reading was given (lb's setup gives them)");
            return;
        }
        List<BigDecimal[]> parsed = new ArrayList<>();
        for (String r : readings) {
            String[] w = r.strip().split("\\s+");
            if (w.length != 2 || !w[0].matches("\\d{1,12}(\\.\\d{1,9})?") || !w[1].matches("\\d{1,12}(\\.\\d{1,9})?")) {
                f.unread("clock", "offset_ms", "a clock reading is not 'CONTROLLER_TIME TARGET_TIME' in epoch seconds: '"
                        + (r.length() <= 80 ? r : r.substring(0, 80) + "...") + "'");
                return;
            }
            parsed.add(new BigDecimal[] {new BigDecimal(w[0]), new BigDecimal(w[1])});
        }
        if (parsed.size() < 2) {
            f.unread("clock", "offset_ms", "one clock reading is no round trip: the controller's time after it is"
                    + " missing");
            return;
        }
        double bestOffset = 0;
        double bestRoundTrip = Double.MAX_VALUE;
        for (int i = 0; i + 1 < parsed.size(); i++) {
            double t0 = parsed.get(i)[0].doubleValue();
            double t1 = parsed.get(i)[1].doubleValue();
            double t3 = parsed.get(i + 1)[0].doubleValue();
            double roundTrip = t3 - t0;
            if (roundTrip >= 0 && roundTrip < bestRoundTrip) {
                bestRoundTrip = roundTrip;
                bestOffset = t1 - (t0 + t3) / 2;
            }
        }
        if (bestRoundTrip == Double.MAX_VALUE) {
            f.unread("clock", "offset_ms", "the controller's clock went backwards between the readings");
            return;
        }
        ObjectNode c = f.section("clock");
        c.put("offset_ms", Math.round(bestOffset * 10_000) / 10.0);
        c.put("round_trip_ms", Math.round(bestRoundTrip * 10_000) / 10.0);
        c.put("uncertainty_ms", Math.round(bestRoundTrip * 5_000) / 10.0);
        c.put("probes", parsed.size() - 1);
        c.put("method", METHOD);
    }
}
