package dev.lb.agent.sysinfo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Whether the target is a container, a virtual machine, both or neither: {@code systemd-detect-virt} when installed
 * (its {@code --container} and {@code --vm} answers), else the marks containers and hypervisors leave in the file
 * system ({@code /.dockerenv}, {@code /run/.containerenv}, /proc/1/cgroup, the {@code hypervisor} CPU flag, the
 * DMI vendor). {@code source} says which; {@code kind} is {@code container}, {@code vm} or {@code none}.
 */
final class Virtualization {
    private static final List<String> CGROUP_MARKS = List.of("docker", "kubepods", "libpod", "lxc", "containerd");

    private final SystemSources sources;

    Virtualization(SystemSources sources) {
        this.sources = sources;
    }

    void detect(Findings f, String cpuinfo) {
        ObjectNode v = f.section("virtualization");
        Optional<String> container = detectVirt("--container", f);
        Optional<String> vm = container.isPresent() ? detectVirt("--vm", f) : Optional.empty();
        if (container.isPresent() && vm.isPresent()) {
            v.put("container", container.get());
            v.put("vm", vm.get());
            v.put("source", "systemd-detect-virt");
        } else {
            v.put("container", containerFromFiles());
            v.put("vm", vmFromCpu(cpuinfo));
            v.put("source", "/.dockerenv, /run/.containerenv, /proc/1/cgroup; /proc/cpuinfo hypervisor flag,"
                    + " /sys/class/dmi/id/sys_vendor (systemd-detect-virt not installed)");
        }
        v.put("kind", !v.get("container").asText().equals("none") ? "container"
                : !v.get("vm").asText().equals("none") ? "vm" : "none");
    }

    /** systemd-detect-virt prints the technology, or {@code none} with exit 1; empty when it is not installed. */
    private Optional<String> detectVirt(String what, Findings f) {
        try {
            Optional<SystemSources.CommandOutput> out = sources.run("systemd-detect-virt", what);
            if (out.isEmpty()) {
                return Optional.empty();
            }
            String answer = out.get().firstLine();
            if (answer.matches("[a-z0-9_-]{1,40}")) {
                return Optional.of(answer);
            }
            f.unread("virtualization", "detect_virt", "systemd-detect-virt " + what + " exited "
                    + out.get().exitCode() + ": " + answer);
        } catch (IOException e) {
            f.unread("virtualization", "detect_virt", "systemd-detect-virt " + what + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    private String containerFromFiles() {
        if (sources.exists("/.dockerenv")) {
            return "docker";
        }
        if (sources.exists("/run/.containerenv")) {
            return "podman";
        }
        try {
            String cgroup = sources.read("/proc/1/cgroup");
            for (String mark : CGROUP_MARKS) {
                if (cgroup.contains("/" + mark) || cgroup.contains(mark + "-")) {
                    return mark;
                }
            }
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "none";
    }

    private String vmFromCpu(String cpuinfo) {
        String vendor = null;
        try {
            vendor = sources.line("/sys/class/dmi/id/sys_vendor");
        } catch (IOException e) {
            // not every machine has DMI (ARM boards, containers without /sys/class/dmi): the CPU flag still tells
        }
        if (cpuinfo == null) {
            return "unknown (/proc/cpuinfo unreadable)";
        }
        boolean flag = CpuInfo.processors(cpuinfo).stream().anyMatch(p -> (" " + p.getOrDefault("flags", "") + " ")
                .contains(" hypervisor "));
        if (!flag) {
            return "none";
        }
        return vendor == null || vendor.isBlank() ? "yes (hypervisor CPU flag)" : "yes (" + vendor + ")";
    }
}
