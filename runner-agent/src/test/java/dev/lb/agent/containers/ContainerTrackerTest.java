package dev.lb.agent.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ContainerTrackerTest {
    private static final TrackFilter ALL_DEFAULT = new TrackFilter(Set.of("default", "openfaas-fn"), null, Set.of());

    private static List<ContainerTracker.Change> feed(ContainerTracker t, String ns, String topic, String json)
            throws Exception {
        return t.accept(CtrEventParser.parse("2026-11-23 16:39:43.5 +0000 UTC " + ns + " " + topic + " " + json));
    }

    @Test
    void initExitIsRecordedExecExitIsNot() throws Exception {
        ContainerTracker t = new ContainerTracker(ALL_DEFAULT, Map.of());
        assertEquals(List.of(), feed(t, "default", "/tasks/exit", "{\"container_id\":\"c1\",\"id\":\"exec-1\",\"pid\":9,\"exit_status\":3}"));
        assertEquals(1, feed(t, "default", "/tasks/exit", "{\"container_id\":\"c1\",\"id\":\"c1\",\"exit_status\":3,"
                + "\"exited_at\":\"2026-11-23T16:39:43.4Z\"}").size());
        ContainerExit e = t.exits().get("default/c1");
        assertEquals(3, e.exitCode());
        assertEquals(Instant.parse("2026-11-23T16:39:43.4Z"), e.exitedAt());
    }

    @Test
    void missingExitStatusMeansZeroAndBothExitedAtFormsWork() throws Exception {
        ContainerTracker t = new ContainerTracker(ALL_DEFAULT, Map.of());
        feed(t, "default", "/tasks/exit", "{\"container_id\":\"a\",\"id\":\"a\",\"exited_at\":{\"seconds\":1795000000,\"nanos\":7}}");
        assertEquals(0, t.exits().get("default/a").exitCode());
        assertEquals(Instant.ofEpochSecond(1795000000, 7), t.exits().get("default/a").exitedAt());
    }

    @Test
    void duplicateExitIsOneEntry() throws Exception {
        ContainerTracker t = new ContainerTracker(ALL_DEFAULT, Map.of());
        String exit = "{\"container_id\":\"a\",\"id\":\"a\",\"exit_status\":1,\"exited_at\":\"2026-11-23T16:39:43Z\"}";
        assertEquals(1, feed(t, "default", "/tasks/exit", exit).size());
        assertEquals(0, feed(t, "default", "/tasks/exit", exit).size());
        assertEquals(1, t.exits().size());
        assertEquals(1, t.duplicates());
    }

    @Test
    void sameIdInTwoNamespacesIsTwoEntries() throws Exception {
        ContainerTracker t = new ContainerTracker(ALL_DEFAULT, Map.of());
        feed(t, "default", "/tasks/exit", "{\"container_id\":\"fn\",\"id\":\"fn\",\"exit_status\":1}");
        feed(t, "openfaas-fn", "/tasks/exit", "{\"container_id\":\"fn\",\"id\":\"fn\",\"exit_status\":2}");
        assertEquals(1, t.exits().get("default/fn").exitCode());
        assertEquals(2, t.exits().get("openfaas-fn/fn").exitCode());
    }

    @Test
    void oomThen137IsOutOfMemory() throws Exception {
        ContainerTracker t = new ContainerTracker(ALL_DEFAULT, Map.of());
        feed(t, "openfaas-fn", "/tasks/oom", "{\"container_id\":\"fn\"}");
        feed(t, "openfaas-fn", "/tasks/exit", "{\"container_id\":\"fn\",\"id\":\"fn\",\"exit_status\":137}");
        assertTrue(t.exits().get("openfaas-fn/fn").oom());
        feed(t, "default", "/tasks/exit", "{\"container_id\":\"k\",\"id\":\"k\",\"exit_status\":137}");
        assertEquals(false, t.exits().get("default/k").oom(), "137 without /tasks/oom is a kill, not OOM");
    }

    @Test
    void untrackedContainersAreCountedNotRecorded() throws Exception {
        ContainerTracker t = new ContainerTracker(new TrackFilter(Set.of(), Pattern.compile("bench-.*"), Set.of("ns/x")), Map.of());
        feed(t, "default", "/tasks/exit", "{\"container_id\":\"other\",\"id\":\"other\",\"exit_status\":1}");
        feed(t, "default", "/tasks/exit", "{\"container_id\":\"bench-1\",\"id\":\"bench-1\",\"exit_status\":1}");
        feed(t, "ns", "/tasks/exit", "{\"container_id\":\"x\",\"id\":\"x\"}");
        assertEquals(Set.of("default/bench-1", "ns/x"), t.exits().keySet());
        assertEquals(1, t.ignored());
    }

    @Test
    void deleteClearsTheEntryAndCarriesTheLastExit() throws Exception {
        ContainerTracker t = new ContainerTracker(ALL_DEFAULT, Map.of());
        feed(t, "default", "/tasks/exit", "{\"container_id\":\"a\",\"id\":\"a\",\"exit_status\":9}");
        List<ContainerTracker.Change> c = feed(t, "default", "/containers/delete", "{\"id\":\"a\"}");
        ContainerTracker.Change.Deleted d = (ContainerTracker.Change.Deleted) c.get(0);
        assertEquals(9, d.lastExit().exitCode());
        assertTrue(t.exits().isEmpty());
    }

    @Test
    void containersThatStoppedDuringAGapAreReportedWithUnknownCode() throws Exception {
        ContainerTracker t = new ContainerTracker(ALL_DEFAULT, Map.of());
        feed(t, "default", "/tasks/start", "{\"container_id\":\"gone\",\"pid\":1}");
        feed(t, "default", "/tasks/start", "{\"container_id\":\"alive\",\"pid\":2}");
        List<ContainerTracker.Change> c = t.reconcile(Set.of("default/alive"), Instant.EPOCH);
        assertEquals(1, c.size());
        assertNull(t.exits().get("default/gone").exitCode(), "unknown, not invented");
        assertEquals("reconcile", t.exits().get("default/gone").source());
        assertEquals(Set.of("default/alive"), t.running());
    }

    @Test
    void taskEventWithoutAnIdIsMalformed() {
        ContainerTracker t = new ContainerTracker(ALL_DEFAULT, Map.of());
        org.junit.jupiter.api.Assertions.assertThrows(CtrEventParser.Malformed.class,
                () -> feed(t, "default", "/tasks/exit", "{\"pid\":1}"));
    }
}
