package dev.lb.controller.analysis;

import dev.lb.controller.ingest.JournalReader;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import dev.lb.results.ResultParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads what a run's journal says about results: per host × workload × repetition (repetition ≥ 1; run-level
 * events are not results) the result metrics, unparsed reasons, the last final status and the warm-up flag.
 *
 * <p>Read leniently, like {@code lb journal show}: a record that cannot be read is skipped, counted and reported
 * with file:line, never silently dropped and never fatal. Only the fields results need are read, so a record is
 * judged on those (the journal holds events the decoder already accepted when they arrived).
 */
public final class ResultEvents {
    public static final String JOURNAL = "journal.jsonl";

    private final String runId;
    private final SortedMap<RepetitionKey, Repetition> repetitions;
    private final SortedMap<String, JsonNode> systems;
    private final long problems;

    private ResultEvents(String runId, SortedMap<RepetitionKey, Repetition> repetitions,
                         SortedMap<String, JsonNode> systems, long problems) {
        this.runId = runId;
        this.repetitions = repetitions;
        this.systems = systems;
        this.problems = problems;
    }

    /**
     * Reads {@code runDir/journal.jsonl}; the run id is the events' {@code run_id}, else the directory's name. A
     * directory without a journal is not a run; a journal that cannot be opened or read is an error naming it.
     */
    public static ResultEvents read(Path runDir, Consumer<String> problems) throws ResultsException {
        Path journal = runDir.resolve(JOURNAL);
        if (!Files.isRegularFile(journal)) {
            throw new ResultsException("no " + JOURNAL + " in " + runDir + ": not a run directory");
        }
        try {
            return read(runDir, journal, problems);
        } catch (IOException e) {
            throw new ResultsException("cannot read " + journal + ": " + e, e);
        }
    }

    private static ResultEvents read(Path runDir, Path journal, Consumer<String> problems) throws IOException {
        SortedMap<RepetitionKey, Repetition> reps = new TreeMap<>();
        SortedMap<String, JsonNode> systems = new TreeMap<>();
        String runId = null;
        long bad = 0;
        try (JournalReader r = JournalReader.open(journal, problems)) {
            for (JournalReader.Record rec; (rec = r.next()) != null; ) {
                String where = journal + ":" + rec.line() + ": ";
                try {
                    JsonNode event = rec.event();
                    String eventRun = take(event, reps, where, problems);
                    if ("system".equals(event.path("type").asText()) && event.path("system").isObject()) {
                        systems.put(event.get("host").asText(), event.get("system"));
                    }
                    runId = runId == null ? eventRun : runId;
                } catch (IOException e) {
                    bad++;
                    problems.accept(where + "unreadable record (" + firstLine(e.getMessage()) + "), skipped");
                }
            }
            bad += r.unreadable();
        }
        return new ResultEvents(runId != null ? runId : runDir.toAbsolutePath().normalize().getFileName().toString(),
                reps, systems, bad);
    }

    /** Applies one event; returns its run_id (or null). Throws when a field results need is missing or wrong. */
    private static String take(JsonNode e, SortedMap<RepetitionKey, Repetition> reps, String where,
                               Consumer<String> problems) throws IOException {
        String host = text(e, "host");
        String workload = text(e, "workload");
        String statusText = text(e, "status");
        EventStatus status = EventStatus.parse(statusText)
                .orElseThrow(() -> new IOException("unknown status '" + statusText + "'"));
        int repetition = repetition(e.get("repetition"));
        String runId = e.path("run_id").isTextual() ? e.get("run_id").asText() : null;
        if (repetition < 1) {
            return runId;
        }
        Repetition rep = reps.computeIfAbsent(new RepetitionKey(host, workload, repetition), Repetition::new);
        String message = e.path("message").isTextual() ? e.get("message").asText() : null;
        rep.status(status.wireName(), status.isFinal(), message);
        if (e.path("warmup").asBoolean(false)) {
            rep.markWarmup();
        }
        if (status.isFinal() && e.path("stability").isObject()) {
            rep.stability(e.get("stability"));
        }
        if ("result".equals(e.path("type").asText())) {
            if (ResultParseException.ERROR_TYPE.equals(e.path("error_type").asText())) {
                rep.addUnparsed(message != null ? message : "(no reason given)");
            } else {
                String parser = e.path("parser").isTextual() ? e.get("parser").asText() : null;
                for (JsonNode m : e.path("metrics")) {
                    metric(m, parser, rep, where, problems);
                }
            }
        }
        return runId;
    }

    private static void metric(JsonNode m, String parser, Repetition rep, String where, Consumer<String> problems) {
        if (!m.path("name").isTextual() || !m.path("value").isNumber() || !m.path("unit").isTextual()
                || !Double.isFinite(m.get("value").asDouble())) {
            problems.accept(where + "a result metric without a text name, a finite number value and a text unit: "
                    + Json.line(m) + ", skipped");
            return;
        }
        Repetition.Value v = new Repetition.Value(m.get("name").asText(), m.get("value").asDouble(),
                m.get("unit").asText(), parser);
        Repetition.Value before = rep.addMetric(v);
        if (before != null) {
            problems.accept(where + v.name() + " given twice for " + rep.key().host() + " " + rep.key().workload()
                    + " repetition " + rep.key().repetition() + " (" + before.value() + ", then " + v.value()
                    + "); the later value is used");
        }
    }

    private static String text(JsonNode e, String field) throws IOException {
        JsonNode n = e.get(field);
        if (n == null || !n.isTextual()) {
            throw new IOException("field '" + field + "' missing or not a string");
        }
        return n.asText();
    }

    /** An integer, or a numeric string as the protocol accepts. */
    private static int repetition(JsonNode n) throws IOException {
        if (n != null && n.canConvertToInt() && n.isIntegralNumber()) {
            return n.asInt();
        }
        if (n != null && n.isTextual() && n.asText().matches("\\d{1,9}")) {
            return Integer.parseInt(n.asText());
        }
        throw new IOException("field 'repetition' missing or not an integer");
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public String runId() {
        return runId;
    }

    /** Every repetition the journal names, ordered by workload, host, repetition. */
    public SortedMap<RepetitionKey, Repetition> repetitions() {
        return Collections.unmodifiableSortedMap(repetitions);
    }

    /** Each host's system information (the {@code system} object of its system event), by host. */
    public SortedMap<String, JsonNode> systems() {
        return Collections.unmodifiableSortedMap(systems);
    }

    /** Records that could not be read (each was reported). */
    public long unreadable() {
        return problems;
    }
}
