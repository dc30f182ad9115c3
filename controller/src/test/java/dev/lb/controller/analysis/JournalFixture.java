package dev.lb.controller.analysis;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds a run directory whose journal.jsonl holds result and final events as the agent emits them. */
public final class JournalFixture {
    private final String runId;
    private final List<String> lines = new ArrayList<>();
    private long seq;
    private String parser = "stress-ng";

    public JournalFixture(String runId) {
        this.runId = runId;
    }

    /** The parser the following result events name (stress-ng until changed; null: none named). */
    public JournalFixture parser(String name) {
        parser = name;
        return this;
    }

    private ObjectNode event(String host, String workload, int rep, String status, String type) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("v", 1).put("run_id", runId).put("host", host).put("workload", workload).put("repetition", rep)
                .put("total_repetitions", 5).put("status", status).put("type", type).put("level", "info")
                .put("src", "agent").put("seq", ++seq).put("ts", 1764560000 + seq);
        return e;
    }

    private JournalFixture add(ObjectNode event) {
        ObjectNode rec = Json.MAPPER.createObjectNode();
        rec.put("received", 1764560000 + seq).put("path", "stdout").set("event", event);
        lines.add(Json.line(rec));
        return this;
    }

    /** A result event with metrics given as name, value, unit triples. */
    public JournalFixture result(String host, String workload, int rep, Object... nameValueUnit) {
        ObjectNode e = event(host, workload, rep, "running", "result");
        e.put("message", "parsed");
        if (parser != null) {
            e.put("parser", parser);
        }
        var metrics = e.putArray("metrics");
        for (int i = 0; i < nameValueUnit.length; i += 3) {
            metrics.addObject().put("name", (String) nameValueUnit[i])
                    .put("value", ((Number) nameValueUnit[i + 1]).doubleValue()).put("unit", (String) nameValueUnit[i + 2]);
        }
        return add(e);
    }

    public JournalFixture unparsed(String host, String workload, int rep, String reason) {
        ObjectNode e = event(host, workload, rep, "running", "result");
        e.put("level", "warning").put("error_type", "result_unparsed").put("message", reason);
        return add(e);
    }

    public JournalFixture end(String host, String workload, int rep, String status, String message) {
        ObjectNode e = event(host, workload, rep, status, "status");
        e.put("message", message);
        return add(e);
    }

    /** A final event of adaptive repetitions: the agent's stability verdict with it. */
    public JournalFixture stabilityEnd(String host, String workload, int rep, String status, boolean stable, int n,
                                       String explanation) {
        ObjectNode e = event(host, workload, rep, status, "status");
        e.put("message", status.equals("skipped") ? "skipped (stable after " + n + " repetitions: " + explanation + ")"
                : "rc=0");
        e.putObject("stability").put("metric", "ops").put("until_cv", 0.05).put("min", 3).put("n", n)
                .put("stable", stable).put("explanation", explanation);
        return add(e);
    }

    public JournalFixture warmupEnd(String host, String workload, int rep) {
        ObjectNode e = event(host, workload, rep, "done", "status");
        e.put("warmup", true);
        return add(e);
    }

    /** One repetition per value, each ended done, of one metric. */
    public JournalFixture doneSeries(String host, String workload, String metric, String unit, double... values) {
        for (int i = 0; i < values.length; i++) {
            result(host, workload, i + 1, metric, values[i], unit);
            end(host, workload, i + 1, "done", "repetition done");
        }
        return this;
    }

    public JournalFixture raw(String line) {
        lines.add(line);
        return this;
    }

    public Path writeTo(Path runsDir) throws IOException {
        Path dir = runsDir.resolve(runId);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("journal.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return dir;
    }
}
