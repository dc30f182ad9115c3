package dev.lb.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.WorkloadPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent run as lb runs it: everything about the workload from the run's plans file, picked by --workload. */
class PlanFileTest {
    @TempDir
    Path tmp;

    private static String[] args(Path run, Path plans, String workload, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("run", "--run-dir", run.toString(), "--host", "web-1",
                "--run-id", "r1", "--plans", plans.toString(), "--workload", workload, "--repetition", "1"));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private Path plans(WorkloadPlan... plans) throws Exception {
        return Files.writeString(tmp.resolve("plans.json"), dev.lb.protocol.Json.line(List.of(plans)));
    }

    @Test
    void theNamedPlanRunsWithItsArgvEnvAndNice() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        WorkloadPlan other = new WorkloadPlan("other", null, List.of("false"), null, null, null, null, null, null,
                null, 0.0, null, null, null, null);
        WorkloadPlan mine = new WorkloadPlan("mine", null, List.of("sh", "-c",
                "echo \"nice=$(nice) A=$A $(grep Cpus_allowed_list /proc/self/status | tr -d '\\t')\""),
                Map.of("A", "{{ x }}"), null, null, null, null, null, null, 0.0, null, null, 5, "0");
        int rc = AgentProcess.run(run, List.of(), args(run, plans(other, mine), "mine"));
        assertEquals(0, rc, AgentProcess.output(run));
        List<Event> events = StreamFileReader.events(run.resolve("lb_events.stream.log"));
        assertEquals(EventStatus.RUNNING, events.get(0).status());
        assertTrue(events.stream().anyMatch(e -> "nice=5 A={{ x }} Cpus_allowed_list:0".equals(e.message())),
                events.toString());
        assertEquals(EventStatus.DONE, events.get(events.size() - 1).status());
        assertEquals(1, events.stream().filter(e -> e.type() == dev.lb.protocol.EventType.RESULT).count(),
                "a command is timed: " + events);
    }

    @Test
    void aWorkloadThePlansDoNotHaveIsInvalidInputNamingThoseTheyHave() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        WorkloadPlan a = new WorkloadPlan("a", null, List.of("true"), null, null, null, null, null, null, null, null,
                null, null, null, null);
        int rc = AgentProcess.run(run, List.of(), args(run, plans(a), "b"));
        assertEquals(2, rc);
        assertTrue(AgentProcess.output(run).contains("has no workload 'b' (it has: a)"), AgentProcess.output(run));
    }

    @Test
    void aPlansFileWithAWrongKeyOrCombinedWithWorkloadOptionsIsRefused() throws Exception {
        Path run = Files.createDirectories(tmp.resolve("run"));
        Path bad = Files.writeString(tmp.resolve("bad.json"), "[{\"name\":\"a\",\"argv\":[\"true\"],\"nicee\":1}]");
        assertEquals(2, AgentProcess.run(run, List.of(), args(run, bad, "a")));
        assertTrue(AgentProcess.output(run).contains("plan 1: unknown key 'nicee' in a workload plan"),
                AgentProcess.output(run));
        Path run2 = Files.createDirectories(tmp.resolve("run2"));
        WorkloadPlan a = new WorkloadPlan("a", null, List.of("true"), null, null, null, null, null, null, null, null,
                null, null, null, null);
        assertEquals(2, AgentProcess.run(run2, List.of(), args(run2, plans(a), "a", "--timeout", "5")));
        assertTrue(AgentProcess.output(run2).contains("they cannot be combined with --timeout"),
                AgentProcess.output(run2));
    }
}
