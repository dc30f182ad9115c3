package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent whose repetition makes the workload stable writes the later repetitions ahead: each one's stream lines and
 * status file are what a fresh agent of that repetition writes (a differential test: both are made and compared),
 * except the ts of its events; nothing is written ahead while the repetitions are not stable.
 */
class SkipAheadTest {
    private static final String RULE = "{\"min\": 3, \"until_cv\": 0.05, \"metric\": \"ops\"}";
    private static final String RESULTS = "[{\"name\":\"ops\",\"unit\":\"ops/s\",\"regex\":\"ops ([0-9.]+)\"}]";
    private static final String HISTORY = "stability-wl.jsonl";

    @TempDir
    Path tmp;

    /** One repetition of 5 in {@code dir} printing "ops VALUE"; with {@code ahead}, --skip-ahead to it. */
    private int repetition(Path dir, int n, Path ahead, String script) throws Exception {
        Files.createDirectories(dir);
        List<String> a = new ArrayList<>(List.of("run", "--run-dir", dir.toString(), "--host", "web-1",
                "--run-id", "r1", "--workload", "wl", "--repetition", String.valueOf(n), "--total-repetitions", "5",
                "--metrics-interval", "0", "--cwd", tmp.toString(), "--until-stable", RULE, "--results", RESULTS));
        if (ahead != null) {
            a.addAll(List.of("--skip-ahead", ahead.toString()));
        }
        a.addAll(List.of("--", "sh", "-c", "touch ran-" + n + "; " + script));
        return AgentProcess.run(dir, List.of(), a.toArray(String[]::new));
    }

    private static List<String> lines(Path stream) throws Exception {
        return Files.readAllLines(stream, StandardCharsets.UTF_8);
    }

    private static double ts(String line) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"ts\":([0-9.eE+-]+)").matcher(line);
        assertTrue(m.find(), line);
        return Double.parseDouble(m.group(1));
    }

    /** The lines with their ts taken out: the only field a line written ahead may differ in. */
    private static List<String> withoutTs(List<String> lines) {
        return lines.stream().map(l -> l.replaceAll("\"ts\":[0-9.eE+-]+,?", "")).toList();
    }

    /**
     * Runs repetitions 1-3 in "run" with --skip-ahead (the third makes them stable), then, as today, a fresh agent
     * for repetitions 4 and 5 in "fresh" holding the same history, and compares what each wrote.
     */
    private void writtenAheadEqualsWhatAFreshAgentWrites(String before) throws Exception {
        Path run = tmp.resolve("run");
        Path ahead = run.resolve("ahead");
        Files.createDirectories(run);
        Files.writeString(run.resolve(HISTORY), before);
        for (int n = 1 + (int) before.lines().filter(l -> l.contains("\"value\"")).count(); n <= 3; n++) {
            assertEquals(0, repetition(run, n, ahead, "echo ops 100"), AgentProcess.output(run));
        }
        assertTrue(AgentProcess.output(run).contains("repetitions 4 to 5 written ahead as skipped"),
                AgentProcess.output(run));
        // After the third repetition's final event (the host's events stay in ts order), before its status file
        // (which the next repetition's start waits for).
        List<String> third = lines(run.resolve("lb_events.stream.log"));
        assertTrue(ts(third.get(third.size() - 1)) <= ts(lines(ahead.resolve("4/lb_events.stream.log")).get(0)));
        assertTrue(Files.getLastModifiedTime(ahead.resolve("5/status.json")).compareTo(
                Files.getLastModifiedTime(run.resolve("status.json"))) <= 0, "written ahead before its own status");

        Path fresh = tmp.resolve("fresh");
        Files.createDirectories(fresh);
        Files.copy(run.resolve(HISTORY), fresh.resolve(HISTORY));
        for (int n = 4; n <= 5; n++) {
            Files.deleteIfExists(fresh.resolve("lb_events.stream.log"));
            assertEquals(0, repetition(fresh, n, null, "echo ops 1"), AgentProcess.output(fresh));
            // A warning about the history names its file, which is in the other directory here (on a target it is
            // the same file).
            List<String> own = lines(fresh.resolve("lb_events.stream.log")).stream()
                    .map(l -> l.replace(fresh.toString(), run.toString())).toList();
            List<String> written = lines(ahead.resolve(n + "/lb_events.stream.log"));
            assertEquals(withoutTs(own), withoutTs(written), "repetition " + n);
            assertNotEquals(own.get(own.size() - 1), withoutTs(own).get(own.size() - 1), "the ts was there");
            assertTrue(written.get(written.size() - 1).contains("\"status\":\"skipped\""), written.toString());
            assertEquals(Files.readString(fresh.resolve("status.json")),
                    Files.readString(ahead.resolve(n + "/status.json")), "status.json byte for byte, repetition " + n);
        }
        assertFalse(Files.exists(tmp.resolve("ran-4")) || Files.exists(tmp.resolve("ran-5")), "nothing ran");
        assertFalse(Files.exists(ahead.resolve("6")), "no repetition past the total");
    }

    @Test
    void eachLaterRepetitionIsWrittenAheadAsItsOwnAgentWritesIt() throws Exception {
        writtenAheadEqualsWhatAFreshAgentWrites("");
    }

    @Test
    void theWarningsAboutADamagedHistoryAreWrittenAheadTooBeforeTheSkippedEvent() throws Exception {
        writtenAheadEqualsWhatAFreshAgentWrites("{\"repetition\":1,\"value\":100}\n{\"repet\n");
        List<String> written = lines(tmp.resolve("run/ahead/4/lb_events.stream.log"));
        assertEquals(2, written.size(), written.toString());
        assertTrue(written.get(0).contains("stability-wl.jsonl:2: unreadable"), written.get(0));
        assertTrue(written.get(1).contains("\"seq\":2"), "the skipped event follows the warning: " + written.get(1));
    }

    @Test
    void nothingIsWrittenAheadWhileTheRepetitionsAreNotStable() throws Exception {
        Path run = tmp.resolve("run");
        Path ahead = run.resolve("ahead");
        String[] values = {"100", "200", "50"};
        for (int n = 1; n <= 3; n++) {
            assertEquals(0, repetition(run, n, ahead, "echo ops " + values[n - 1]), AgentProcess.output(run));
        }
        for (int n = 2; n <= 5; n++) {
            assertFalse(Files.exists(ahead.resolve(n + "/status.json")), "repetition " + n);
        }
        assertFalse(AgentProcess.output(run).contains("written ahead"), AgentProcess.output(run));
    }

    @Test
    void skipAheadWithoutTheRuleIsInvalidInput() throws Exception {
        Path run = tmp.resolve("run");
        Files.createDirectories(run);
        assertEquals(2, AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, "--skip-ahead",
                run.resolve("ahead").toString(), "--", "true")));
        assertTrue(AgentProcess.output(run).contains("--skip-ahead needs --until-stable"), AgentProcess.output(run));
    }
}
