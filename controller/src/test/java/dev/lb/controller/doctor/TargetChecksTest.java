package dev.lb.controller.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.config.ConfigLoader;
import dev.lb.controller.config.RunConfig;
import dev.lb.protocol.Json;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the doctor playbook's answer for one host (results/HOST.json) becomes lines, tools included. */
class TargetChecksTest {
    private static final String HOST_OK = "\"host\":\"web-1\",\"reachable\":true,\"ping\":\"pong\",\"python\":true,"
            + "\"java_rc\":0,\"java_version\":\"version \\\"17.0.15\\\"\",\"java_major\":17,\"dir\":\"/t/lb-doctor-x\","
            + "\"dir_error\":\"\",\"copy_ok\":true,\"copy_error\":\"\",\"agent_rc\":0,\"agent_out\":\"lb-agent 0.1.0\\n\"";

    private static RunConfig config(String targets, String workloads) throws Exception {
        return ConfigLoader.parse("lb.yaml", "targets: {" + targets + "hosts: [{name: web-1, connection: local}]}\n"
                + "workloads:\n" + workloads, Path.of("/base"));
    }

    private static List<String> lines(String tools, RunConfig config) throws Exception {
        JsonNode r = Json.MAPPER.readTree("{" + HOST_OK + ",\"tools\":" + tools + ",\"tools_error\":\"\"}");
        return TargetChecks.forHost("web-1", r, config).stream().map(Check::line).toList();
    }

    private static String answer(String label, String kind, boolean found, String path, String why, String version,
                                 String error) {
        return Json.MAPPER.createObjectNode().put("label", label).put("kind", kind).put("found", found)
                .put("path", path).put("PATH", "/usr/local/bin:/usr/bin:/bin").put("why", why).put("version", version)
                .put("error", error).toString();
    }

    @Test
    void eachToolTheWorkloadsUseGetsALineWithItsPathAndVersionAfterTheHostChecks() throws Exception {
        RunConfig c = config("", """
                  - {name: cpu, type: stress-ng, args: [--cpu, "1"]}
                  - {name: disk, type: fio, args: [--name=x]}
                  - {name: api, type: k6, script: /s.js}
                  - {name: df, argv: [df, -h]}
                """);
        String tools = "[" + String.join(",",
                answer("stress-ng", "tool", true, "/usr/bin/stress-ng", "",
                        "stress-ng, version 0.15.06 (gcc 12.2.0, x86_64 Linux 6.1.0)", ""),
                answer("fio", "tool", true, "/usr/bin/fio", "", "fio-3.33", ""),
                answer("k6", "k6", true, "/usr/local/bin/k6", "", "k6 v0.49.0 (go1.21.6, linux/amd64)", ""),
                answer("df", "command", true, "/usr/bin/df", "", "", "")) + "]";
        assertEquals(List.of(
                "ok   web-1 reachable: yes",
                "ok   web-1 python: yes",
                "ok   web-1 java: version \"17.0.15\"",
                "ok   web-1 run directory: writable (/t/lb-doctor-x)",
                "ok   web-1 agent: deploys and starts (lb-agent 0.1.0)",
                "ok   stress-ng on web-1: /usr/bin/stress-ng (stress-ng, version 0.15.06 (gcc 12.2.0, x86_64 Linux 6.1.0))",
                "ok   fio on web-1: /usr/bin/fio (fio-3.33)",
                "ok   k6 on web-1: /usr/local/bin/k6 (k6 v0.49.0 (go1.21.6, linux/amd64))",
                "ok   df on web-1: /usr/bin/df"), lines(tools, c));
    }

    @Test
    void aMissingToolFailsWithTheCommandThatInstallsIt() throws Exception {
        String tools = "[" + answer("sysbench", "tool", false, null, "not on PATH", "", "") + "]";
        String workload = "  - {name: db, type: sysbench, args: [cpu, run]}\n";
        assertEquals("FAIL sysbench on web-1: not found (PATH=/usr/local/bin:/usr/bin:/bin)  -> fix: install it"
                        + " (Debian: apt-get install sysbench) or set targets.install_tools: true",
                lines(tools, config("", workload)).get(5));
        assertEquals("FAIL sysbench on web-1: not found (PATH=/usr/local/bin:/usr/bin:/bin)  -> fix: lb installs it"
                + " at setup (install_tools: true)", lines(tools, config("install_tools: true, ", workload)).get(5));
    }

    @Test
    void aMissingBinaryPathFailsNamingThePath() throws Exception {
        String tools = "[" + answer("stress-ng (/opt/sng)", "tool", false, null, "no executable file at /opt/sng", "", "")
                + "]";
        assertEquals("FAIL stress-ng (/opt/sng) on web-1: not found: no executable file at /opt/sng  -> fix: correct"
                + " the workload's binary:, or remove it and install the Debian package (apt-get install stress-ng)",
                lines(tools, config("", "  - {name: cpu, type: stress-ng, binary: /opt/sng, args: [--cpu, \"1\"]}\n"))
                        .get(5));
    }

    @Test
    void aMissingK6FailsSayingItIsInstalledByHand() throws Exception {
        String tools = "[" + answer("k6", "k6", false, null, "not on PATH", "", "") + "]";
        assertEquals("FAIL k6 on web-1: not found (PATH=/usr/local/bin:/usr/bin:/bin)  -> fix: install k6 by hand (it"
                + " is not a Debian package, install_tools does not install it: " + ToolChecks.K6_INSTALL + ") or set"
                + " the workload's k6_binary", lines(tools, config("install_tools: true, ",
                "  - {name: api, type: k6, script: /s.js}\n")).get(5));
    }

    @Test
    void aMissingCommandOnlyWarnsBecauseAnEarlierWorkloadMayCreateIt() throws Exception {
        String tools = "[" + answer("./gen", "command", false, null,
                "a relative path, and the working directory is the run's own directory, made at setup", "", "") + "]";
        Check c = TargetChecks.forHost("web-1", Json.MAPPER.readTree("{" + HOST_OK + ",\"tools\":" + tools + "}"),
                config("", "  - {name: gen, argv: [./gen]}\n")).get(5);
        assertEquals(true, c.ok());
        assertEquals("ok   ./gen on web-1: warning: not found: a relative path, and the working directory is the run's"
                + " own directory, made at setup; fine if an earlier workload creates it", c.line());
    }

    @Test
    void aToolThatDoesNotRunFailsWithWhatItSaid() throws Exception {
        String tools = "[" + answer("fio", "tool", true, "/usr/bin/fio", "", "",
                "'/usr/bin/fio --version' exited with 127: error while loading shared libraries") + "]";
        assertEquals("FAIL fio on web-1: /usr/bin/fio does not run: '/usr/bin/fio --version' exited with 127: error"
                + " while loading shared libraries  -> fix: reinstall it (Debian: apt-get install --reinstall fio)",
                lines(tools, config("", "  - {name: disk, type: fio, args: [--name=x]}\n")).get(5));
    }

    @Test
    void aToolThePlaybookDidNotAnswerForFailsWithTheModulesError() throws Exception {
        JsonNode r = Json.MAPPER.readTree("{" + HOST_OK + ",\"tools\":[],\"tools_error\":\"MODULE FAILURE\"}");
        assertEquals("FAIL fio on web-1: not checked: MODULE FAILURE  -> fix: see the doctor playbook's log",
                TargetChecks.forHost("web-1", r, config("", "  - {name: disk, type: fio, args: [--name=x]}\n"))
                        .get(5).line());
    }

    @Test
    void toolsAreStillCheckedWhenTheRunDirectoryCannotBeMadeButNotWhenTheHostIsUnreachable() throws Exception {
        RunConfig c = config("", "  - {name: disk, type: fio, args: [--name=x]}\n");
        String tools = "[" + answer("fio", "tool", true, "/usr/bin/fio", "", "fio-3.33", "") + "]";
        JsonNode noDir = Json.MAPPER.readTree("{" + HOST_OK.replace("\"dir\":\"/t/lb-doctor-x\"", "\"dir\":null")
                .replace("\"dir_error\":\"\"", "\"dir_error\":\"Permission denied\"") + ",\"tools\":" + tools + "}");
        List<String> lines = TargetChecks.forHost("web-1", noDir, c).stream().map(Check::line).toList();
        assertEquals(List.of("ok   web-1 reachable: yes", "ok   web-1 python: yes", "ok   web-1 java: version \"17.0.15\"",
                "FAIL web-1 run directory: cannot create it: Permission denied  -> fix: make ~/.cache/lb/runs writable"
                        + " for the SSH user, or set targets.target_root",
                "ok   fio on web-1: /usr/bin/fio (fio-3.33)"), lines);
        JsonNode unreachable = Json.MAPPER.readTree("{\"reachable\":false,\"ping\":\"ssh: connect refused\"}");
        assertEquals(1, TargetChecks.forHost("web-1", unreachable, c).size());
    }
}
