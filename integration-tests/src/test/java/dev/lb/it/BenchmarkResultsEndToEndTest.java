package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.Yaml;

/**
 * Real stress-ng, fio and sysbench (the Debian packages in the target image) on SSH targets, through a real
 * {@code lb run}: every repetition's result event carries the numbers the tool itself wrote (checked against the
 * collected result files, read here independently of lb's parsers), then {@code lb results}, {@code lb compare} and
 * {@code lb report} work on the run.
 */
class BenchmarkResultsEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WORKLOADS = """
            workloads:
              - name: cpu
                type: stress-ng
                args: [--cpu, "1", --cpu-method, int64, --timeout, 2s]
              - name: disk
                type: fio
                args: [--name=rw, --filename=fio.data, --size=4m, --rw=randrw, --bs=4k, --runtime=1, --time_based,
                       --ioengine=psync]
              - name: sys
                type: sysbench
                args: [cpu, --time=1, --cpu-max-prime=2000, run]
              - name: loop
                argv: [sh, -c, "echo 'took 12.5 ms'; echo '{\\"ops\\": 4200}' > out.json"]
                results:
                  - {name: took, unit: ms, regex: "took ([0-9.]+) ms"}
                  - {name: ops, unit: ops, file: out.json, pointer: /ops}
            """;

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest("bench-1", "bench-2");

    @Test
    void everyToolsNumbersReachTheJournalAsTheToolWroteThemAndBecomeStatisticsAComparisonAndAReport() throws Exception {
        Path cfg = targets.work().resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: 2\noutput_dir: runs\nmetrics_interval_s: 0.5\n" + targets.targetsYaml()
                + WORKLOADS);
        LbProcess run = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        Path runDir = runDir();
        List<JsonNode> events = events(runDir);

        for (String host : List.of("bench-1", "bench-2")) {
            Path artifacts = runDir.resolve("artifacts").resolve(host);
            for (int rep = 1; rep <= 2; rep++) {
                Map<String, Double> cpu = metrics(events, host, "cpu", rep);
                Map<String, Object> yaml = new Yaml().load(Files.readString(
                        artifacts.resolve("results-cpu-rep" + rep + ".stress-ng.yaml")));
                Map<?, ?> stressor = (Map<?, ?>) ((List<?>) yaml.get("metrics")).get(0);
                assertEquals(((Number) stressor.get("bogo-ops")).doubleValue(), cpu.get("cpu.bogo_ops"), host + " " + rep);
                assertEquals(((Number) stressor.get("bogo-ops-per-second-real-time")).doubleValue(),
                        cpu.get("cpu.bogo_ops_per_s_real"), 1e-6, host + " " + rep);

                Map<String, Double> disk = metrics(events, host, "disk", rep);
                JsonNode job = JSON.readTree(artifacts.resolve("results-disk-rep" + rep + ".fio.json").toFile())
                        .path("jobs").get(0);
                assertEquals(job.path("read").path("iops").asDouble(), disk.get("rw.read.iops"), 1e-6, host + " " + rep);
                assertEquals(job.path("write").path("iops").asDouble(), disk.get("rw.write.iops"), 1e-6, host);

                Map<String, Double> sys = metrics(events, host, "sys", rep);
                Matcher eps = Pattern.compile("events per second:\\s+([0-9.]+)").matcher(Files.readString(
                        artifacts.resolve("results-sys-rep" + rep + ".sysbench.txt")));
                assertTrue(eps.find(), "sysbench's own output in " + artifacts);
                assertEquals(Double.parseDouble(eps.group(1)), sys.get("events_per_s"), 1e-9, host + " " + rep);

                Map<String, Double> loop = metrics(events, host, "loop", rep);
                assertEquals(List.of("took", "ops", "wall_time"), List.copyOf(loop.keySet()), loop.toString());
                assertEquals(12.5, loop.get("took"));
                assertEquals(4200.0, loop.get("ops"));
                assertTrue(loop.get("wall_time") > 0 && loop.get("wall_time") < 60, "the command is timed: " + loop);
            }
            long samples = events.stream().filter(e -> e.path("host").asText().equals(host)
                    && e.path("type").asText().equals("metric")).count();
            assertTrue(samples >= 8, host + ": system metrics sampled during each repetition, got " + samples);
        }

        LbProcess results = LbProcess.runIn(targets.work(), Map.of(), null, "results", runDir.toString(), "--output", "json");
        assertEquals(0, results.exitCode(), results.err());
        JsonNode table = JSON.readTree(results.out());
        JsonNode took = find(table.path("results"), "bench-1", "loop", "took");
        assertEquals(2, took.path("n").asInt(), took.toString());
        assertEquals(12.5, took.path("mean").asDouble(), took.toString());
        assertTrue(Files.exists(runDir.resolve("results.json")) && Files.exists(runDir.resolve("results.csv")));

        LbProcess same = LbProcess.runIn(targets.work(), Map.of(), null, "compare", runDir.toString(), runDir.toString(),
                "--fail-on-regression", "1");
        assertEquals(0, same.exitCode(), "a run compared with itself shows no significant change\n" + same.out()
                + same.err());

        LbProcess report = LbProcess.runIn(targets.work(), Map.of(), null, "report", runDir.toString());
        assertEquals(0, report.exitCode(), report.out() + report.err());
        List<String> lines = report.out().lines().toList();
        Path html = Path.of(lines.get(lines.size() - 1));
        assertEquals(runDir.resolve("report.html"), html);
        String page = Files.readString(html);
        assertTrue(page.contains("rw.read.iops") && page.contains("cpu.bogo_ops_per_s_real"), html.toString());
        assertTrue(!page.contains("<script src=") && !page.contains("<link rel=\"stylesheet\" href="),
                "everything inlined: " + html);
    }

    @Test
    void aToolThatFailsGivesAnUnparsedResultAndTheRunSaysSoWhileTheOthersAreRead() throws Exception {
        Path cfg = targets.work().resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: 1\noutput_dir: runs\nmetrics_interval_s: 0\n" + targets.targetsYaml()
                + """
                workloads:
                  - name: badfio
                    type: fio
                    args: [--name=x, --filename=x.data, --size=1m, --rw=read, --ioengine=nosuchengine]
                  - name: cpu
                    type: stress-ng
                    args: [--cpu, "1", --timeout, 1s]
                """);
        LbProcess run = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(1, run.exitCode(), run.out() + run.err());
        List<JsonNode> events = events(runDir());
        for (String host : List.of("bench-1", "bench-2")) {
            JsonNode bad = events.stream().filter(e -> e.path("host").asText().equals(host)
                    && e.path("workload").asText().equals("badfio") && e.path("type").asText().equals("result"))
                    .findFirst().orElseThrow(() -> new AssertionError("no result event for badfio on " + host));
            assertEquals("result_unparsed", bad.path("error_type").asText(), bad.toString());
            assertTrue(bad.path("message").asText().contains("failed"), bad.toString());
            assertTrue(metrics(events, host, "cpu", 1).containsKey("cpu.bogo_ops"), "the other workload is read");
        }
        assertTrue(run.out().contains("badfio"), run.out());
    }

    @Test
    void aRepetitionThatEndedDoneWithoutItsDeclaredNumbersFailsTheRunAndSaysWhich() throws Exception {
        Path cfg = targets.work().resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: 1\noutput_dir: runs\nmetrics_interval_s: 0\n" + targets.targetsYaml()
                + """
                workloads:
                  - name: quiet
                    argv: [echo, "no number here"]
                    results:
                      - {name: took, unit: ms, regex: "took ([0-9.]+) ms"}
                """);
        LbProcess run = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(1, run.exitCode(), "every repetition done, but its numbers are missing\n" + run.out() + run.err());
        JsonNode summary = JSON.readTree(runDir().resolve("summary.json").toFile());
        assertEquals("complete", summary.path("completeness").path("verdict").asText(), "no event lost");
        assertTrue(summary.path("reason").asText().contains("the results of 2 repetitions could not be parsed"),
                summary.path("reason").asText());
        assertTrue(run.out().contains("2 repetitions could not be parsed"), run.out());
    }

    @Test
    void adaptiveRepetitionsStopEachHostWhereItsMetricIsStableAndTheRestAreSkippedNotFailed() throws Exception {
        // bench-1 prints the same number every time: stable after min 3. bench-2 alternates 100/300: never stable.
        // The agent's working directory is the host's target directory, named after the inventory host.
        Path cfg = targets.work().resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: {min: 3, max: 5, until_cv: 0.05, metric: ops}\noutput_dir: runs\n"
                + "metrics_interval_s: 0\n" + targets.targetsYaml() + """
                workloads:
                  - name: steady
                    argv: [sh, -c, 'n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count;
                           case "$(basename "$PWD")" in bench-1) echo "ops 100";; *) echo "ops $((100 + 200 * (n % 2)))";; esac']
                    results:
                      - {name: ops, unit: ops/s, regex: "ops ([0-9]+)"}
                """);
        LbProcess run = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(0, run.exitCode(), "skipped as stable is not a failure\n" + run.out() + run.err());
        Path runDir = runDir();
        List<JsonNode> events = events(runDir);
        for (int rep = 1; rep <= 5; rep++) {
            JsonNode one = finalEvent(events, "bench-1", rep);
            JsonNode two = finalEvent(events, "bench-2", rep);
            assertEquals(rep <= 3 ? "done" : "skipped", one.path("status").asText(), one.toString());
            assertEquals(Math.min(rep, 3), one.path("stability").path("n").asInt(), one.toString());
            assertEquals("done", two.path("status").asText(), two.toString());
            assertEquals(false, two.path("stability").path("stable").asBoolean(), two.toString());
            if (rep > 3) {
                assertEquals("skipped (stable after 3 repetitions: cv of ops 0 <= 0.05 over 3 repetitions)",
                        one.path("message").asText());
                int r = rep;
                long others = events.stream().filter(e -> e.path("host").asText().equals("bench-1")
                        && e.path("repetition").asInt() == r).count();
                assertEquals(1, others, "a skipped repetition ran nothing: its final event is its only one");
                assertTrue(one.path("seal").isObject(), "sealed like every repetition: " + one);
            }
        }
        // The repetitions known to be skipped started no agent: bench-1's third agent wrote them ahead, and the start
        // step put them in place instead of starting one (said in agent.log, collected from the target). Their events
        // were written together by that agent: their ts are apart by far less than an agent start, where each agent
        // of its own would have written its event a JVM start and a poll round later.
        String log1 = Files.readString(runDir.resolve("artifacts/bench-1/agent.log"));
        String log2 = Files.readString(runDir.resolve("artifacts/bench-2/agent.log"));
        assertEquals(2, count(log1, "lb_start_agent: no agent started: the repetition was written ahead"), log1);
        assertTrue(log1.contains("lb-agent: stable: repetitions 4 to 5 written ahead as skipped"), log1);
        assertEquals(0, count(log2, "written ahead"), "never stable, nothing written ahead: " + log2);
        double apart = finalEvent(events, "bench-1", 5).path("ts").asDouble()
                - finalEvent(events, "bench-1", 4).path("ts").asDouble();
        assertTrue(apart >= 0 && apart < 0.5, "written together, " + apart + " s apart");
        assertTrue(finalEvent(events, "bench-1", 4).path("ts").asDouble()
                >= finalEvent(events, "bench-1", 3).path("ts").asDouble(), "after the third's final event");
        JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
        assertEquals("complete", summary.path("completeness").path("verdict").asText(), summary.toString());
        assertEquals(true, summary.path("stability").get(0).path("stable").asBoolean(), summary.path("stability").toString());
        assertEquals(3, summary.path("stability").get(0).path("n").asInt());
        assertEquals(2, summary.path("stability").get(0).path("skipped").asInt(), summary.path("stability").toString());
        assertEquals(false, summary.path("stability").get(1).path("stable").asBoolean());
        assertTrue(run.out().contains("bench-1 steady: stable after 3 repetitions (cv of ops 0 <= 0.05 over 3"
                + " repetitions), 2 skipped"), run.out());
        assertTrue(run.out().contains("bench-2 steady: not stable (cv of ops 0.498 > 0.05 over 5 repetitions)"),
                run.out());

        LbProcess results = LbProcess.runIn(targets.work(), Map.of(), null, "results", runDir.toString(), "--output", "json");
        assertEquals(0, results.exitCode(), results.err());
        JsonNode table = JSON.readTree(results.out());
        assertEquals(3, find(table.path("results"), "bench-1", "steady", "ops").path("n").asInt());
        assertEquals(5, find(table.path("results"), "bench-2", "steady", "ops").path("n").asInt());
        assertEquals(0, table.path("excluded").size(), "nothing excluded: " + table.path("excluded"));
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    private static JsonNode finalEvent(List<JsonNode> events, String host, int rep) {
        List<JsonNode> finals = events.stream().filter(e -> e.path("host").asText().equals(host)
                && e.path("repetition").asInt() == rep && !e.path("status").asText().equals("running")).toList();
        assertEquals(1, finals.size(), host + " rep " + rep + ": " + finals);
        return finals.get(0);
    }

    private static JsonNode find(JsonNode rows, String host, String workload, String metric) {
        for (JsonNode r : rows) {
            if (r.path("host").asText().equals(host) && r.path("workload").asText().equals(workload)
                    && r.path("metric").asText().equals(metric)) {
                return r;
            }
        }
        throw new AssertionError("no " + host + " " + workload + " " + metric + " in " + rows);
    }

    /** The metrics of the one result event of a repetition (and there is exactly one). */
    private static Map<String, Double> metrics(List<JsonNode> events, String host, String workload, int rep) {
        List<JsonNode> results = events.stream().filter(e -> e.path("host").asText().equals(host)
                && e.path("workload").asText().equals(workload) && e.path("repetition").asInt() == rep
                && e.path("type").asText().equals("result")).toList();
        assertEquals(1, results.size(), host + " " + workload + " rep " + rep + ": " + results);
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        for (JsonNode m : results.get(0).path("metrics")) {
            out.put(m.path("name").asText(), m.path("value").asDouble());
        }
        assertTrue(!out.isEmpty(), results.get(0).toString());
        return out;
    }

    private Path runDir() throws IOException {
        try (Stream<Path> s = Files.list(targets.work().resolve("runs"))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow(); // runs/ also holds history.db
        }
    }

    private static List<JsonNode> events(Path runDir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(runDir.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(l).get("event"));
        }
        return out;
    }
}
