package dev.lb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each target's system information through a real {@code lb run} on an SSH target container and on this machine
 * (connection local): the system event's values against what the test reads on each itself, the files and tables
 * lb makes of it, and {@code lb compare} of two runs whose recorded kernels differ.
 */
class SystemInformationEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final SshTargetsPerTest targets = new SshTargetsPerTest("sys-1");

    @Test
    void everyTargetReportsItsSystemAndLbResultsReportAndCompareShowIt() throws Exception {
        Path cfg = targets.work().resolve("lb.yaml");
        Files.writeString(cfg, "repetitions: 1\noutput_dir: runs\nmetrics_interval_s: 0\n" + targets.targetsYaml()
                + "    - {name: local, connection: local}\n"
                // A declared result gives the runs a series to share: lb compare cannot tell (exit 3) without one.
                + "workloads:\n  - name: w\n    argv: [sh, -c, 'echo took 5 ms']\n"
                + "    results:\n      - {name: took, unit: ms, regex: \"took ([0-9.]+) ms\"}\n");
        LbProcess run = LbProcess.runIn(targets.work(), Map.of(), null, "run", "-c", cfg.toString(), "--output", "plain");
        assertEquals(0, run.exitCode(), run.out() + run.err());
        Path runDir = runDir();
        JsonNode summary = JSON.readTree(runDir.resolve("summary.json").toFile());
        assertEquals("complete", summary.at("/completeness/verdict").asText(), "the system streams are sealed too");

        SshTargets.Target container = targets.get("sys-1");
        JsonNode remote = systemEvent(runDir, "sys-1");
        assertPlausible(remote, exec(container, "nproc", "--all"), exec(container, "uname", "-r"),
                exec(container, "cat", "/proc/meminfo"), exec(container, "cat", "/etc/os-release"));
        // The target image has no systemd-detect-virt: /.dockerenv tells the container.
        assertEquals("docker", remote.at("/virtualization/container").asText(), remote.toString());
        assertEquals("container", remote.at("/virtualization/kind").asText());
        assertEquals(exec(container, "stress-ng", "--version").lines().findFirst().orElseThrow().strip(),
                remote.at("/tools/stress-ng/version").asText());
        assertTrue(remote.at("/unread/tools.k6").asText().contains("not on PATH"), remote.toString());

        JsonNode local = systemEvent(runDir, "local");
        assertPlausible(local, run("nproc", "--all"), run("uname", "-r"), Files.readString(Path.of("/proc/meminfo")),
                Files.readString(Path.of("/etc/os-release")));

        for (JsonNode s : List.of(remote, local)) {
            // Both clocks are this machine's: the true offset is 0, so the measured one is within its uncertainty.
            double offset = s.at("/clock/offset_ms").asDouble();
            double uncertainty = s.at("/clock/uncertainty_ms").asDouble();
            assertTrue(s.at("/clock/offset_ms").isNumber() && uncertainty > 0, s.toString());
            assertTrue(Math.abs(offset) <= uncertainty + 0.1, "offset " + offset + " ms, uncertainty " + uncertainty);
        }
        assertEquals(remote, JSON.readTree(runDir.resolve("system/sys-1.json").toFile()));
        assertEquals(local, JSON.readTree(runDir.resolve("system/local.json").toFile()));

        LbProcess results = LbProcess.runIn(targets.work(), Map.of(), null, "results", runDir.toString());
        assertEquals(0, results.exitCode(), results.err());
        String kernel = run("uname", "-r").strip();
        assertTrue(results.out().contains("system sys-1: " + remote.at("/cpu/model").asText() + ", "
                + remote.at("/cpu/logical_cores").asText() + " logical / "), results.out());
        assertTrue(results.out().contains("kernel " + kernel + ", container docker"), results.out());
        JsonNode resultsJson = JSON.readTree(runDir.resolve("results.json").toFile());
        assertEquals(List.of("local", "sys-1"), names(resultsJson.get("system")));

        LbProcess report = LbProcess.runIn(targets.work(), Map.of(), null, "report", runDir.toString());
        assertEquals(0, report.exitCode(), report.out() + report.err());
        String page = Files.readString(runDir.resolve("report.html"));
        assertTrue(page.contains("Systems under test") && page.contains("\"machines\""), "the report's system table");

        // The same run with another kernel recorded for sys-1: a copy whose journal says 6.1.0-lb-test there.
        Path other = copyWithKernel(runDir, targets.work().resolve("runs/other-kernel"), "sys-1", "6.1.0-lb-test");
        LbProcess compare = LbProcess.runIn(targets.work(), Map.of(), null, "compare", runDir.toString(), other.toString());
        assertEquals(0, compare.exitCode(), compare.out() + compare.err());
        List<String> lines = compare.out().lines().toList();
        int header = lines.indexOf("system differences (base -> new):");
        assertTrue(header > 0, compare.out());
        assertEquals("  sys-1: kernel " + kernel + " -> 6.1.0-lb-test", lines.get(header + 1), compare.out());
        assertFalse(compare.out().contains("local: kernel"), "only sys-1's kernel differs: " + compare.out());
        assertFalse(compare.out().contains("different hardware"), compare.out());
    }

    private static void assertPlausible(JsonNode s, String nproc, String unameR, String meminfo, String osRelease) {
        assertEquals(Integer.parseInt(nproc.strip()), s.at("/cpu/logical_cores").asInt(), s.toString());
        assertTrue(s.at("/cpu/physical_cores").asInt() >= 1
                && s.at("/cpu/physical_cores").asInt() <= s.at("/cpu/logical_cores").asInt(), s.toString());
        assertFalse(s.at("/cpu/model").asText().isBlank(), s.toString());
        assertEquals(unameR.strip(), s.at("/kernel/release").asText());
        long memKb = Long.parseLong(meminfo.lines().filter(l -> l.startsWith("MemTotal:")).findFirst().orElseThrow()
                .replaceAll("\\D", ""));
        assertEquals(memKb * 1024, s.at("/memory/total_bytes").asLong());
        String pretty = osRelease.lines().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst().orElseThrow()
                .substring("PRETTY_NAME=".length()).replace("\"", "");
        assertEquals(pretty, s.at("/os/name").asText());
        assertTrue(s.at("/disks/devices").size() >= 1, s.toString());
        assertEquals("/", s.at("/filesystems/mounts/0/paths/0").asText());
    }

    /** The system object of the host's one system event in the journal. */
    private static JsonNode systemEvent(Path runDir, String host) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String l : Files.readAllLines(runDir.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            JsonNode e = JSON.readTree(l).get("event");
            if (e.path("type").asText().equals("system") && e.path("host").asText().equals(host)) {
                assertEquals("(system)", e.path("workload").asText());
                assertEquals(0, e.path("repetition").asInt());
                assertEquals(1, e.at("/seal/sysinfo/count").asInt(), "sealed by itself: " + e);
                found.add(e.get("system"));
            }
        }
        assertEquals(1, found.size(), host + ": one system event");
        return found.get(0);
    }

    private static Path copyWithKernel(Path runDir, Path to, String host, String kernel) throws IOException {
        Files.createDirectories(to);
        List<String> lines = new ArrayList<>();
        for (String l : Files.readAllLines(runDir.resolve("journal.jsonl"), StandardCharsets.UTF_8)) {
            ObjectNode record = (ObjectNode) JSON.readTree(l);
            JsonNode e = record.get("event");
            if (e.path("type").asText().equals("system") && e.path("host").asText().equals(host)) {
                ((ObjectNode) e.get("system").get("kernel")).put("release", kernel);
            }
            lines.add(JSON.writeValueAsString(record));
        }
        Files.write(to.resolve("journal.jsonl"), lines, StandardCharsets.UTF_8);
        return to;
    }

    private static List<String> names(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static String exec(SshTargets.Target t, String... cmd) throws Exception {
        var r = t.exec(cmd);
        assertEquals(0, r.getExitCode(), String.join(" ", cmd) + ": " + r.getStderr());
        return r.getStdout();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
        return out;
    }

    private Path runDir() throws IOException {
        try (Stream<Path> s = Files.list(targets.work().resolve("runs"))) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow(); // runs/ also holds history.db
        }
    }
}
