package dev.lb.controller.export;

import dev.lb.controller.listener.DeliveryPath;
import dev.lb.controller.listener.Sighting;
import dev.lb.protocol.EventDecoder;
import dev.lb.protocol.InvalidEventException;
import java.util.Locale;

/** Events as the agents send them, decoded by the real decoder, for feeding an export stage. */
final class ExportEvents {
    static final String RUN = "20261207-030000-0001";

    private ExportEvents() {
    }

    static Sighting sighting(String json) {
        try {
            return new Sighting(EventDecoder.decode(json), DeliveryPath.STDOUT, System.currentTimeMillis(), "test", 1);
        } catch (InvalidEventException e) {
            throw new AssertionError(e.getMessage() + ": " + json, e);
        }
    }

    static Sighting system(String host, double offsetMs, double ts) {
        return sighting(String.format(Locale.ROOT, "{\"v\":1,\"run_id\":\"%s\",\"host\":\"%s\",\"workload\":\"(system)\","
                + "\"repetition\":0,\"status\":\"done\",\"type\":\"system\",\"src\":\"sysinfo\",\"seq\":1,\"ts\":%.6f,"
                + "\"message\":\"system\",\"system\":{\"clock\":{\"offset_ms\":%s,\"uncertainty_ms\":1.0}}}",
                RUN, host, ts, offsetMs));
    }

    static Sighting metric(String host, String workload, int rep, long seq, double ts, double load1, double cpuUser) {
        return sighting(String.format(Locale.ROOT, "{\"v\":1,\"run_id\":\"%s\",\"host\":\"%s\",\"workload\":\"%s\","
                + "\"repetition\":%d,\"status\":\"running\",\"type\":\"metric\",\"src\":\"agent\",\"seq\":%d,"
                + "\"ts\":%.6f,\"message\":\"system\",\"metrics\":[{\"name\":\"load1\",\"value\":%s,\"unit\":\"count\"},"
                + "{\"name\":\"cpu_user\",\"value\":%s,\"unit\":\"%%\"}]}", RUN, host, workload, rep, seq, ts, load1,
                cpuUser));
    }

    static Sighting result(String host, String workload, int rep, long seq, double ts, double opsPerS, boolean warmup) {
        return sighting(String.format(Locale.ROOT, "{\"v\":1,\"run_id\":\"%s\",\"host\":\"%s\",\"workload\":\"%s\","
                + "\"repetition\":%d,\"status\":\"running\",\"type\":\"result\",\"src\":\"agent\",\"seq\":%d,"
                + "\"ts\":%.6f,\"message\":\"result\",\"parser\":\"stress-ng\"%s,\"metrics\":[{\"name\":\"cpu.bogo_ops_per_s\","
                + "\"value\":%s,\"unit\":\"ops/s\"}]}", RUN, host, workload, rep, seq, ts,
                warmup ? ",\"warmup\":true" : "", opsPerS));
    }

    static Sighting log(String host, String workload, int rep, long seq, double ts, String message) {
        return sighting(String.format(Locale.ROOT, "{\"v\":1,\"run_id\":\"%s\",\"host\":\"%s\",\"workload\":\"%s\","
                + "\"repetition\":%d,\"status\":\"running\",\"type\":\"log\",\"src\":\"agent\",\"seq\":%d,"
                + "\"ts\":%.6f,\"message\":\"%s\"}", RUN, host, workload, rep, seq, ts, message));
    }

    static Sighting status(String host, String workload, int rep, long seq, String status) {
        return sighting(String.format(Locale.ROOT, "{\"v\":1,\"run_id\":\"%s\",\"host\":\"%s\",\"workload\":\"%s\","
                + "\"repetition\":%d,\"status\":\"%s\",\"type\":\"status\",\"src\":\"agent\",\"seq\":%d,"
                + "\"ts\":1.5,\"message\":\"%s\"}", RUN, host, workload, rep, status, seq, status));
    }
}
