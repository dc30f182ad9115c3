package dev.lb.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The workload plan is the one contract between the config and the agent: what goes in comes out, field by field. */
class WorkloadPlanTest {

    private static WorkloadPlan everyField() throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("Z_FIRST", "1");
        env.put("A_SECOND", "{{ lookup('pipe','id') }}");
        JsonNode results = Json.MAPPER.readTree("[{\"name\":\"rate\",\"unit\":\"ops/s\",\"regex\":\"rate=([0-9.]+)\"}]");
        return new WorkloadPlan("cpu.1", "command", List.of("sh", "-c", "echo {% raw %} $HOME"), env, "/srv/w",
                12.5, null, null, null, results, 0.5, List.of("sync"), List.of("sh", "-c", "echo after"), 7, "0,2-3");
    }

    @Test
    void everyFieldSurvivesTheJsonFormAndTheBase64Form() throws Exception {
        WorkloadPlan plan = everyField();
        assertEquals(plan, WorkloadPlan.fromJson(plan.toJson()));
        WorkloadPlan other = new WorkloadPlan("io", "fio", List.of("--name=r"), null, null, null, null, null, null,
                null, 0.0, null, null, null, null);
        assertEquals(List.of(plan, other), WorkloadPlan.fromBase64(WorkloadPlan.toBase64(List.of(plan, other))));
        assertEquals(List.of("Z_FIRST", "A_SECOND"), List.copyOf(WorkloadPlan.fromJson(plan.toJson()).env().keySet()),
                "the config's order of variables is kept");
    }

    @Test
    void everyComponentHasAKeyInTheJsonForm() throws Exception {
        JsonNode json = Json.MAPPER.readTree(everyField().toJson());
        TreeSet<String> keys = new TreeSet<>();
        json.fieldNames().forEachRemaining(keys::add);
        // script, k6_binary and binary are k6's and the tools': checked in their own plans below.
        keys.addAll(List.of("script", "k6_binary", "binary"));
        assertEquals(WorkloadPlan.class.getRecordComponents().length, keys.size(),
                "one JSON key per component: " + keys);
        for (RecordComponent c : WorkloadPlan.class.getRecordComponents()) {
            String snake = c.getName().replaceAll("([A-Z])", "_$1").toLowerCase();
            assertTrue(keys.contains(snake), c.getName() + " has no key " + snake + " in " + keys);
        }
    }

    @Test
    void k6AndToolPlansRoundTripWithTheirOwnFields() {
        WorkloadPlan k6 = new WorkloadPlan("api", "k6", null, null, null, null, "/srv/api.js", "/opt/k6", null, null,
                null, null, null, null, null);
        assertEquals(k6, WorkloadPlan.fromJson(k6.toJson()));
        WorkloadPlan tool = new WorkloadPlan("cpu", "stress-ng", List.of("--cpu", "1"), null, null, null, null, null,
                "/opt/stress-ng", null, null, null, null, -5, null);
        assertEquals(tool, WorkloadPlan.fromJson(tool.toJson()));
        assertTrue(tool.isTool());
    }

    @Test
    void eachDefaultIsFilledInOnce() {
        WorkloadPlan plan = WorkloadPlan.fromJson("{\"name\":\"w\",\"argv\":[\"true\"]}");
        assertEquals("command", plan.type());
        assertEquals(WorkloadPlan.DEFAULT_METRICS_INTERVAL_S, plan.metricsIntervalS());
        assertEquals(Map.of(), plan.env());
        assertNull(plan.nice());
        assertNull(plan.timeoutS());
        assertEquals("k6", WorkloadPlan.fromJson("{\"name\":\"w\",\"type\":\"k6\",\"script\":\"a.js\"}").k6Binary());
    }

    @Test
    void aPlanTheOtherSideWouldRefuseIsRefusedWithOneLine() {
        assertEquals("unknown key 'argvv' in a workload plan",
                assertThrows(IllegalArgumentException.class,
                        () -> WorkloadPlan.fromJson("{\"name\":\"w\",\"argvv\":[\"true\"]}")).getMessage());
        assertEquals("nice: must be from -20 to 19, was 20",
                assertThrows(IllegalArgumentException.class,
                        () -> WorkloadPlan.fromJson("{\"name\":\"w\",\"argv\":[\"true\"],\"nice\":20}")).getMessage());
        assertEquals("argv: a command workload needs a non-empty argv (never a shell string)",
                assertThrows(IllegalArgumentException.class,
                        () -> WorkloadPlan.fromJson("{\"name\":\"w\"}")).getMessage());
        assertEquals("type: unknown workload type 'jmeter': expected command, k6, stress-ng, fio, sysbench",
                assertThrows(IllegalArgumentException.class,
                        () -> WorkloadPlan.fromJson("{\"name\":\"w\",\"type\":\"jmeter\"}")).getMessage());
        String wrongType = assertThrows(IllegalArgumentException.class,
                () -> WorkloadPlan.fromJson("{\"name\":\"w\",\"argv\":\"true\"}")).getMessage();
        assertTrue(wrongType.startsWith("argv: wrong type in a workload plan"), wrongType);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkloadPlan.fromJson("{\"name\":"))
                .getMessage().startsWith("not JSON"));
        assertEquals("before_repetition: expected the command's argv, a non-empty list whose first element is the"
                        + " command",
                assertThrows(IllegalArgumentException.class, () -> WorkloadPlan.fromJson(
                        "{\"name\":\"w\",\"argv\":[\"true\"],\"before_repetition\":[]}")).getMessage());
    }

    @Test
    void cpusAreACpuList() {
        assertEquals("cpus: '1;2' is not a CPU list such as 2, 2-3 or 0,4-5", assertThrows(IllegalArgumentException.class,
                () -> WorkloadPlan.fromJson("{\"name\":\"w\",\"argv\":[\"true\"],\"cpus\":\"1;2\"}")).getMessage());
        assertEquals(java.util.List.of(0, 4, 5), java.util.List.copyOf(WorkloadPlan.cpuSet("0,4-5")));
    }

    @Test
    void aListOfPlansNamesTheOneThatIsWrongAndRefusesTwoOfOneName() {
        assertEquals("plan 2: nice: must be from -20 to 19, was -21", assertThrows(IllegalArgumentException.class,
                () -> WorkloadPlan.listFromJson("[{\"name\":\"a\",\"argv\":[\"true\"]},"
                        + "{\"name\":\"b\",\"argv\":[\"true\"],\"nice\":-21}]")).getMessage());
        assertEquals("plan 2: the name 'a' is taken by an earlier plan", assertThrows(IllegalArgumentException.class,
                () -> WorkloadPlan.listFromJson("[{\"name\":\"a\",\"argv\":[\"true\"]},"
                        + "{\"name\":\"a\",\"argv\":[\"false\"]}]")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WorkloadPlan.fromBase64("%%%"))
                .getMessage().startsWith("not base64"));
        assertEquals("expected a JSON array of workload plans", assertThrows(IllegalArgumentException.class,
                () -> WorkloadPlan.listFromJson("{\"name\":\"a\"}")).getMessage());
    }
}
