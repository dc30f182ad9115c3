package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.config.RunConfig;
import dev.lb.protocol.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

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
        assertEquals("fio", v.get("lb_tools").get(0).get("package").asText());
        assertEquals("[\"--version\"]", v.get("lb_tools").get(0).get("version_args").toString());
        assertEquals("k6", v.get("lb_tools").get(1).get("kind").asText());
        assertEquals("[\"version\"]", v.get("lb_tools").get(1).get("version_args").toString());
        assertEquals(2, v.get("lb_tools").size());
    }

    @Test
    void repetitionHooksTravelAsJsonArraysInTheWorkloadsExtraVars() throws Exception {
        RunConfig c = ConfigLoader.parse("test.yaml", """
                targets: {hosts: [{name: local, connection: local}]}
                workloads:
                  - name: cpu
                    type: stress-ng
                    args: [--cpu, "1"]
                    before_repetition: [sh, -c, "sync; echo 3 > /proc/sys/vm/drop_caches"]
                    after_repetition: [rm, -f, "/tmp/scratch"]
                  - name: plain
                    argv: ["true"]
                """, Path.of("/base"));
        JsonNode workloads = AnsibleFiles.extraVars(c, "r1", "a1", Path.of("/tmp/run"),
                new Installation(Path.of("/opt/lb")), AnsibleFiles.GROUP).get("lb_workloads");
        assertEquals(Json.MAPPER.readTree("[\"sh\", \"-c\", \"sync; echo 3 > /proc/sys/vm/drop_caches\"]"),
                workloads.get(0).get("before_repetition"));
        assertEquals(Json.MAPPER.readTree("[\"rm\", \"-f\", \"/tmp/scratch\"]"),
                workloads.get(0).get("after_repetition"));
        assertFalse(workloads.get(1).has("before_repetition"), "no hook, no key: the role adds no option");
        assertFalse(workloads.get(1).has("after_repetition"));
    }
}
