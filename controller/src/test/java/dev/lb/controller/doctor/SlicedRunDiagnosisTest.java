package dev.lb.controller.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.controller.run.RunRecord;
import dev.lb.controller.state.RunSummary;
import dev.lb.controller.state.SummaryFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lb doctor --run on both layouts: one ansible-playbook (files at the top) or slices (slices/<k>/...). */
class SlicedRunDiagnosisTest {
    private static final int EVENTS = 5;

    @TempDir
    Path run;

    /** h1 and h2 in slice 1, h3 in slice 2; each host EVENTS events, the last one sealing them. */
    private final Map<String, Integer> sliceOf = new LinkedHashMap<>();

    {
        sliceOf.put("h1", 1);
        sliceOf.put("h2", 1);
        sliceOf.put("h3", 2);
    }

    private static String event(String host, int seq) {
        boolean last = seq == EVENTS;
        return "{\"v\":1,\"run_id\":\"r1\",\"host\":\"" + host + "\",\"workload\":\"w\",\"repetition\":1,"
                + "\"total_repetitions\":1,\"status\":\"" + (last ? "done" : "running") + "\",\"type\":\""
                + (last ? "status" : "log") + "\",\"src\":\"agent\",\"seq\":" + seq + ",\"ts\":1.5"
                + (last ? ",\"seal\":{\"agent\":{\"last_seq\":" + EVENTS + ",\"count\":" + EVENTS + "}}" : "") + "}";
    }

    /** Writes the run; {@code sliced}: the slices layout. Events of {@code notLive} reach neither live file. */
    private void writeRun(boolean sliced, String notLive, int notLiveSeq) throws IOException {
        List<String> hosts = List.copyOf(sliceOf.keySet());
        new RunRecord("r1", "c.yaml", "a1", 1000, hosts, List.of("w"), 1, "inv", "vars", true).write(run);
        StringBuilder journal = new StringBuilder();
        Map<Path, StringBuilder> files = new LinkedHashMap<>();
        for (String h : hosts) {
            Path dir = sliced ? run.resolve("slices/" + sliceOf.get(h)) : run;
            Files.createDirectories(dir);
            if (sliced) {
                Files.writeString(dir.resolve("hosts.txt"), h + "\n", java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            }
            StringBuilder stream = new StringBuilder();
            for (int seq = 1; seq <= EVENTS; seq++) {
                String e = event(h, seq);
                stream.append("LB_EVENT ").append(e).append('\n');
                journal.append("{\"received\":1.6,\"path\":\"stdout\",\"event\":").append(e).append("}\n");
                if (h.equals(notLive) && seq == notLiveSeq) {
                    continue;
                }
                files.computeIfAbsent(dir.resolve("events.jsonl"), p -> new StringBuilder())
                        .append("{\"kind\":\"line\",\"host\":\"").append(h).append("\",\"task\":\"poll\"} LB_EVENT ")
                        .append(e).append('\n');
                files.computeIfAbsent(dir.resolve("ansible.log"), p -> new StringBuilder())
                        .append("ok: [").append(h).append("] => {\"msg\": \"LB_EVENT ")
                        .append(e.replace("\"", "\\\"")).append("\"}\n");
            }
            Path artifacts = run.resolve("artifacts").resolve(h);
            Files.createDirectories(artifacts);
            Files.writeString(artifacts.resolve("lb_events.stream.log"), stream);
            Files.writeString(artifacts.resolve("collected.json"), "{}");
        }
        for (Map.Entry<Path, StringBuilder> f : files.entrySet()) {
            Files.writeString(f.getKey(), f.getValue());
        }
        Files.writeString(run.resolve("journal.jsonl"), journal);
        SummaryFile.write(run.resolve("summary.json"), RunSummary.empty("r1", "c.yaml", "done", List.of()));
    }

    @Test
    void aCompleteSlicedRunHasNothingLostAndNamesEachSliceWithItsHosts() throws Exception {
        writeRun(true, null, 0);
        RunDiagnosis.Report r = RunDiagnosis.diagnose(run);
        assertFalse(r.lost(), r.toString());
        assertEquals(List.of(), r.cannotTell(), r.toString());
        assertEquals(List.of(), r.findings(), r.toString());
        String stages = String.join("\n", r.stages());
        assertTrue(stages.contains("2+3 live paths, 2 slices (one ansible-playbook each): 15 events by the callbacks,"
                + " 15 by stdout"), stages);
        assertTrue(stages.contains("2 poll steps -> callback, slice 1 (h1, h2): 10 events"), stages);
        assertTrue(stages.contains("2 poll steps -> callback, slice 2 (h3): 5 events"), stages);
        assertTrue(stages.contains("3 stdout, slice 2 (h3): 5 events in 5 sightings (slices/2/ansible.log)"), stages);
    }

    @Test
    void anUnslicedRunIsReadFromTheTopLevelFilesAsBefore() throws Exception {
        writeRun(false, null, 0);
        RunDiagnosis.Report r = RunDiagnosis.diagnose(run);
        assertFalse(r.lost(), r.toString());
        assertEquals(List.of(), r.findings(), r.toString());
        assertTrue(r.stages().contains("2 poll steps -> callback (events.jsonl): 15 events"), r.stages().toString());
        assertTrue(r.stages().contains("3 stdout (ansible.log): 15 events in 15 sightings"), r.stages().toString());
    }

    @Test
    void anEventNoSliceDeliveredLiveIsReportedOnItsHostNamingTheSlice() throws Exception {
        writeRun(true, "h3", 2);
        RunDiagnosis.Report r = RunDiagnosis.diagnose(run);
        assertFalse(r.lost(), "it is in the journal (recovered): " + r);
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("not delivered live on h3 (slice 2), recovered"
                + " from its stream file: 1 events")), r.findings().toString());
    }

    @Test
    void aMissingSliceJsonlIsABrokenPathNamingItsFileWhileTheOtherSlicesCount() throws Exception {
        writeRun(true, null, 0);
        Files.delete(run.resolve("slices/2/events.jsonl"));
        RunDiagnosis.Report r = RunDiagnosis.diagnose(run);
        assertFalse(r.lost(), r.toString());
        assertTrue(r.stages().stream().anyMatch(s -> s.contains("slice 2 (h3): slices/2/events.jsonl missing")),
                r.stages().toString());
        List<String> broken = new ArrayList<>(r.findings().stream().filter(f -> f.contains("path is broken")).toList());
        assertEquals(1, broken.size(), r.findings().toString());
        assertTrue(broken.get(0).contains("slices/2/events.jsonl is missing"), broken.get(0));
    }

    /** Drops h1's events with seq above {@code keep} from the journal. */
    private void journalOnlyUpTo(int keep) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("journal.jsonl")).stream().filter(l -> !l.contains(
                "\"host\":\"h1\"") || Integer.parseInt(l.replaceAll(".*\"seq\":(\\d+).*", "$1")) <= keep).toList();
        Files.write(run.resolve("journal.jsonl"), lines);
    }

    /**
     * Issue 29: a run whose controller ended before collecting (SIGHUP, kill -9): events in events.jsonl and on the
     * target but not yet in the journal are what `lb recover` brings in: "cannot tell", never "lost".
     */
    @Test
    void anUnfinishedRunsEventsNotYetJournalledAreCannotTellNeverLost() throws Exception {
        writeRun(false, null, 0);
        Files.delete(run.resolve("summary.json"));
        for (String h : sliceOf.keySet()) {
            Files.delete(run.resolve("artifacts/" + h + "/collected.json"));
            Files.delete(run.resolve("artifacts/" + h + "/lb_events.stream.log"));
        }
        journalOnlyUpTo(2);
        RunDiagnosis.Report r = RunDiagnosis.diagnose(run);
        assertFalse(r.lost(), r.toString());
        assertTrue(r.findings().stream().noneMatch(f -> f.startsWith("lost")), r.findings().toString());
        assertTrue(r.cannotTell().stream().anyMatch(c -> c.startsWith("cannot tell for h1") && c.contains(
                ": 3 events, seq 3-5, not in the journal yet; the run is unfinished, and `lb recover` can still bring"
                + " them in (from the live paths' files and the target's stream file)")), r.cannotTell().toString());
    }

    @Test
    void aFinishedRunsEventsMissingFromTheJournalAreLost() throws Exception {
        writeRun(false, null, 0);
        journalOnlyUpTo(2);
        RunDiagnosis.Report r = RunDiagnosis.diagnose(run);
        assertTrue(r.lost(), r.toString());
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("lost between delivery and the journal on h1: 3"
                + " events, seq 3-5")), r.findings().toString());
    }

    /**
     * Issue 29: an empty journal was summarized "done (exit 0), 32 journalled, complete" on summary.json's word. A
     * summary that disagrees with its journal is said, naming both counts: cannot tell (exit 3), never lost.
     */
    @Test
    void aSummaryThatDisagreesWithItsJournalIsCannotTell() throws Exception {
        writeRun(false, null, 0);
        var tree = (com.fasterxml.jackson.databind.node.ObjectNode) dev.lb.protocol.Json.MAPPER.readTree(
                run.resolve("summary.json").toFile());
        tree.putObject("journal").put("records", 15).put("bytes", 1000);
        Files.writeString(run.resolve("summary.json"), tree.toString());
        assertEquals(null, dev.lb.controller.run.JournalAgreement.disagreement(run, SummaryFile.read(
                run.resolve("summary.json"))), "15 records in both");
        Files.writeString(run.resolve("journal.jsonl"), "");
        RunDiagnosis.Report r = RunDiagnosis.diagnose(run);
        assertFalse(r.lost(), r.toString());
        assertTrue(r.cannotTell().contains("summary.json says 15 records were journalled, but journal.jsonl holds 0:"
                + " they disagree, so what the summary claims cannot be trusted (cannot tell)"), r.cannotTell().toString());
    }

    /**
     * Issue 29: events naming a host that is not in the run (forged by a target into its stream) are rejected by
     * ingest; doctor listed them as lost, with a row for the phantom host. They are rejections: counted as such,
     * no row, no loss.
     */
    @Test
    void eventsOfAHostNotInTheRunAreCountedAsRejectionsNeverLost() throws Exception {
        writeRun(false, null, 0);
        StringBuilder jsonl = new StringBuilder();
        StringBuilder stdout = new StringBuilder();
        for (int seq = 1; seq <= 3; seq++) {
            String e = event("ghost", seq);
            jsonl.append("{\"kind\":\"line\",\"host\":\"h1\",\"task\":\"poll\"} LB_EVENT ").append(e).append('\n');
            stdout.append("ok: [h1] => {\"msg\": \"LB_EVENT ").append(e.replace("\"", "\\\"")).append("\"}\n");
        }
        Files.writeString(run.resolve("events.jsonl"), jsonl, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(run.resolve("ansible.log"), stdout, java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(run.resolve("artifacts/h1/lb_events.stream.log"), "LB_EVENT " + event("ghost", 1) + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        RunDiagnosis.Report r = RunDiagnosis.diagnose(run);
        assertFalse(r.lost(), r.toString());
        assertTrue(r.findings().stream().noneMatch(f -> f.contains("ghost")), r.findings().toString());
        assertEquals(List.of(), r.cannotTell(), r.toString());
        assertTrue(r.stages().contains("not in the run (rejected, never journalled): 3 events of host ghost"),
                r.stages().toString());
        assertTrue(r.stages().contains("2 poll steps -> callback (events.jsonl): 15 events"), r.stages().toString());
    }
}
