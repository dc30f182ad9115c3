package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventLevel;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.EventType;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real stress-ng, fio and sysbench (Debian packages) run by the agent: all their output is still events, and
 * one result event before the final one carries the numbers the tool wrote, read back here from the tool's own file.
 */
class ToolWorkloadTest {
    @TempDir
    Path tmp;

    private List<Event> run(String... args) throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        int rc = AgentProcess.run(run, List.of(), AgentProcess.runArgs(run, args));
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertEquals(StreamFileReader.last(events).status() == EventStatus.DONE ? 0 : rc, rc, AgentProcess.output(run));
        return events;
    }

    private static Event result(List<Event> events) {
        List<Event> results = events.stream().filter(e -> e.type() == EventType.RESULT).toList();
        assertEquals(1, results.size(), "exactly one result event: " + events);
        assertEquals(events.size() - 2, events.indexOf(results.get(0)), "the result comes right before the final event");
        return results.get(0);
    }

    private static Map<String, Double> metrics(Event result) {
        Map<String, Double> out = new LinkedHashMap<>();
        result.field("metrics").forEach(m -> out.put(m.get("name").asText(), m.get("value").asDouble()));
        return out;
    }

    @Test
    void stressNgWritesItsYamlWhereTheAgentReadsItAndTheResultCarriesItsBogoOps() throws Exception {
        List<Event> events = run("--type", "stress-ng", "--", "--cpu", "1", "--cpu-method", "int64", "--timeout", "1s");
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status(), events.toString());
        Event result = result(events);
        assertEquals("stress-ng", result.field("parser").asText());
        String yaml = Files.readString(tmp.resolve("run/results-wl-rep1.stress-ng.yaml"));
        Matcher ops = Pattern.compile("bogo-ops: (\\d+)").matcher(yaml);
        assertTrue(ops.find(), yaml);
        assertEquals(Double.parseDouble(ops.group(1)), metrics(result).get("cpu.bogo_ops"));
        List<Event> report = events.stream().filter(e -> e.type() == EventType.LOG
                && e.message().startsWith("stress-ng: info:")).toList();
        assertTrue(report.size() >= 2, "stress-ng's own lines are still events: " + events);
        assertTrue(report.stream().allMatch(e -> e.level() == EventLevel.INFO && "stderr".equals(e.field("stream").asText())),
                "its report comes on stderr and is INFO, not a warning: " + report);
    }

    @Test
    void fioWritesJsonToItsFileAndTheResultCarriesItsIops() throws Exception {
        List<Event> events = run("--type", "fio", "--cwd", tmp.toString(), "--", "--name=seq", "--filename=f.data",
                "--size=2m", "--rw=write", "--bs=64k", "--ioengine=psync");
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status(), events.toString());
        JsonNode job = Json.MAPPER.readTree(tmp.resolve("run/results-wl-rep1.fio.json").toFile()).path("jobs").get(0);
        Map<String, Double> m = metrics(result(events));
        assertEquals(job.path("write").path("iops").asDouble(), m.get("seq.write.iops"), 1e-9);
        assertEquals(2 * 1024 * 1024, m.get("seq.write.io_bytes"));
    }

    @Test
    void sysbenchIsReadFromItsStdoutWhichIsAlsoEveryLineAnEvent() throws Exception {
        List<Event> events = run("--type", "sysbench", "--", "cpu", "--time=1", "--cpu-max-prime=2000", "run");
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status(), events.toString());
        String copy = Files.readString(tmp.resolve("run/results-wl-rep1.sysbench.txt"));
        Matcher eps = Pattern.compile("events per second:\\s+([0-9.]+)").matcher(copy);
        assertTrue(eps.find(), copy);
        assertEquals(Double.parseDouble(eps.group(1)), metrics(result(events)).get("events_per_s"));
        long lines = events.stream().filter(e -> e.type() == EventType.LOG && "stdout".equals(e.field("stream").asText()))
                .count();
        assertEquals(copy.lines().count(), lines, "the copy holds exactly the lines sent as events");
    }

    @Test
    void aCommandsDeclaredMetricsComeFromItsStdoutAndFromAJsonFileItWrote() throws Exception {
        List<Event> events = run("--cwd", tmp.toString(), "--results",
                "[{\"name\":\"took\",\"unit\":\"ms\",\"regex\":\"took ([0-9.]+) ms\"},"
                        + "{\"name\":\"ops\",\"unit\":\"ops\",\"file\":\"out.json\",\"pointer\":\"/a/ops\"}]",
                "--", "sh", "-c", "echo 'took 9 ms'; echo 'took 12.5 ms'; echo '{\"a\": {\"ops\": 42}}' > out.json");
        Event result = result(events);
        assertEquals("declared", result.field("parser").asText());
        Map<String, Double> m = metrics(result);
        assertEquals(List.of("took", "ops", "wall_time"), List.copyOf(m.keySet()), "declared first, then the time");
        assertEquals(12.5, m.get("took"), "the last match counts");
        assertEquals(42.0, m.get("ops"));
    }

    @Test
    void everyCommandIsTimedFromItsStartToItsExitWithoutItsHooks() throws Exception {
        List<Event> events = run("--before-repetition", "[\"sleep\", \"1.5\"]", "--after-repetition",
                "[\"sleep\", \"1.5\"]", "--", "sleep", "0.3");
        Event result = result(events);
        assertEquals("wall_time", result.field("parser").asText(), "a command that declares nothing is timed");
        assertEquals("s", result.field("metrics").get(0).get("unit").asText());
        double took = metrics(result).get("wall_time");
        assertTrue(took >= 0.3, "at least the sleep: " + took);
        assertTrue(took < 1.5, "neither hook's 1.5 s is counted: " + took);
    }

    @Test
    void aCommandThatFailsHasNoWallTimeButAnUnparsedResultSayingWhy() throws Exception {
        List<Event> events = run("--", "sh", "-c", "exit 3");
        Event result = result(events);
        assertEquals("result_unparsed", result.errorType(), result.toString());
        assertTrue(result.message().contains("no result: the repetition ended failed (exit code 3)"), result.message());
    }

    @Test
    void aToolThatFailsGivesAnUnparsedResultWithTheReasonAndTheRepetitionFails() throws Exception {
        List<Event> events = run("--type", "fio", "--cwd", tmp.toString(), "--", "--name=x", "--filename=f.data",
                "--size=1m", "--rw=read", "--ioengine=nosuchengine");
        Event result = result(events);
        assertEquals("result_unparsed", result.errorType());
        assertTrue(result.message().contains("no result: the repetition ended failed"), result.message());
        assertEquals(EventStatus.FAILED, StreamFileReader.last(events).status());
    }

    @Test
    void aDeclaredMetricTheOutputLacksIsUnparsedNamingIt() throws Exception {
        List<Event> events = run("--results", "[{\"name\":\"took\",\"unit\":\"ms\",\"regex\":\"took ([0-9.]+) ms\"}]",
                "--", "echo", "nothing here");
        Event result = result(events);
        assertEquals("result_unparsed", result.errorType());
        assertTrue(result.message().contains("took"), result.message());
        assertEquals(EventStatus.DONE, StreamFileReader.last(events).status(), "the workload itself succeeded");
    }

    @Test
    void systemMetricsAreSampledWhileTheWorkloadRunsAndStopWithIt() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        List<String> args = new java.util.ArrayList<>(List.of(AgentProcess.runArgs(run)));
        int at = args.indexOf("--metrics-interval");
        args.set(at + 1, "0.2");
        args.addAll(List.of("--", "sleep", "1.5"));
        assertEquals(0, AgentProcess.run(run, List.of(), args.toArray(String[]::new)), AgentProcess.output(run));
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        List<Event> samples = events.stream().filter(e -> e.type() == EventType.METRIC).toList();
        assertTrue(samples.size() >= 4 && samples.size() <= 8, "about 1.5 s / 0.2 s samples: " + samples.size());
        List<String> names = new java.util.ArrayList<>();
        samples.get(0).field("metrics").forEach(m -> names.add(m.get("name").asText()));
        assertEquals(List.of("cpu_user", "cpu_system", "cpu_iowait", "mem_used", "load1", "disk_read", "disk_write",
                "net_rx", "net_tx", "cpu_other", "cpu_other_top"), names.subList(0, 11));
        assertTrue(names.containsAll(List.of("swap_in", "swap_out")), names.toString());
        Event last = StreamFileReader.last(events);
        assertTrue(samples.stream().allMatch(s -> s.tsMillis() <= last.tsMillis()), "no sample after the final event");
        assertEquals(last.field("seal").get("agent").get("count").asLong(), events.size(), "samples are sealed too");
    }

    @Test
    void aBusyLoopOutsideTheWorkloadsGroupDuringAStressNgCpuRunShowsAsCpuUsedByOthersAndIsNamed() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        List<String> args = new java.util.ArrayList<>(List.of(AgentProcess.runArgs(run, "--type", "stress-ng")));
        args.set(args.indexOf("--metrics-interval") + 1, "0.5");
        args.addAll(List.of("--", "--cpu", "1", "--cpu-method", "int64", "--timeout", "3s"));
        Process loop = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        List<Event> samples;
        double loopShare;
        try {
            long ticks = loopTicks(loop);
            long t0 = System.nanoTime();
            assertEquals(0, AgentProcess.run(run, List.of(), args.toArray(String[]::new)), AgentProcess.output(run));
            loopShare = 100.0 * (loopTicks(loop) - ticks) / 100 / ((System.nanoTime() - t0) / 1e9);
            samples = StreamFileReader.events(run.resolve("lb_events.stream.log")).stream()
                    .filter(e -> e.type() == EventType.METRIC).toList();
        } finally {
            loop.destroyForcibly().waitFor();
        }
        assertTrue(samples.size() >= 4, "about 3 s / 0.5 s samples: " + samples.size());
        double other = 0;
        double top = 0;
        List<String> names = new java.util.ArrayList<>();
        for (Event s : samples) {
            for (JsonNode m : s.field("metrics")) {
                if (m.get("name").asText().equals("cpu_other")) {
                    other += m.get("value").asDouble() / samples.size();
                } else if (m.get("name").asText().equals("cpu_other_top")) {
                    top += m.get("value").asDouble() / samples.size();
                }
            }
            names.add(s.field("cpu_other_top_name") == null ? null : s.field("cpu_other_top_name").asText());
        }
        String said = String.format(java.util.Locale.ROOT, "the loop used %.1f %% of a core; cpu_other averaged"
                + " %.1f %%, cpu_other_top %.1f %%, named %s", loopShare, other, top, names);
        assertTrue(loopShare > 10, said);
        // The loop is counted: what others used is at least what the loop used (its start-up JVM included, the
        // agent's own run spans a little more than the samples, hence the margin).
        assertTrue(other > 0.8 * loopShare, said);
        // It is named wherever it was the busiest; on a machine busy with other work, something at least as busy is.
        assertTrue(names.contains("sh") || top > 0.8 * loopShare, said);
    }

    /** utime + stime of a process started by the test, from /proc/[pid]/stat. */
    private static long loopTicks(Process p) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    @Test
    void everyEventOfAWarmUpRepetitionSaysSo() throws Exception {
        List<Event> events = run("--warmup", "--type", "sysbench", "--", "cpu", "--time=1", "run");
        assertTrue(events.size() > 5, events.toString());
        assertTrue(events.stream().allMatch(e -> e.field("warmup") != null && e.field("warmup").asBoolean()),
                "the result and the final event included: " + events);
    }

    @Test
    void aDeclaredFileLeftByAnEarlierRepetitionIsNotCountedAgain() throws Exception {
        Path old = tmp.resolve("out.json");
        Files.writeString(old, "{\"ops\": 7}");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        List<Event> events = run("--cwd", tmp.toString(), "--results",
                "[{\"name\":\"ops\",\"unit\":\"ops\",\"file\":\"out.json\",\"pointer\":\"/ops\"}]",
                "--", "true");
        Event result = result(events);
        assertEquals("result_unparsed", result.errorType(), result.toString());
        assertTrue(result.message().contains("not written during this repetition"), result.message());
    }
}
