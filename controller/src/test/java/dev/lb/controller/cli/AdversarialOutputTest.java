package dev.lb.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.run.RunRecord;
import dev.lb.controller.state.Completeness;
import dev.lb.controller.state.RunState;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run directory where everything a target or a config could put text into is hostile (escape sequences, C0 and
 * C1 controls, bidi overrides), and every command that reads it: nothing that reaches a terminal may act on it.
 */
class AdversarialOutputTest {
    /** Clear screen, retitle, 8-bit CSI, right-to-left override, isolate, NUL, backspace, NEL. */
    static final String HOSTILE = "\u001b[2J\u001b]0;pwned\u0007\u009b5m\u202eevil\u2066\u0000\u0008\u0085end";

    @TempDir
    Path dir;
    Path run;

    @BeforeEach
    void hostileRun() throws Exception {
        run = dir.resolve("r1");
        Files.createDirectories(run.resolve("artifacts/web-1"));
        String json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(HOSTILE).toString();
        String event = "{\"v\":1,\"run_id\":\"r1\",\"host\":\"web-1\",\"workload\":\"w\",\"repetition\":1,"
                + "\"total_repetitions\":1,\"status\":\"running\",\"type\":\"log\",\"level\":\"INFO\",\"src\":\"agent\","
                + "\"seq\":%d,\"ts\":1.5,\"message\":" + json + "}";
        Files.writeString(run.resolve("journal.jsonl"), "{\"received\":1.6,\"path\":\"stdout\",\"event\":"
                + event.formatted(1) + "}\n");
        Files.writeString(run.resolve("events.jsonl"), "{\"kind\":\"event\",\"event\":" + event.formatted(1)
                + ",\"host\":\"web-1\"}\n{\"kind\":\"warning\",\"host\":\"web-1\",\"warning\":" + json + "}\n"
                + "{\"kind\":\"rejected\",\"host\":\"web-1\",\"reason\":\"malformed JSON\",\"detail\":" + json
                + ",\"snippet\":" + json + "}\n");
        Files.writeString(run.resolve("artifacts/web-1/lb_events.stream.log"), "LB_EVENT " + event.formatted(1)
                + "\nLB_EVENT {\"level\":" + json + "}\n" + HOSTILE + "\n");
        Files.writeString(run.resolve("ansible.log"), "TASK [" + HOSTILE + "]\nLB_EVENT " + event.formatted(2) + "\n");
        new RunRecord("r1", HOSTILE, "a1", 1000, List.of("web-1"), List.of("w"), 1, "inv", "vars", false).write(run);
        RunState.Row row = new RunState.Row("web-1", "w", 1, 1, "running", HOSTILE, 0, 2, Map.of(1, "running"));
        SummaryFile.write(run.resolve("summary.json"), new RunSummary("r1", HOSTILE, "failed", 1, HOSTILE, 1, 2, 0,
                List.of(row), new RunSummary.Events(2, 1, 0, 1, 1, 2, 1, 0), Map.of(HOSTILE, 1L), List.of(HOSTILE),
                List.of(), new RunSummary.Transport(2, 3, 0, 0, 0, 0, List.of(HOSTILE), 1L, 2, 1, List.of(HOSTILE)),
                new Completeness(Completeness.CANNOT_TELL, 0, 1, List.of(), List.of(HOSTILE), List.of(HOSTILE),
                        List.of("web-1")), null, null, List.of(new RunSummary.NotDone("web-1", "w", 1, "failed", HOSTILE)), HOSTILE,
                        List.of(new RunSummary.Stability("web-1", "w", false, 3, 0, HOSTILE)),
                List.of(HOSTILE), null, null));
    }

    /** Every character that could act on a terminal or reorder a line; newline and tab are layout. */
    private static List<String> actors(String s) {
        List<String> found = new ArrayList<>();
        for (char c : s.toCharArray()) {
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f;
            boolean bidi = c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069' || c == '\u200e'
                    || c == '\u200f' || c == '\u061c';
            if (control || bidi) {
                found.add("U+" + String.format("%04X", (int) c));
            }
        }
        return found;
    }

    private static void assertInert(String what, CliRun r) {
        assertEquals(List.of(), actors(r.out()), what + " stdout:\n" + r.out());
        assertEquals(List.of(), actors(r.err()), what + " stderr:\n" + r.err());
        assertTrue(r.out().length() + r.err().length() > 0, what + " said something");
    }

    @Test
    void journalShowAndSummaryShowHostileTextInert() {
        assertInert("journal show", CliRun.run("journal", "show", run.toString()));
        CliRun summary = CliRun.run("journal", "summary", run.toString());
        assertInert("journal summary", summary);
        assertTrue(summary.out().contains("evil"), "the text is shown, made inert: " + summary.out());
    }

    @Test
    void doctorShowsHostileTextInert() {
        assertInert("doctor --run", CliRun.run("doctor", "--run", run.toString()));
    }

    @Test
    void eventsParseShowsHostileTextInertAndItsJsonEscapesIt() throws Exception {
        for (String f : List.of("journal.jsonl", "events.jsonl", "ansible.log", "artifacts/web-1/lb_events.stream.log")) {
            CliRun r = CliRun.run("events", "parse", "--explain", run.resolve(f).toString());
            assertInert("events parse --explain " + f, r);
        }
    }

    @Test
    void errorMessagesQuotingHostileInputAreInert() throws Exception {
        Path cfg = dir.resolve("bad.yaml");
        Files.writeString(cfg, "name: x\nrepetitions: \"" + HOSTILE.replace("\u0000", "").replace("\"", "") + "\"\n");
        assertInert("run with a hostile config", CliRun.run("run", "-c", cfg.toString()));
        assertInert("journal of a hostile run id", CliRun.run("journal", "show", "r\u001b[2J1", "--output-dir",
                dir.toString()));
        assertInert("an unknown hostile option", CliRun.run("journal", "show", "--\u001b]0;x\u0007"));
    }

    @Test
    void resultsCompareReportAndRunsShowHostileTextInert() throws Exception {
        // Result, metric and final events whose names, units, messages and verdicts are hostile, in the same run.
        String json = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(HOSTILE).toString();
        String head = "{\"received\":2,\"path\":\"jsonl\",\"event\":{\"v\":1,\"run_id\":\"r1\",\"host\":\"web-1\","
                + "\"workload\":\"w\",\"total_repetitions\":1,\"level\":\"INFO\",\"src\":\"agent\",\"ts\":2.5,";
        Files.writeString(run.resolve("journal.jsonl"), head + "\"repetition\":1,\"status\":\"running\","
                + "\"type\":\"result\",\"seq\":2,\"message\":" + json + ",\"parser\":" + json + ",\"metrics\":[{\"name\":"
                + json + ",\"value\":1.5,\"unit\":" + json + "}]}}\n"
                + head + "\"repetition\":1,\"status\":\"running\",\"type\":\"metric\",\"seq\":3,\"message\":" + json
                + ",\"metrics\":[{\"name\":\"cpu_user\",\"value\":5,\"unit\":\"%\"}]}}\n"
                + head + "\"repetition\":1,\"status\":\"done\",\"type\":\"status\",\"seq\":4,\"message\":" + json
                + ",\"stability\":{\"stable\":false,\"n\":1,\"explanation\":" + json + "}}}\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertInert("results", CliRun.run("results", run.toString()));
        assertInert("compare", CliRun.run("compare", run.toString(), run.toString()));
        assertInert("report", CliRun.run("report", run.toString()));
        assertInert("runs", CliRun.run("runs", "--output-dir", dir.toString()));
        Path bad = dir.resolve("bad.fio.json");
        Files.writeString(bad, "{\"jobs\": [{\"jobname\": " + json + "}]}");
        assertInert("results parse", CliRun.run("results", "parse", "--parser", "fio", bad.toString()));
    }
}
