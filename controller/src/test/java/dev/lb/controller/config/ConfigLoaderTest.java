package dev.lb.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
    private static RunConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("test.yaml", yaml, Path.of("/base"));
    }

    private static List<String> problems(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).problems();
    }

    @Test
    void fullConfigIsRead(@org.junit.jupiter.api.io.TempDir Path base) throws Exception {
        java.nio.file.Files.createDirectories(base.resolve("keys"));
        java.nio.file.Files.writeString(base.resolve("keys/id"), "a key");
        RunConfig c = ConfigLoader.parse("test.yaml", """
                name: nightly
                run_id: n-1
                output_dir: out
                repetitions: 3
                cooldown_s: 2.5
                poll_interval_s: 0.25
                timeouts: {repetition_s: 60, run_s: 600, stop_grace_s: 5}
                targets:
                  test_targets: true
                  hosts:
                    - {name: web-1, address: 127.0.0.1, port: 2222, user: bench, ssh_key: keys/id}
                    - {name: local, connection: local}
                workloads:
                  - name: cpu
                    argv: [stress-ng, --cpu, "1", -t, 10s]
                    env: {A: "1"}
                    timeout_s: 30
                  - {name: api, type: k6, script: /opt/api.js}
                """, base);
        assertEquals("nightly", c.name());
        assertEquals("n-1", c.runId());
        assertEquals(base.resolve("out"), c.outputDir());
        assertEquals(3, c.repetitions().measured());
        assertEquals(0.25, c.polling().intervalS());
        assertEquals(5, c.timeouts().stopGraceS());
        assertEquals(base.resolve("keys/id"), c.targets().hosts().get(0).sshKey());
        assertEquals(2222, c.targets().hosts().get(0).port());
        assertEquals("local", c.targets().hosts().get(1).connection());
        assertEquals(List.of("stress-ng", "--cpu", "1", "-t", "10s"), c.workloads().get(0).argv());
        assertEquals("k6", c.workloads().get(1).type());
    }

    @Test
    void aKeyGivenTwiceATakenHostNameAndAMissingSshKeyAreProblemsWithTheirLines() {
        List<String> p = problems("""
                repetitions: 1
                repetitions: 2
                targets:
                  hosts:
                    - {name: a, connection: local}
                    - {name: a, connection: local}
                    - {name: b, address: 10.0.0.2, ssh_key: /nonexistent/id_ed25519}
                workloads: [{name: w, argv: ["true"], argv: ["false"]}]
                """);
        assertEquals(List.of(
                "repetitions (line 2): duplicate key (first at line 1)",
                "targets.hosts[1].name (line 6): 'a' is used by another host (line 5)",
                "targets.hosts[2].ssh_key (line 7): file /nonexistent/id_ed25519 does not exist",
                "workloads[0].argv (line 8): duplicate key (first at line 8)"), p);
    }

    @Test
    void theHistoryGroupLabelsAndTheRegressionBlockAreRead() throws Exception {
        RunConfig c = parse("""
                history: {url: "postgresql://bench@db/lb"}
                labels: {commit: 1a2b3c, branch: main}
                regression: {min_change_pct: 3}
                targets: {hosts: [{name: l, connection: local}]}
                workloads: [{name: w, argv: ["true"]}]
                """);
        assertEquals("postgresql://bench@db/lb", c.history().url());
        assertEquals(java.util.Map.of("commit", "1a2b3c", "branch", "main"), c.history().labels());
        assertEquals(dev.lb.history.gate.MinimumChange.uniform(3).shown(), c.history().minChange().shown());
        assertEquals(List.of("commit", "branch"), List.copyOf(c.history().labels().keySet()), "in the config's order");
        assertEquals(RunConfig.History.NONE, parse("targets: {hosts: [{name: l, connection: local}]}\n"
                + "workloads: [{name: w, argv: [\"true\"]}]\n").history());
        assertEquals(List.of("history.uri (line 1): unknown key; did you mean 'url'? expected one of [url]",
                "labels.a=b (line 2): a label's name is not empty and holds no '='",
                "regression.min_change_pct (line 3): is -1; expected a number from 0 to 1000"),
                problems("history: {uri: x}\nlabels: {a=b: c}\nregression: {min_change_pct: -1}\n"
                        + "targets: {hosts: [{name: l, connection: local}]}\nworkloads: [{name: w, argv: [\"true\"]}]\n"));
    }

    /** Issue 29: the SSH retry bound and the watchdog's bounds are keys under timeouts, held to one rule. */
    @Test
    void theRetryAndWatchdogBoundsAreTimeoutsKeysAndTheSecondBoundStaysAboveAHealthySilence() throws Exception {
        String rest = "targets: {hosts: [{name: l, connection: local}]}\nworkloads: [{name: w, argv: [\"true\"]}]\n";
        RunConfig.Timeouts d = parse(rest).timeouts();
        assertEquals(List.of(60.0, 30.0, 120.0), List.of(d.unreachableRetryS(), d.noAnswerWarnS(), d.noAnswerEndS()));
        RunConfig.Timeouts t = parse("timeouts: {unreachable_retry_s: 20, no_answer_warn_s: 10, no_answer_end_s: 23}\n"
                + "poll_interval_s: 1\npoll_batch_s: 0.5\n" + rest).timeouts();
        assertEquals(List.of(20.0, 10.0, 23.0), List.of(t.unreachableRetryS(), t.noAnswerWarnS(), t.noAnswerEndS()));
        // Absent, the second bound follows a longer retry bound: 300 + 0.25 + 2 x 1 + 30.
        assertEquals(332.25, parse("timeouts: {unreachable_retry_s: 300}\n" + rest).timeouts().noAnswerEndS());
        assertEquals(List.of("timeouts.no_answer_end_s (line 3): timeouts.no_answer_end_s (22.5 s) must be more than"
                + " timeouts.unreachable_retry_s + poll_batch_s + 2 x poll_interval_s (20 + 0.5 + 2 x 1 = 22.5 s): a host"
                + " riding out an SSH blip would be taken for a stuck one"), problems("poll_interval_s: 1\npoll_batch_s:"
                + " 0.5\ntimeouts: {unreachable_retry_s: 20, no_answer_end_s: 22.5}\n" + rest));
        assertEquals(List.of("timeouts.no_answer_warn_s (line 2): timeouts.no_answer_warn_s (90 s) must be less than"
                + " timeouts.no_answer_end_s (90 s)"), problems("timeouts:\n  no_answer_warn_s: 90\n"
                + "  no_answer_end_s: 90\n" + rest));
        assertEquals(List.of("timeouts.no_answer_warn_s (line 2): timeouts.no_answer_warn_s (2 s) must be more than"
                + " poll_batch_s + 2 x poll_interval_s (2.25 s), the gap between two results of a healthy host"),
                problems("timeouts:\n  no_answer_warn_s: 2\n" + rest));
        assertEquals(List.of("timeouts.unreachable_retry_s (line 1): is -1; expected a number from 0 to 86400"),
                problems("timeouts: {unreachable_retry_s: -1}\n" + rest));
    }

    @Test
    void theRegressionBlockGivesADefaultAndPerMetricThresholdsByRegex() throws Exception {
        RunConfig c = parse("""
                regression:
                  min_change_pct: 4
                  metrics:
                    - {match: 'latency_p9[59]', min_change_pct: 15}
                    - {match: 'latency.*', min_change_pct: 10}
                targets: {hosts: [{name: l, connection: local}]}
                workloads: [{name: w, argv: ["true"]}]
                """);
        dev.lb.history.gate.MinimumChange m = c.history().minChange();
        assertEquals(15, m.percentFor("latency_p99"));
        assertEquals(10, m.percentFor("latency_mean"));
        assertEquals(4, m.percentFor("wall_time"));
        assertEquals(List.of(
                "regression.metrics[0].match (line 3): 'p9[' is not a regular expression: Unclosed character class"
                        + " near index 2",
                "regression.metrics[1].min_change_pct (line 4): missing",
                "regression.metrics[2].mach (line 5): unknown key; did you mean 'match'? expected one of [match,"
                        + " min_change_pct]",
                "regression.metrics[2].match: missing",
                "regression.metrics[3].min_change_pct (line 6): is -3; expected a number from 0 to 1000"),
                problems("""
                        regression:
                          metrics:
                            - {match: 'p9[', min_change_pct: 15}
                            - {match: 'x'}
                            - {mach: 'y', min_change_pct: 1}
                            - {match: 'z', min_change_pct: -3}
                        targets: {hosts: [{name: l, connection: local}]}
                        workloads: [{name: w, argv: ["true"]}]
                        """));
    }

    @Test
    void everyProblemNamesItsKeyPathAndLine() {
        List<String> p = problems("""
                repetitions: two
                targets:
                  hosts:
                    - name: web-1
                      connection: telnet
                workloads:
                  - name: cpu
                    argv: "stress-ng --cpu 1"
                  - name: cpu
                    type: fortran
                    argv: [x]
                """);
        assertTrue(p.contains("repetitions (line 1): expected an integer, got 'two'"), p.toString());
        assertTrue(p.contains("targets.hosts[0].connection (line 5): must be ssh or local"), p.toString());
        assertTrue(p.contains("workloads[0].argv (line 8): expected a list"), p.toString());
        assertTrue(p.contains("workloads[1].name (line 9): 'cpu' is used by another workload"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("workloads[1].type (line 10): unknown workload type 'fortran'")),
                p.toString());
    }

    @Test
    void unknownKeyIsAProblemNotIgnored() {
        List<String> p = problems("""
                repetitons: 3
                targets: {hosts: [{name: a, connection: local}]}
                workloads: [{name: w, argv: [true]}]
                """);
        assertEquals(1, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("repetitons (line 1): unknown key"), p.get(0));
    }

    @Test
    void missingSectionsAreNamed() {
        List<String> p = problems("name: x\n");
        assertTrue(p.contains("targets: missing (an inventory file or a list of hosts)"), p.toString());
        assertTrue(p.contains("workloads: missing (a list of workloads)"), p.toString());
    }

    @Test
    void slicesAreOneByDefaultAutoOrACountUpTo64() throws Exception {
        String rest = "targets: {hosts: [{name: a, connection: local}]}\nworkloads: [{name: w, argv: [true]}]\n";
        assertEquals(1, parse(rest).slices());
        assertEquals(RunConfig.AUTO_SLICES, parse("slices: auto\n" + rest).slices());
        assertEquals(4, parse("slices: 4\n" + rest).slices());
        assertEquals(List.of("slices (line 1): is 0; expected an integer from 1 to 64"), problems("slices: 0\n" + rest));
        assertEquals(List.of("slices (line 1): expected an integer, got 'many'"), problems("slices: many\n" + rest));
    }

    @Test
    void outOfRangeNumbersSayTheRange() {
        List<String> p = problems("""
                poll_interval_s: 0
                targets: {hosts: [{name: a, connection: local}]}
                workloads: [{name: w, argv: [true]}]
                """);
        assertEquals(List.of("poll_interval_s (line 1): is 0; expected a number from 0.05 to 60"), p);
    }

    @Test
    void invalidYamlSaysTheLine() {
        List<String> p = problems("targets:\n  hosts: [\n");
        assertEquals(1, p.size());
        assertTrue(p.get(0).startsWith("line "), p.get(0));
        assertTrue(p.get(0).contains("invalid YAML"), p.get(0));
    }

    @Test
    void containerWatchingIsReadAndChecked() throws Exception {
        RunConfig c = parse("""
                targets: {hosts: [{name: a, connection: local}]}
                workloads: [{name: w, argv: [true]}]
                containers: {namespaces: [openfaas-fn], id_pattern: "fn-.*", track: [default/x], ctr: [sudo, ctr]}
                """);
        assertEquals(List.of("openfaas-fn"), c.containers().namespaces());
        assertEquals(List.of("sudo", "ctr"), c.containers().ctr());
        List<String> p = problems("""
                targets: {hosts: [{name: a, connection: local}]}
                workloads: [{name: w, argv: [true]}]
                containers: {id_pattern: "(", track: [nonamespace]}
                """);
        assertTrue(p.stream().anyMatch(x -> x.startsWith("containers.id_pattern (line 3): not a regular expression")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("containers.track[0]")), p.toString());
    }

    @Test
    void repetitionHooksAreReadAsArgvOnAnyWorkloadType() throws Exception {
        RunConfig c = parse("""
                targets: {hosts: [{name: local, connection: local}]}
                workloads:
                  - name: cpu
                    type: stress-ng
                    args: [--cpu, "1", --timeout, 5s]
                    before_repetition: [sh, -c, "sync; echo 3 > /proc/sys/vm/drop_caches"]
                    after_repetition: [rm, -f, /tmp/scratch]
                  - name: plain
                    argv: ["true"]
                """);
        dev.lb.protocol.WorkloadPlan cpu = c.workloads().get(0);
        assertEquals(List.of("sh", "-c", "sync; echo 3 > /proc/sys/vm/drop_caches"), cpu.beforeRepetition());
        assertEquals(List.of("rm", "-f", "/tmp/scratch"), cpu.afterRepetition());
        assertEquals(null, c.workloads().get(1).beforeRepetition(), "absent: no hook");
        assertEquals(null, c.workloads().get(1).afterRepetition());
    }

    @Test
    void aRepetitionHookMustBeANonEmptyListOfStrings() {
        List<String> p = problems("""
                targets: {hosts: [{name: local, connection: local}]}
                workloads:
                  - name: a
                    argv: ["true"]
                    before_repetition: "sync; echo 3 > /proc/sys/vm/drop_caches"
                    after_repetition: []
                  - name: b
                    argv: ["true"]
                    before_repetition: [rm, {f: 1}]
                    after_repetition: ["", x]
                """);
        assertEquals(List.of(
                "workloads[0].before_repetition (line 5): expected a list of strings (the command's argv, never a"
                        + " shell string), e.g. [sh, -c, \"sync; echo 3 > /proc/sys/vm/drop_caches\"]",
                "workloads[0].after_repetition (line 6): is empty; expected the command's argv, a non-empty list of"
                        + " strings",
                "workloads[1].before_repetition[1] (line 9): expected a string",
                "workloads[1].after_repetition[0] (line 10): the command is empty"), p);
    }

    @Test
    void theDocumentedExampleIsValid() throws Exception {
        Path example = Path.of(System.getProperty("lb.testdata", "../testdata")).resolve("../examples/benchmark.yaml");
        RunConfig c = ConfigLoader.load(example.normalize());
        assertTrue(c.workloads().size() >= 2);
    }

    @Test
    void aMisspeltKeySuggestsTheNearestOne() {
        List<String> p = problems("repetitons: 2\ntargets: {hosts: [{name: l, connection: local}]}\n"
                + "workloads: [{name: w, argv: [true]}]\n");
        assertTrue(p.get(0).contains("did you mean 'repetitions'?"), p.toString());
        assertEquals(null, ConfigLoader.closest("zzzzzz", java.util.Set.of("name", "argv")));
    }

    @Test
    void aWorkloadNameFollowsTheRuleOfHostNames() {
        List<String> p = problems("targets: {hosts: [{name: l, connection: local}]}\n"
                + "workloads: [{name: \"w\\e[5mX\", argv: [true]}]\n");
        assertTrue(p.stream().anyMatch(x -> x.startsWith("workloads[0].name") && x.contains("letters, digits")),
                p.toString());
    }

    @Test
    void aFileThatIsNotUtf8IsNamedWithItsLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("latin1.yaml");
        java.nio.file.Files.write(f, "name: ok\nworkloads: [{name: caf\u00e9}]\n".getBytes(
                java.nio.charset.StandardCharsets.ISO_8859_1));
        List<String> p = assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).problems();
        assertTrue(p.get(0).startsWith("line 2, byte 23 of the line: not UTF-8 text (0xe9)"), p.toString());
    }

    @Test
    void aFileOverOneMebibyteIsRefusedUnparsed(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge.yaml");
        java.nio.file.Files.writeString(f, "name: x\n" + "#".repeat(ConfigLoader.MAX_BYTES));
        List<String> p = assertThrows(ConfigException.class, () -> ConfigLoader.load(f)).problems();
        assertTrue(p.get(0).contains("a config is at most 1048576 bytes"), p.toString());
    }

    @Test
    void anAliasBombIsRefused() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 0; i < 30; i++) {
            y.append((char) ('b' + i % 20)).append(i).append(": &").append("n").append(i).append(" [")
                    .append(i == 0 ? "*a" : "*n" + (i - 1)).append(", ").append(i == 0 ? "*a" : "*n" + (i - 1))
                    .append("]\n");
        }
        List<String> p = problems(y.toString());
        assertTrue(p.get(0).contains("invalid YAML"), p.toString());
    }

    @Test
    void benchmarkToolsTakeTheirArgumentsAsArgsAndCommandsDeclareTheirMetrics() throws Exception {
        RunConfig c = parse("warmup: 2\nrepetitions: 3\nmetrics_interval_s: 0.5\n"
                + "targets: {hosts: [{name: l, connection: local}]}\n"
                + "workloads:\n"
                + "  - {name: cpu, type: stress-ng, args: [--cpu, '1'], binary: /opt/stress-ng, metrics_interval_s: 0}\n"
                + "  - name: cmd\n    argv: [sh, -c, 'echo took 3 ms']\n"
                + "    results: [{name: took, unit: ms, regex: 'took ([0-9]+) ms'}]\n");
        assertEquals(5, c.totalRepetitions(), "2 warm-up repetitions run before the 3 measured ones");
        dev.lb.protocol.WorkloadPlan cpu = c.workloads().get(0);
        assertEquals(List.of("stress-ng", List.of("--cpu", "1"), "/opt/stress-ng", 0.0),
                List.of(cpu.type(), cpu.argv(), cpu.binary(), cpu.metricsIntervalS()));
        dev.lb.protocol.WorkloadPlan cmd = c.workloads().get(1);
        assertEquals("[{\"name\":\"took\",\"unit\":\"ms\",\"regex\":\"took ([0-9]+) ms\"}]", cmd.resultsJson());
        assertEquals(0.5, cmd.metricsIntervalS(), "the run's interval when the workload does not say");
    }

    @Test
    void aMistakeInAToolOrItsResultsIsNamedWithItsKeyPath() {
        List<String> p = problems("targets: {hosts: [{name: l, connection: local}]}\n"
                + "workloads:\n"
                + "  - {name: a, type: fio, argv: [--name=x]}\n"
                + "  - {name: b, argv: [true], args: [x]}\n"
                + "  - {name: c, argv: [true], results: [{name: t, unit: parsecs, regex: '(1)'}]}\n"
                + "  - {name: d, argv: [true], results: [{name: t, unit: ms, regex: 'no group'}]}\n"
                + "  - {name: e, type: sysbench, args: [cpu, run], results: [{name: t, unit: ms, regex: '(1)'}]}\n"
                + "  - {name: f, type: nosuchtool, argv: [true]}\n");
        assertTrue(p.stream().anyMatch(x -> x.startsWith("workloads[0].argv") && x.contains("takes args")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("workloads[1].args")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("workloads[2].results[0]") && x.contains("unit")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("workloads[3].results[0]") && x.contains("capture group")),
                p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("workloads[4].results") && x.contains("sysbench parser")),
                p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("workloads[5].type") && x.contains("stress-ng, fio, sysbench")),
                p.toString());
    }

    @Test
    void installToolsIsReadAndOffByDefault() throws Exception {
        RunConfig on = parse("targets: {install_tools: true, hosts: [{name: a, connection: local}]}\n"
                + "workloads: [{name: w, argv: [true]}]\n");
        assertTrue(on.targets().installTools());
        RunConfig off = parse("targets: {hosts: [{name: a, connection: local}]}\nworkloads: [{name: w, argv: [true]}]\n");
        org.junit.jupiter.api.Assertions.assertFalse(off.targets().installTools());
        List<String> p = assertThrows(ConfigException.class, () -> parse(
                "targets: {install_tools: yes please, hosts: [{name: a, connection: local}]}\n"
                        + "workloads: [{name: w, argv: [true]}]\n")).problems();
        assertEquals(1, p.size(), p.toString());
        assertEquals("targets.install_tools (line 1): expected true or false", p.get(0));
    }

    @Test
    void adaptiveRepetitionsRunUpToMaxUntilTheMetricIsStable() throws Exception {
        RunConfig c = parse("warmup: 1\nrepetitions: {min: 3, max: 10, until_cv: 0.02, metric: cpu.bogo_ops_per_s_real}\n"
                + "targets: {hosts: [{name: l, connection: local}]}\n"
                + "workloads: [{name: cpu, type: stress-ng, args: [--cpu, '1']}]\n");
        assertEquals(10, c.repetitions().measured(), "the maximum");
        assertEquals(11, c.totalRepetitions());
        assertEquals(new dev.lb.results.StabilityRule(3, 0.02, "cpu.bogo_ops_per_s_real"), c.repetitions().untilStable());
        assertEquals(null, c.withRepetitions(4).repetitions().untilStable(), "--repetitions N fixes the count");
    }

    @Test
    void aWrongAdaptiveRuleIsNamedWithItsKeyPath() throws ConfigException {
        String hosts = "targets: {hosts: [{name: l, connection: local}]}\n";
        List<String> p = problems("repetitions: {min: 5, max: 3, metric: m}\n" + hosts
                + "workloads: [{name: cpu, type: stress-ng, args: [--cpu, '1']}]\n");
        assertTrue(p.stream().anyMatch(x -> x.startsWith("repetitions.min") && x.contains("more than repetitions.max")),
                p.toString());
        p = problems("repetitions: {min: 1, max: 3, until_cv: -1, every: 2}\n" + hosts
                + "workloads: [{name: cpu, type: stress-ng, args: [--cpu, '1']}]\n");
        assertTrue(p.stream().anyMatch(x -> x.startsWith("repetitions.min")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("repetitions.until_cv")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.startsWith("repetitions.metric")), p.toString());
        assertTrue(p.stream().anyMatch(x -> x.contains("every")), p.toString());
        p = problems("repetitions: {min: 3, max: 6, metric: ops}\n" + hosts + "workloads: [{name: w, argv: [true]}]\n");
        assertTrue(p.stream().anyMatch(x -> x.startsWith("repetitions.metric") && x.contains("command workload 'w'"
                + " reports no metric 'ops' (it reports: wall_time)")), p.toString());
        assertEquals("wall_time", parse("repetitions: {min: 3, max: 6, metric: wall_time}\n" + hosts
                + "workloads: [{name: w, argv: [true]}]\n").repetitions().untilStable().metric(), "every command is timed");
    }

    @Test
    void syncNeedsOneAnsiblePlaybookSoItRefusesSlices() {
        String rest = "targets: {hosts: [{name: l, connection: local}]}\nworkloads: [{name: w, argv: ['true']}]\n";
        List<String> p = problems("sync: true\nslices: 2\n" + rest);
        assertTrue(p.stream().anyMatch(x -> x.startsWith("sync") && x.contains("cannot be combined with slices (2)")),
                p.toString());
        assertTrue(problems("sync: true\nslices: auto\n" + rest).stream().anyMatch(x -> x.contains("slices (auto)")));
    }
}
