package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.config.RunConfig;
import dev.lb.protocol.Json;
import dev.lb.protocol.WorkloadPlan;
import dev.lb.controller.config.HostLimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnsibleFilesTest {
    @Test
    void theRoleIsToldWhetherToInstallToolsAndWhichProgramsTheWorkloadsRun() throws Exception {
        RunConfig c = ConfigLoader.parse("test.yaml", """
                targets: {install_tools: true, hosts: [{name: a, connection: local}]}
                workloads:
                  - {name: disk, type: fio, args: [--name=x]}
                  - {name: api, type: k6, script: /s.js}
                """, Path.of("/base"));
        ObjectNode v = AnsibleFiles.extraVars(c, "r1", "0", Path.of("/runs/r1"), new Installation(Path.of("/lb")),
                AnsibleFiles.GROUP);
        assertEquals(true, v.get("lb_install_tools").asBoolean());
        JsonNode tools = Json.MAPPER.readTree(java.util.Base64.getDecoder().decode(v.get("lb_tools").asText()));
        assertEquals(2, v.get("lb_tool_count").asInt());
        assertEquals("fio", tools.get(0).get("package").asText());
        assertEquals("[\"--version\"]", tools.get(0).get("version_args").toString());
        assertEquals("k6", tools.get(1).get("kind").asText());
        assertEquals("[\"version\"]", tools.get(1).get("version_args").toString());
        assertEquals(2, tools.size());
    }

    @Test
    void syncRunsTheRepetitionsWithAnsiblesLinearStrategyAdaptiveOnesTakeTheirRuleAndPollsTheirWindow()
            throws Exception {
        String hosts = "targets: {hosts: [{name: a, connection: local}]}\n";
        RunConfig synced = ConfigLoader.parse("test.yaml", "sync: true\npoll_batch_s: 0.25\n"
                + "repetitions: {min: 3, max: 6, until_cv: 0.1, metric: cpu.bogo_ops}\n" + hosts
                + "workloads: [{name: cpu, type: stress-ng, args: [--cpu, '1']}]\n", Path.of("/base"));
        ObjectNode v = AnsibleFiles.extraVars(synced, "r1", "0", Path.of("/runs/r1"),
                new Installation(Path.of("/lb")), AnsibleFiles.GROUP);
        assertEquals("linear", v.get("lb_strategy").asText());
        assertEquals(0.25, v.get("lb_poll_batch_s").asDouble());
        assertEquals("{\"min\":3,\"until_cv\":0.1,\"metric\":\"cpu.bogo_ops\"}", v.get("lb_until_stable").toString());
        assertEquals(6, v.get("lb_repetitions").asInt(), "the maximum");
        RunConfig free = ConfigLoader.parse("test.yaml", hosts + "workloads: [{name: w, argv: ['true']}]\n",
                Path.of("/base"));
        ObjectNode d = AnsibleFiles.extraVars(free, "r1", "0", Path.of("/runs/r1"), new Installation(Path.of("/lb")),
                AnsibleFiles.GROUP);
        assertEquals("free", d.get("lb_strategy").asText(), "hosts go at their own pace by default");
        assertEquals(RunConfig.Polling.DEFAULT_BATCH_S, d.get("lb_poll_batch_s").asDouble());
        assertFalse(d.has("lb_until_stable"));
        assertEquals(RunConfig.Timeouts.DEFAULT_UNREACHABLE_RETRY_S, d.get("lb_unreachable_retry_s").asDouble());
    }

    @Test
    void theSshRetryBoundReachesTheRoleAsAnExtraVar() throws Exception {
        RunConfig c = ConfigLoader.parse("test.yaml", "timeouts: {unreachable_retry_s: 45}\n"
                + "targets: {hosts: [{name: a, connection: local}]}\nworkloads: [{name: w, argv: ['true']}]\n",
                Path.of("/base"));
        ObjectNode v = AnsibleFiles.extraVars(c, "r1", "0", Path.of("/runs/r1"), new Installation(Path.of("/lb")),
                AnsibleFiles.GROUP);
        assertEquals(45.0, v.get("lb_unreachable_retry_s").asDouble());
    }

    @Test
    void theWorkloadsTravelAsTheirPlansInBase64AndTheRoleLoopsOverTheirNamesOnly() throws Exception {
        RunConfig c = ConfigLoader.parse("test.yaml", """
                targets: {hosts: [{name: local, connection: local}]}
                workloads:
                  - name: cpu
                    type: stress-ng
                    args: [--cpu, "1"]
                    before_repetition: [sh, -c, "sync; echo 3 > /proc/sys/vm/drop_caches"]
                    after_repetition: [rm, -f, "/tmp/scratch"]
                  - name: plain
                    argv: ["{{ lookup('pipe','id') }}"]
                """, Path.of("/base"));
        JsonNode vars = AnsibleFiles.extraVars(c, "r1", "a1", Path.of("/tmp/run"),
                new Installation(Path.of("/opt/lb")), AnsibleFiles.GROUP);
        assertEquals(c.workloads(), WorkloadPlan.fromBase64(vars.get("lb_plans").asText()),
                "the plans the agent reads are the config's, field for field");
        assertEquals(WorkloadPlan.FILE, vars.get("lb_plans_file").asText());
        assertEquals(Json.MAPPER.readTree("[{\"name\": \"cpu\"}, {\"name\": \"plain\"}]"), vars.get("lb_workloads"));
        assertFalse(vars.toString().contains("{{"), "no user text in the extra vars where Jinja could read it");
    }

    private static RunConfig threeLocalHosts() throws Exception {
        return ConfigLoader.parse("test.yaml", """
                targets: {hosts: [{name: a, connection: local}, {name: b, connection: local}, {name: c, connection: local}]}
                workloads: [{name: w, argv: ["true"]}]
                """, Path.of("/base"));
    }

    @Test
    void aLimitedRunPlansOnlyItsHostsAndHoldsEveryPlaybookToThemByAFile(@TempDir Path run) throws Exception {
        RunConfig c = threeLocalHosts().withLimit(new HostLimit("c:a", List.of("c", "a"), 3, List.of()));
        AnsibleFiles.Written w = AnsibleFiles.write(c, "r1", "a1", run, new Installation(Path.of("/lb")));
        assertEquals(List.of("a", "c"), w.hosts(), "inventory order");
        assertEquals(List.of("--limit", "@" + run.resolve(AnsibleFiles.LIMIT_FILE)), w.limitArgs());
        assertEquals(List.of("a", "c"), Files.readAllLines(run.resolve(AnsibleFiles.LIMIT_FILE)));
        JsonNode inventory = Json.MAPPER.readTree(w.inventory().toFile());
        assertEquals(3, inventory.get(AnsibleFiles.GROUP).get("hosts").size(), "the inventory is whole; the limit narrows it");
    }

    @Test
    void withoutALimitEveryHostIsPlannedAndNoLimitIsPassed(@TempDir Path run) throws Exception {
        AnsibleFiles.Written w = AnsibleFiles.write(threeLocalHosts(), "r1", "a1", run, new Installation(Path.of("/lb")));
        assertEquals(List.of("a", "b", "c"), w.hosts());
        assertEquals(List.of(), w.limitArgs());
        assertFalse(Files.exists(run.resolve(AnsibleFiles.LIMIT_FILE)));
    }

    @Test
    void aLimitNamingAHostTheInventoryNoLongerHasStopsTheRun(@TempDir Path run) throws Exception {
        RunConfig c = threeLocalHosts().withLimit(new HostLimit("gone", List.of("gone"), 3, List.of()));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AnsibleFiles.write(c, "r1", "a1", run, new Installation(Path.of("/lb"))));
        assertEquals(true, e.getMessage().startsWith("the inventory changed after --limit was checked"), e.getMessage());
    }
}
