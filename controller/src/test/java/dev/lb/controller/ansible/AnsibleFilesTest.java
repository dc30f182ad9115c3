package dev.lb.controller.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.config.RunConfig;
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
}
