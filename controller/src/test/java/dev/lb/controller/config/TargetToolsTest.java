package dev.lb.controller.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetToolsTest {
    private static RunConfig parse(String yaml) throws ConfigException {
        return ConfigLoader.parse("test.yaml", yaml, Path.of("/base"));
    }

    @Test
    void eachDistinctProgramOnceWithHowToAskItsVersion() throws Exception {
        RunConfig c = parse("""
                targets: {hosts: [{name: a, connection: local}]}
                workloads:
                  - {name: cpu, type: stress-ng, args: [--cpu, "1"]}
                  - {name: cpu2, type: stress-ng, args: [--cpu, "2"]}
                  - {name: disk, type: fio, binary: /opt/fio/bin/fio, args: [--name=x]}
                  - {name: db, type: sysbench, args: [cpu, run]}
                  - {name: api, type: k6, script: /s.js}
                  - {name: api2, type: k6, script: /t.js, k6_binary: /opt/k6}
                  - {name: gen, argv: [./gen, "1"], cwd: /data}
                  - {name: df, argv: [df, -h]}
                  - {name: df2, argv: [df, -i]}
                """);
        assertEquals(List.of(
                new TargetTools.Tool("stress-ng", "tool", "stress-ng", List.of("--version"), "stress-ng", null, null),
                new TargetTools.Tool("fio (/opt/fio/bin/fio)", "tool", "/opt/fio/bin/fio", List.of("--version"), "fio",
                        null, null),
                new TargetTools.Tool("sysbench", "tool", "sysbench", List.of("--version"), "sysbench", null, null),
                new TargetTools.Tool("k6", "k6", "k6", List.of("version"), null, null, null),
                new TargetTools.Tool("k6 (/opt/k6)", "k6", "/opt/k6", List.of("version"), null, null, null),
                new TargetTools.Tool("./gen", "command", "./gen", List.of(), null, null, "/data"),
                new TargetTools.Tool("df", "command", "df", List.of(), null, null, null)), TargetTools.of(c));
    }

    @Test
    void theSameProgramUnderAnotherPathIsCheckedAgainUnderItsWorkloadsName() throws Exception {
        RunConfig c = parse("""
                targets: {hosts: [{name: a, connection: local}]}
                workloads:
                  - {name: cpu, type: stress-ng, args: [--cpu, "1"]}
                  - {name: cpu-opt, type: stress-ng, env: {PATH: /opt/bin}, args: [--cpu, "1"]}
                """);
        List<TargetTools.Tool> tools = TargetTools.of(c);
        assertEquals(List.of("stress-ng", "stress-ng for workload cpu-opt"), tools.stream().map(TargetTools.Tool::label).toList());
        assertEquals("/opt/bin", tools.get(1).pathVariable());
    }

    @Test
    void theRoleGetsEveryFieldAsJson() throws Exception {
        RunConfig c = parse("targets: {hosts: [{name: a, connection: local}]}\n"
                + "workloads: [{name: cpu, type: stress-ng, args: [--cpu, \"1\"]}, {name: w, argv: [true]}]\n");
        assertEquals("[{\"label\":\"stress-ng\",\"kind\":\"tool\",\"executable\":\"stress-ng\",\"version_args\":[\"--version\"],"
                + "\"package\":\"stress-ng\",\"path\":null,\"cwd\":null},{\"label\":\"true\",\"kind\":\"command\","
                + "\"executable\":\"true\",\"version_args\":[],\"package\":null,\"path\":null,\"cwd\":null}]",
                TargetTools.asJson(TargetTools.of(c)).toString());
    }
}
