package dev.lb.agent.sysinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector on machines captured into test resources: this project's build machine (a Docker container on a
 * KVM guest: no cpufreq, no DMI) and the lb-target container image the end-to-end tests use.
 */
class SystemCollectorTest {
    private static ObjectNode collect(CapturedMachine m) {
        return new SystemCollector(m.sources()).collect(List.of(), Map.of(), List.of());
    }

    @Test
    void theBuildMachineIsReadFromLscpuLsblkProcAndSys() throws IOException {
        CapturedMachine m = CapturedMachine.named("this-machine");
        ObjectNode s = collect(m);

        assertEquals("AMD EPYC", s.at("/cpu/model").asText());
        assertEquals("AuthenticAMD", s.at("/cpu/vendor").asText());
        assertEquals(2, s.at("/cpu/logical_cores").asInt());
        assertEquals(2, s.at("/cpu/physical_cores").asInt());
        assertEquals(1, s.at("/cpu/sockets").asInt());
        long memTotalKb = Long.parseLong(m.file("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:"))
                .findFirst().orElseThrow().replaceAll("\\D", ""));
        assertEquals(memTotalKb * 1024, s.at("/memory/total_bytes").asLong());
        assertEquals(0, s.at("/memory/swap_total_bytes").asLong());
        // lsblk lists zram0 with size 0 (unconfigured) too: not a disk to report
        assertEquals(1, s.at("/disks/devices").size());
        assertEquals("vda", s.at("/disks/devices/0/name").asText());
        assertEquals(274877906944L, s.at("/disks/devices/0/size_bytes").asLong());
        assertTrue(s.at("/disks/devices/0/rotational").asBoolean());
        assertFalse(s.at("/disks/devices/0").has("model"), "lsblk says null: left out, not made up");
        assertEquals("ext4", s.at("/filesystems/mounts/0/type").asText());
        assertEquals("/dev/vda", s.at("/filesystems/mounts/0/source").asText());
        assertEquals("Debian GNU/Linux 12 (bookworm)", s.at("/os/name").asText());
        assertEquals("12", s.at("/os/version_id").asText());
        assertEquals(m.file("/proc/sys/kernel/osrelease").strip(), s.at("/kernel/release").asText());
        assertTrue(s.at("/kernel/cmdline").asText().startsWith("mitigations=auto"));
        assertEquals("x86_64", s.at("/kernel/arch").asText());
    }

    @Test
    void fieldsNoSourceHasAreLeftOutWithTheirReason() throws IOException {
        ObjectNode s = collect(CapturedMachine.named("this-machine"));

        // No cpufreq driver in a KVM guest: no minimum, maximum or governor, and each says why.
        assertFalse(s.at("/cpu").has("freq_min_mhz"));
        assertFalse(s.at("/cpu").has("governor"));
        assertTrue(s.at("/unread/cpu.freq_min_mhz").asText().contains("cpuinfo_min_freq: no such file"));
        assertTrue(s.at("/unread/cpu.governor").asText().contains("scaling_governor: no such file"));
        // The current frequency comes from /proc/cpuinfo then, and says so.
        assertEquals("/proc/cpuinfo cpu MHz", s.at("/cpu/freq_cur_source").asText());
        assertTrue(s.at("/cpu/freq_cur_mhz").asDouble() > 100);
        // No tool is installed in the captured machine's command set.
        assertEquals("k6 is not on PATH", s.at("/unread/tools.k6").asText());
        assertFalse(s.has("tools"));
        assertTrue(s.at("/unread/clock.offset_ms").asText().startsWith("not measured"));
    }

    @Test
    void withoutSystemdDetectVirtAContainerIsToldByDockerenvAndAVmByTheHypervisorFlag() throws IOException {
        ObjectNode s = collect(CapturedMachine.named("this-machine"));

        assertEquals("docker", s.at("/virtualization/container").asText());
        assertEquals("yes (hypervisor CPU flag)", s.at("/virtualization/vm").asText());
        assertEquals("container", s.at("/virtualization/kind").asText());
        assertTrue(s.at("/virtualization/source").asText().contains("systemd-detect-virt not installed"));
    }

    @Test
    void systemdDetectVirtIsBelievedWhenInstalled() throws IOException {
        CapturedMachine m = CapturedMachine.named("this-machine")
                .with(List.of("systemd-detect-virt", "--container"), 1, "none\n")
                .with(List.of("systemd-detect-virt", "--vm"), 0, "kvm\n");
        ObjectNode s = collect(m);

        assertEquals("none", s.at("/virtualization/container").asText());
        assertEquals("kvm", s.at("/virtualization/vm").asText());
        assertEquals("vm", s.at("/virtualization/kind").asText());
        assertEquals("systemd-detect-virt", s.at("/virtualization/source").asText());
    }

    @Test
    void theTargetContainerWithoutLscpuAndLsblkFallsBackToProcAndSys() throws IOException {
        CapturedMachine m = CapturedMachine.named("target-container")
                .without(List.of("lscpu", "-J")).without(List.of(LsblkJson.ARGV));
        ObjectNode s = collect(m);

        assertEquals("AMD EPYC", s.at("/cpu/model").asText());
        assertEquals("AuthenticAMD", s.at("/cpu/vendor").asText());
        assertEquals(2, s.at("/cpu/logical_cores").asInt());
        assertEquals(2, s.at("/cpu/physical_cores").asInt());
        // /sys/block: only devices with a 'device' link (not loop), in 512-byte sectors
        assertEquals("vda", s.at("/disks/devices/0/name").asText());
        assertEquals(Long.parseLong(m.file("/sys/block/vda/size").strip()) * 512, s.at("/disks/devices/0/size_bytes").asLong());
        assertEquals(1, s.at("/disks/devices").size());
        assertEquals("overlay", s.at("/filesystems/mounts/0/type").asText());
        assertEquals("docker", s.at("/virtualization/container").asText());
    }

    @Test
    void aContainerWithoutDockerenvIsToldByItsCgroup(@TempDir Path tmp) throws IOException {
        Path copy = copy(CapturedMachine.named("target-container").root(), tmp.resolve("m"));
        Files.delete(copy.resolve(".dockerenv"));
        ObjectNode s = collect(new CapturedMachine(copy));

        assertEquals("docker", s.at("/virtualization/container").asText());
    }

    @Test
    void cpufreqGivesMinMaxCurrentInMhzAndTheGovernor(@TempDir Path tmp) throws IOException {
        // A machine with a cpufreq driver, as /sys shows it (values in kHz); built here, as the captured ones have none.
        Path copy = copy(CapturedMachine.named("this-machine").root(), tmp.resolve("m"));
        for (int cpu = 0; cpu < 2; cpu++) {
            Path dir = Files.createDirectories(copy.resolve("sys/devices/system/cpu/cpu" + cpu + "/cpufreq"));
            Files.writeString(dir.resolve("cpuinfo_min_freq"), "400000\n");
            Files.writeString(dir.resolve("cpuinfo_max_freq"), "4700000\n");
            Files.writeString(dir.resolve("scaling_cur_freq"), (cpu == 0 ? "1200000" : "3000000") + "\n");
            Files.writeString(dir.resolve("scaling_governor"), "powersave\n");
        }
        ObjectNode s = collect(new CapturedMachine(copy));

        assertEquals(400.0, s.at("/cpu/freq_min_mhz").asDouble());
        assertEquals(4700.0, s.at("/cpu/freq_max_mhz").asDouble());
        assertEquals(2100.0, s.at("/cpu/freq_cur_mhz").asDouble());
        assertFalse(s.at("/cpu").has("freq_cur_source"));
        assertEquals("powersave", s.at("/cpu/governor").asText());
        assertFalse(s.path("unread").has("cpu.governor"));
    }

    @Test
    void toolVersionsAreTheFirstLineOfTheirVersionOutput() throws IOException {
        CapturedMachine m = CapturedMachine.named("this-machine")
                .with(List.of("stress-ng", "--version"), 0, "stress-ng, version 0.15.06 (gcc 12.2.0, x86_64 Linux)\n")
                .with(List.of("/opt/fio/bin/fio", "--version"), 0, "fio-3.33\n")
                .with(List.of("sysbench", "--version"), 2, "sysbench: broken\n");
        ObjectNode s = new SystemCollector(m.sources()).collect(List.of(), Map.of("fio", "/opt/fio/bin/fio"),
                List.of());

        assertEquals("stress-ng, version 0.15.06 (gcc 12.2.0, x86_64 Linux)", s.at("/tools/stress-ng/version").asText());
        assertEquals("fio-3.33", s.at("/tools/fio/version").asText());
        assertEquals("/opt/fio/bin/fio", s.at("/tools/fio/executable").asText());
        assertFalse(s.at("/tools").has("sysbench"));
        assertEquals("sysbench --version exited 2: sysbench: broken", s.at("/unread/tools.sysbench").asText());
    }

    @Test
    void theRunDirectorysFileSystemIsReportedBesideTheRoots(@TempDir Path tmp) throws IOException {
        ObjectNode s = new SystemCollector(CapturedMachine.named("this-machine").sources())
                .collect(List.of("/var/lib/docker/x", "/home/u"), Map.of(), List.of());

        JsonNode mounts = s.at("/filesystems/mounts");
        assertEquals(2, mounts.size());
        assertEquals("[\"/\",\"/home/u\"]", mounts.get(0).get("paths").toString());
        assertEquals("/var/lib/docker", mounts.get(1).get("mount_point").asText());
        assertEquals("[\"/var/lib/docker/x\"]", mounts.get(1).get("paths").toString());
    }

    @Test
    void theEventMessageSaysWhatWasFoundInOneLine() throws IOException {
        ObjectNode s = collect(CapturedMachine.named("this-machine"));
        String line = SystemCollector.describe(s);

        assertTrue(line.startsWith("system: AMD EPYC, 2 logical cores, "), line);
        assertTrue(line.contains("Debian GNU/Linux 12 (bookworm), kernel 6.18.44-fc-v782, container"), line);
        assertTrue(line.endsWith("fields unread)"), line);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
