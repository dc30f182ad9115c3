package dev.lb.history.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Run directories as lb writes them (results.json, summary.json, vars.json), made small: one host, one workload,
 * one metric, the given repetition values. The shapes follow the controller's ResultsJson and RunSummary.
 */
public final class TestRuns {
    private TestRuns() {
    }

    /** A run of workload {@code w} (stress-ng, bogo ops/s, higher is better) on host {@code h1}. */
    public static Path write(Path runsDir, String runId, double startedAt, double... values) throws IOException {
        return write(runsDir, runId, startedAt, "h1", "AMD EPYC", "w", "--cpu 1", values);
    }

    public static Path write(Path runsDir, String runId, double startedAt, String host, String cpuModel,
                             String workload, String args, double... values) throws IOException {
        Path dir = Files.createDirectories(runsDir.resolve(runId));
        ObjectNode results = Json.MAPPER.createObjectNode().put("run_id", runId);
        ObjectNode r = results.putArray("results").addObject();
        r.put("host", host).put("workload", workload).put("metric", "bogo_ops_per_s").put("unit", "ops/s")
                .put("direction", "higher_is_better").put("parser", "stress-ng").put("primary", true)
                .put("n", values.length);
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        r.put("mean", mean);
        if (values.length > 1) {
            double ss = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum();
            r.put("stdev", Math.sqrt(ss / (values.length - 1)));
        } else {
            r.putNull("stdev");
        }
        r.put("min", Arrays.stream(values).min().orElse(0)).put("max", Arrays.stream(values).max().orElse(0));
        ArrayNode vs = r.putArray("values");
        for (int i = 0; i < values.length; i++) {
            vs.addObject().put("repetition", i + 2).put("value", values[i]);
        }
        results.putArray("fleet");
        results.putArray("excluded").addObject().put("host", host).put("workload", workload).put("repetition", 1)
                .put("status", "done").put("reason", "warm-up repetition").putArray("values").addObject()
                .put("metric", "bogo_ops_per_s").put("unit", "ops/s").put("value", values.length == 0 ? 1 : values[0] * 0.9);
        results.putArray("unparsed");
        ObjectNode sys = results.putObject("system").putObject(host);
        sys.putObject("cpu").put("model", cpuModel).put("logical_cores", 2).put("freq_cur_mhz", 2596.2 + startedAt);
        sys.putObject("memory").put("total_bytes", 25276182528L);
        sys.putObject("kernel").put("release", "6.1.0-" + (int) (startedAt % 7)).put("arch", "x86_64");
        sys.putObject("os").put("name", "Debian GNU/Linux 12 (bookworm)");
        results.putArray("stability");
        Files.writeString(dir.resolve("results.json"), Json.MAPPER.writeValueAsString(results));
        ObjectNode summary = Json.MAPPER.createObjectNode().put("run_id", runId).put("config", "lb.yaml")
                .put("outcome", "done").put("exit_code", 0).put("started_at", startedAt)
                .put("ended_at", startedAt + 30).put("lb_version", "0.1.0-SNAPSHOT (commit test)");
        Files.writeString(dir.resolve("summary.json"), Json.MAPPER.writeValueAsString(summary));
        ObjectNode vars = Json.MAPPER.createObjectNode().put("lb_run_id", runId).put("lb_repetitions", 3);
        ObjectNode wl = vars.putArray("lb_workloads").addObject();
        wl.put("name", workload).put("type", "stress-ng").put("timeout_s", 60 + (int) startedAt % 3);
        wl.putArray("argv").add(args);
        Files.writeString(dir.resolve("vars.json"), Json.MAPPER.writeValueAsString(vars));
        return dir;
    }
}
