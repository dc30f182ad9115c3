package dev.lb.controller.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the controller makes of the targets' system events: lines, warnings, files and differences between runs. */
class SystemInformationTest {
    private static ObjectNode system(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    private static final String BASE = """
            {"cpu": {"model": "AMD EPYC 7763", "vendor": "AuthenticAMD", "logical_cores": 4, "physical_cores": 2,
                     "governor": "powersave", "freq_cur_mhz": 2445.4},
             "memory": {"total_bytes": 8589934592, "swap_total_bytes": 0},
             "os": {"name": "Debian GNU/Linux 12 (bookworm)"}, "kernel": {"release": "6.1.0-13-amd64"},
             "virtualization": {"container": "docker", "vm": "kvm", "kind": "container"},
             "tools": {"stress-ng": {"version": "stress-ng, version 0.15.06"}},
             "clock": {"offset_ms": 2.5, "round_trip_ms": 40.0, "uncertainty_ms": 20.0}}
            """;

    @Test
    void aChangedKernelAndGovernorAreListedButTheCurrentFrequencyAndClockAreNot() throws Exception {
        ObjectNode candidate = system(BASE.replace("6.1.0-13-amd64", "6.6.0-1-amd64").replace("powersave", "performance")
                .replace("2445.4", "3000.0").replace("2.5", "-7.5"));
        SystemDifferences d = SystemDifferences.between(Map.of("web-1", system(BASE)), Map.of("web-1", candidate));

        assertEquals(List.of(new SystemDifferences.Change("web-1", "governor", "powersave", "performance"),
                new SystemDifferences.Change("web-1", "kernel", "6.1.0-13-amd64", "6.6.0-1-amd64")), d.changes());
        assertEquals(List.of(), d.differentHardware());
    }

    /** The file systems as the agent reports them: / and the run's private directory, which names the run. */
    private static ObjectNode withMounts(String runDir, String runDirMount, String runDirType) throws Exception {
        ObjectNode s = system(BASE);
        s.set("filesystems", Json.MAPPER.readTree("""
                {"mounts": [{"paths": ["/"], "mount_point": "/", "type": "overlay", "source": "overlay",
                             "size_bytes": 107374182400},
                            {"paths": ["%s"], "mount_point": "%s", "type": "%s", "source": "/dev/sdb1",
                             "size_bytes": 53687091200}]}
                """.formatted(runDir, runDirMount, runDirType)));
        return s;
    }

    @Test
    void theRunsOwnDirectoryIsNoSystemDifferenceButTheMountItLandsOnIs() throws Exception {
        JsonNode base = withMounts("/home/lb/.cache/lb/runs/r1.k3x9/web-1", "/home", "ext4");
        JsonNode candidate = withMounts("/home/lb/.cache/lb/runs/r2.p7q2/web-1", "/home", "ext4");
        assertEquals(List.of(), SystemDifferences.between(Map.of("web-1", base), Map.of("web-1", candidate)).changes(),
                "the same file systems, only the per-run path differs");
        assertTrue(SystemFields.ALL.stream().filter(f -> f.label().equals("file systems")).findFirst().orElseThrow()
                .of(candidate).contains("/home/lb/.cache/lb/runs/r2.p7q2/web-1: ext4 on /dev/sdb1"),
                "shown with its path all the same");
        JsonNode xfs = withMounts("/home/lb/.cache/lb/runs/r2.p7q2/web-1", "/home", "xfs");
        assertEquals(List.of("file systems"), SystemDifferences.between(Map.of("web-1", base), Map.of("web-1", xfs))
                .changes().stream().map(SystemDifferences.Change::field).toList(), "another file system type is one");
    }

    @Test
    void anotherCpuModelOrCoreCountIsDifferentHardware() throws Exception {
        ObjectNode cores = system(BASE.replace("\"logical_cores\": 4", "\"logical_cores\": 8"));
        ObjectNode model = system(BASE.replace("AMD EPYC 7763", "Intel Xeon Gold 6338"));
        SystemDifferences d = SystemDifferences.between(Map.of("a", system(BASE), "b", system(BASE), "c", system(BASE)),
                Map.of("a", cores, "b", model, "c", system(BASE)));

        assertEquals(List.of("a", "b"), d.differentHardware());
        assertEquals(List.of(new SystemDifferences.Change("a", "logical cores", "4", "8"),
                new SystemDifferences.Change("b", "CPU model", "AMD EPYC 7763", "Intel Xeon Gold 6338")), d.changes());
    }

    @Test
    void aHostWithSystemInformationInOneRunOnlyIsSaidSo() throws Exception {
        SystemDifferences d = SystemDifferences.between(Map.of("web-1", system(BASE)), Map.of());

        assertEquals(List.of("web-1: system information only in the base run"), d.notRecorded());
    }

    @Test
    void theResultsLineSaysWhatTheHostIsAndMakesItsTextInert() throws Exception {
        ObjectNode s = system(BASE.replace("AMD EPYC 7763", "AMD\\u001b[31m EPYC"));
        s.putObject("unread").put("cpu.freq_min_mhz", "no such file");
        String line = SystemLine.of("web-1", s);

        assertEquals("web-1: AMD EPYC, 4 logical / 2 physical cores, governor powersave, 8.0 GiB memory,"
                + " swap 0 B, Debian GNU/Linux 12 (bookworm), kernel 6.1.0-13-amd64, container docker on VM kvm,"
                + " clock +2.5 ms (± 20.0 ms) (1 fields unread)", line);
    }

    @Test
    void aClockMoreThan100MsOffIsAWarning() throws Exception {
        ObjectNode off = system(BASE.replace("\"offset_ms\": 2.5", "\"offset_ms\": -150.2"));
        List<String> w = SystemWarnings.of(Map.of("web-1", system(BASE), "web-2", off));

        assertEquals(1, w.size());
        assertTrue(w.get(0).startsWith("web-2: its clock is -150.2 ms off the controller's (± 20.0 ms"), w.get(0));
    }

    @Test
    void eachHostsSystemIsWrittenToItsOwnFile(@TempDir Path run) throws Exception {
        SystemFiles.write(run, Map.of("web-1", system(BASE)));

        JsonNode written = Json.MAPPER.readTree(Files.readString(run.resolve("system/web-1.json")));
        assertEquals("6.1.0-13-amd64", written.at("/kernel/release").asText());
    }
}
