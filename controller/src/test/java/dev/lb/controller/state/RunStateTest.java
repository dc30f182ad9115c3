package dev.lb.controller.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventStatus;
import dev.lb.protocol.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunStateTest {
    private long seq;

    private Event end(String host, int rep, EventStatus status, Boolean stable) {
        var b = Event.builder(host, "cpu", rep, status).runId("r1").totalRepetitions(4).src("agent").seq(++seq)
                .message(status.wireName());
        if (stable != null) {
            ObjectNode verdict = Json.MAPPER.createObjectNode().put("metric", "ops").put("n", Math.min(rep, 2))
                    .put("stable", stable).put("explanation", "cv of ops 0.01 <= 0.05 over 2 repetitions");
            b.extra("stability", verdict);
        }
        return b.build();
    }

    @Test
    void aRepetitionSkippedAsStableIsNotAFailureButOneTheRunNeverReachedIs() {
        RunState state = new RunState(List.of("web-1", "web-2"), List.of("cpu"), 4);
        for (String host : List.of("web-1", "web-2")) {
            state.accept(end(host, 1, EventStatus.DONE, false), 0);
            state.accept(end(host, 2, EventStatus.DONE, true), 0);
        }
        state.accept(end("web-1", 3, EventStatus.SKIPPED, true), 0);
        state.accept(end("web-1", 4, EventStatus.SKIPPED, true), 0);
        state.accept(end("web-2", 3, EventStatus.SKIPPED, true), 0);
        state.skipIfNotStarted("web-2", "cpu", 4); // the run ended before it: plain skipped

        Map<Integer, String> web1 = state.snapshot().get(0).repetitions();
        assertEquals(Map.of(1, "done", 2, "done", 3, RunState.STABLE, 4, RunState.STABLE), web1);
        assertEquals("skipped", state.snapshot().get(1).repetitions().get(4));
        assertFalse(state.allDone(), "web-2's fourth repetition never ran");
        assertEquals(List.of(new RunSummary.Stability("web-1", "cpu", true, 2, 2,
                        "cv of ops 0.01 <= 0.05 over 2 repetitions"),
                new RunSummary.Stability("web-2", "cpu", true, 2, 1, "cv of ops 0.01 <= 0.05 over 2 repetitions")),
                state.stability());

        RunState complete = new RunState(List.of("web-1"), List.of("cpu"), 4);
        complete.accept(end("web-1", 1, EventStatus.DONE, false), 0);
        complete.accept(end("web-1", 2, EventStatus.DONE, true), 0);
        complete.accept(end("web-1", 3, EventStatus.SKIPPED, true), 0);
        complete.accept(end("web-1", 4, EventStatus.SKIPPED, true), 0);
        assertTrue(complete.allDone(), "stable after 2, the rest not needed");
    }

    @Test
    void aHostAnotherRunHoldsIsNamedWithItsHolderAndOnlyThatHost() {
        RunState state = new RunState(List.of("web-1", "web-2"), List.of("cpu"), 2);
        state.accept(Event.builder("web-1", "(setup)", 0, EventStatus.FAILED).runId("r1").src("playbook").seq(1)
                .message("task failed in task 'Hold the target': this target is in use by run r0")
                .error(RunState.TARGET_BUSY, null).build(), 0);
        state.accept(Event.builder("web-2", "(setup)", 0, EventStatus.FAILED).runId("r1").src("playbook").seq(1)
                .message("task failed in task 'Install Java': no package").error("task_failed", null).build(), 0);
        assertEquals(Map.of("web-1", "task failed in task 'Hold the target': this target is in use by run r0"),
                state.busyHosts());
        assertEquals(Map.of(1, "failed", 2, "failed"), state.snapshot().get(0).repetitions(), "its repetitions did"
                + " not run");
    }

    @Test
    void theErrorTypeIsTheOneTheLockModuleGivesItsRefusal() throws Exception {
        String module = java.nio.file.Files.readString(dev.lb.controller.ansible.Installation.locate(null).ansibleDir()
                .resolve("roles/workload_runner/library/lb_target_lock.py"));
        assertTrue(module.contains("\"lb_error_type\": \"" + RunState.TARGET_BUSY + "\""), "the module and the controller"
                + " spell the refusal alike");
    }

    @Test
    void aSkippedFinalEventWithoutAStableVerdictStaysSkipped() {
        RunState state = new RunState(List.of("web-1"), List.of("cpu"), 1);
        state.accept(end("web-1", 1, EventStatus.SKIPPED, false), 0);
        assertEquals("skipped", state.snapshot().get(0).repetitions().get(1));
        assertFalse(state.allDone());
    }

    /**
     * Issue 29: a host dropped as unreachable had its agent stopped by finish.yml, and its row said only "stopped
     * (STOP file ...)": the cause was nowhere.
     */
    @Test
    void anUnreachableHostsRepetitionKeepsItsCauseWhenItsAgentIsThenStoppedAndTheSealIsKept() {
        RunState state = new RunState(List.of("web-1"), List.of("cpu"), 2);
        String cause = "host unreachable in task 'poll cpu 1/2': the poll's connection failed 2 times in 11 s";
        state.accept(Event.builder("web-1", "cpu", 1, EventStatus.UNREACHABLE).runId("r1").totalRepetitions(2)
                .src("playbook").seq(1).message(cause).error("unreachable", null).build(), 0);
        ObjectNode seal = Json.MAPPER.createObjectNode();
        seal.putObject("agent").put("count", 84);
        state.accept(Event.builder("web-1", "cpu", 1, EventStatus.STOPPED).runId("r1").totalRepetitions(2).src("agent")
                .seq(84).message("stopped (STOP file /t/STOP) after 39.078s").extra("seal", seal).build(), 0);

        assertEquals("unreachable", state.snapshot().get(0).repetitions().get(1));
        RunState.Final fin = state.finals().get(new RunState.RepKey("web-1", "cpu", 1));
        assertEquals(new RunState.Final("unreachable", "agent", cause + " (the agent, left running, then: stopped (STOP"
                + " file /t/STOP) after 39.078s)", seal), fin);
    }

    @Test
    void aStoppedRepetitionOfAReachableHostStaysStopped() {
        RunState state = new RunState(List.of("web-1"), List.of("cpu"), 1);
        state.accept(end("web-1", 1, EventStatus.STOPPED, null), 0);
        assertEquals("stopped", state.snapshot().get(0).repetitions().get(1));
        assertEquals("stopped", state.finals().get(new RunState.RepKey("web-1", "cpu", 1)).status());
    }
}
