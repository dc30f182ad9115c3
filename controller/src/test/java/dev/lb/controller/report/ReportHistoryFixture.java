package dev.lb.controller.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.history.gate.Gate;
import dev.lb.history.gate.GateSettings;
import dev.lb.history.gate.HistoryControls;
import dev.lb.history.record.RunDirectoryReader;
import dev.lb.history.record.RunRecorder;
import dev.lb.history.store.HistoryStore;
import dev.lb.history.store.StoreLocation;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * A history for the report fixture's run r1, recorded as lb records runs: {@value #EARLIER} earlier runs of r1's three
 * series (the first {@value #LOW} at 80 % of r1's values, the rest around them: a change point for the better at
 * run e{@value #LOW}), r1 itself, checked by the gate, and one run after it; run {@value #EXCLUDED} excluded.
 */
final class ReportHistoryFixture {
    static final int EARLIER = 34;
    static final int LOW = 12;
    static final String EXCLUDED = "e30";
    static final String LATER = "r2";

    private ReportHistoryFixture() {
    }

    /** Records the history in history.db under {@code runs} (where r1 is) and returns that store. */
    static StoreLocation record(Path runs) throws Exception {
        StoreLocation location = StoreLocation.select(null, Map.of(), null, runs);
        Clock clock = Clock.fixed(Instant.parse("2026-12-01T04:00:00Z"), ZoneOffset.UTC);
        try (HistoryStore store = HistoryStore.openForWriting(location)) {
            RunRecorder recorder = new RunRecorder(clock);
            for (int i = 0; i < EARLIER; i++) {
                double level = (i < LOW ? 0.8 : 1.0) * (1 + 0.006 * Math.sin(i * 1.7));
                String id = String.format("e%02d", i);
                recorder.record(store, RunDirectoryReader.read(copy(runs, id, level,
                        ReportFixture.T0 - 10 - (EARLIER - i) * 3600.0), Map.of("commit", "c" + i)));
            }
            recorder.record(store, RunDirectoryReader.read(runs.resolve("r1"), Map.of("commit", "c-r1")));
            recorder.record(store, RunDirectoryReader.read(copy(runs, LATER, 1.0, ReportFixture.T0 + 3600),
                    Map.of()));
            new HistoryControls(store, clock).exclude(EXCLUDED, "a noisy neighbour");
            new Gate(store, clock).check("r1", GateSettings.DEFAULT);
        }
        return location;
    }

    /** A run like r1 with every value times {@code level}, started at {@code startedAt}. */
    private static Path copy(Path runs, String id, double level, double startedAt) throws Exception {
        Path dir = Files.createDirectories(runs.resolve(id));
        ObjectNode results = (ObjectNode) Json.MAPPER.readTree(ReportFixture.RESULTS);
        results.put("run_id", id);
        for (JsonNode r : results.get("results")) {
            ObjectNode o = (ObjectNode) r;
            for (String f : new String[] {"mean", "stdev", "min", "median", "p95", "max"}) {
                if (o.path(f).isNumber()) {
                    o.put(f, o.get(f).asDouble() * level);
                }
            }
            for (JsonNode v : o.get("values")) {
                ((ObjectNode) v).put("value", v.get("value").asDouble() * level);
            }
        }
        Files.writeString(dir.resolve("results.json"), Json.MAPPER.writeValueAsString(results));
        Files.writeString(dir.resolve("summary.json"), Json.MAPPER.writeValueAsString(Json.MAPPER.createObjectNode()
                .put("run_id", id).put("outcome", "done").put("exit_code", 0).put("started_at", startedAt)
                .put("ended_at", startedAt + 100)));
        return dir;
    }
}
