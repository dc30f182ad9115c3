package dev.lb.agent.sysinfo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads a target's system information, section by section: {@code cpu}, {@code memory}, {@code disks},
 * {@code filesystems}, {@code os}, {@code kernel}, {@code virtualization}, {@code tools}. Each field comes from the
 * first source that has it (lscpu/lsblk when installed, else /proc and /sys); a field no source has is left out
 * and its reason kept under {@code unread}. Nothing read here can fail the collection: a failed read is a reason.
 */
public final class SystemCollector {
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String CPU_DIR = "/sys/devices/system/cpu";

    private final SystemSources sources;

    public SystemCollector(SystemSources sources) {
        this.sources = sources;
    }

    /**
     * @param dirs  directories whose file system is reported besides the root's (the run directory)
     * @param tools tool name to the executable to ask for its version (a bare name is looked for on PATH)
     * @param clockReadings the clock probes' readings, in order (see {@link ClockOffset})
     */
    public ObjectNode collect(List<String> dirs, Map<String, String> tools, List<String> clockReadings) {
        Findings f = new Findings();
        Map<String, String> lscpu = lscpu(f);
        String cpuinfo = readOr(f, "cpu", "model", "/proc/cpuinfo");
        List<Map<String, String>> processors = cpuinfo == null ? List.of() : CpuInfo.processors(cpuinfo);
        cpu(f, lscpu, processors);
        memory(f);
        disks(f);
        filesystems(f, dirs);
        os(f);
        kernel(f, lscpu);
        new Virtualization(sources).detect(f, cpuinfo);
        new ToolVersions(sources).read(f, tools);
        ClockOffset.measure(f, clockReadings);
        return f.toJson();
    }

    /** One line for the event's message: "AMD EPYC, 2 logical cores, 7.6 GiB, Debian GNU/Linux 12, kernel ...". */
    public static String describe(ObjectNode system) {
        List<String> parts = new ArrayList<>();
        var cpu = system.path("cpu");
        if (cpu.has("model")) {
            parts.add(cpu.get("model").asText());
        }
        if (cpu.has("logical_cores")) {
            parts.add(cpu.get("logical_cores").asInt() + " logical cores");
        }
        if (system.path("memory").has("total_bytes")) {
            parts.add(String.format(java.util.Locale.ROOT, "%.1f GiB",
                    system.get("memory").get("total_bytes").asDouble() / (1L << 30)));
        }
        if (system.path("os").has("name")) {
            parts.add(system.get("os").get("name").asText());
        }
        if (system.path("kernel").has("release")) {
            parts.add("kernel " + system.get("kernel").get("release").asText());
        }
        if (system.path("virtualization").has("kind")) {
            parts.add(system.get("virtualization").get("kind").asText().equals("none") ? "no container or VM seen"
                    : system.get("virtualization").get("kind").asText());
        }
        if (system.path("clock").has("offset_ms")) {
            parts.add("clock " + system.get("clock").get("offset_ms").asText() + " ms from the controller's");
        }
        return "system: " + (parts.isEmpty() ? "nothing could be read" : String.join(", ", parts))
                + (system.has("unread") ? " (" + system.get("unread").size() + " fields unread)" : "");
    }

    private Map<String, String> lscpu(Findings f) {
        try {
            Optional<SystemSources.CommandOutput> out = sources.run("lscpu", "-J");
            if (out.isEmpty()) {
                return Map.of();
            }
            if (out.get().exitCode() != 0) {
                f.unread("cpu", "lscpu", "lscpu -J exited " + out.get().exitCode() + ": " + out.get().firstLine());
                return Map.of();
            }
            return LscpuJson.parse(out.get().text());
        } catch (IOException e) {
            f.unread("cpu", "lscpu", "lscpu -J: " + e.getMessage());
            return Map.of();
        }
    }

    private void cpu(Findings f, Map<String, String> lscpu, List<Map<String, String>> processors) {
        Map<String, String> first = processors.isEmpty() ? Map.of() : processors.get(0);
        text(f, "cpu", "model", lscpu.get("Model name"), first.get("model name"), "neither lscpu nor /proc/cpuinfo"
                + " names the model");
        text(f, "cpu", "vendor", lscpu.get("Vendor ID"), first.get("vendor_id"), "neither lscpu nor /proc/cpuinfo"
                + " names the vendor");
        List<Integer> online = onlineCpus(f);
        if (!online.isEmpty()) {
            f.set("cpu", "logical_cores", NODES.numberNode(online.size()));
        } else if (integer(lscpu.get("CPU(s)")) != null) {
            f.set("cpu", "logical_cores", NODES.numberNode(integer(lscpu.get("CPU(s)"))));
        } else if (!processors.isEmpty()) {
            f.set("cpu", "logical_cores", NODES.numberNode(processors.size()));
        }
        physicalCores(f, online, lscpu, processors);
        frequencies(f, online, lscpu, processors);
    }

    private List<Integer> onlineCpus(Findings f) {
        try {
            return CpuList.parse(sources.line(CPU_DIR + "/online"));
        } catch (IOException | IllegalArgumentException e) {
            f.unread("cpu", "logical_cores", e.getMessage());
            return List.of();
        }
    }

    /** Distinct (package, core) pairs of the online CPUs from /sys, else lscpu's sockets x cores, else cpuinfo's. */
    private void physicalCores(Findings f, List<Integer> online, Map<String, String> lscpu,
                               List<Map<String, String>> processors) {
        Set<String> cores = new LinkedHashSet<>();
        Set<String> packages = new LinkedHashSet<>();
        String why = null;
        for (int cpu : online) {
            try {
                String pkg = sources.line(CPU_DIR + "/cpu" + cpu + "/topology/physical_package_id");
                cores.add(pkg + "/" + sources.line(CPU_DIR + "/cpu" + cpu + "/topology/core_id"));
                packages.add(pkg);
            } catch (IOException e) {
                why = e.getMessage();
                cores.clear();
                break;
            }
        }
        Integer perSocket = integer(lscpu.get("Core(s) per socket"));
        Integer sockets = integer(lscpu.get("Socket(s)"));
        if (!cores.isEmpty()) {
            f.set("cpu", "physical_cores", NODES.numberNode(cores.size()));
            f.set("cpu", "sockets", NODES.numberNode(packages.size()));
        } else if (perSocket != null && sockets != null) {
            f.set("cpu", "physical_cores", NODES.numberNode(perSocket * sockets));
            f.set("cpu", "sockets", NODES.numberNode(sockets));
        } else {
            Set<String> pairs = new LinkedHashSet<>();
            for (Map<String, String> p : processors) {
                if (p.containsKey("physical id") && p.containsKey("core id")) {
                    pairs.add(p.get("physical id") + "/" + p.get("core id"));
                }
            }
            if (!pairs.isEmpty() && pairs.size() <= processors.size()) {
                f.set("cpu", "physical_cores", NODES.numberNode(pairs.size()));
            } else {
                f.unread("cpu", "physical_cores", "no CPU topology in /sys (" + (why == null ? "no online CPUs" : why)
                        + "), lscpu or /proc/cpuinfo");
            }
        }
    }

    /** cpufreq in /sys (kHz), else lscpu's MHz; the current one averaged over the online CPUs. */
    private void frequencies(Findings f, List<Integer> online, Map<String, String> lscpu,
                             List<Map<String, String>> processors) {
        String cpufreq = CPU_DIR + "/cpu" + (online.isEmpty() ? 0 : online.get(0)) + "/cpufreq/";
        mhz(f, "freq_min_mhz", cpufreq + "cpuinfo_min_freq", lscpu.get("CPU min MHz"));
        mhz(f, "freq_max_mhz", cpufreq + "cpuinfo_max_freq", lscpu.get("CPU max MHz"));
        double sum = 0;
        int n = 0;
        String why = null;
        Set<String> governors = new LinkedHashSet<>();
        for (int cpu : online) {
            String dir = CPU_DIR + "/cpu" + cpu + "/cpufreq/";
            try {
                sum += Long.parseLong(sources.line(dir + "scaling_cur_freq")) / 1000.0;
                n++;
            } catch (IOException | NumberFormatException e) {
                why = e.getMessage();
            }
            try {
                governors.add(sources.line(dir + "scaling_governor"));
            } catch (IOException e) {
                f.unread("cpu", "governor", e.getMessage() + " (no cpufreq driver: the kernel or hypervisor sets the"
                        + " frequency)");
            }
        }
        if (n > 0 && n == online.size()) {
            f.set("cpu", "freq_cur_mhz", NODES.numberNode(round(sum / n)));
        } else {
            double cpuinfoSum = 0;
            int m = 0;
            for (Map<String, String> p : processors) {
                Double mhz = decimal(p.get("cpu MHz"));
                if (mhz != null) {
                    cpuinfoSum += mhz;
                    m++;
                }
            }
            if (m > 0) {
                f.set("cpu", "freq_cur_mhz", NODES.numberNode(round(cpuinfoSum / m)));
                f.set("cpu", "freq_cur_source", NODES.textNode("/proc/cpuinfo cpu MHz"));
            } else {
                f.unread("cpu", "freq_cur_mhz", why != null ? why : "no cpufreq in /sys and no 'cpu MHz' in /proc/cpuinfo");
            }
        }
        if (!governors.isEmpty()) {
            f.set("cpu", "governor", NODES.textNode(String.join(",", governors)));
        } else if (online.isEmpty()) {
            f.unread("cpu", "governor", "the online CPUs are not known");
        }
    }

    private void mhz(Findings f, String field, String sysFile, String lscpuMhz) {
        try {
            f.set("cpu", field, NODES.numberNode(round(Long.parseLong(sources.line(sysFile)) / 1000.0)));
            return;
        } catch (IOException | NumberFormatException e) {
            f.unread("cpu", field, e.getMessage() + (lscpuMhz == null ? " and lscpu does not say" : ""));
        }
        Double mhz = decimal(lscpuMhz);
        if (mhz != null) {
            f.set("cpu", field, NODES.numberNode(round(mhz)));
        }
    }

    private void memory(Findings f) {
        String meminfo = readOr(f, "memory", "total_bytes", "/proc/meminfo");
        if (meminfo == null) {
            f.unread("memory", "swap_total_bytes", "/proc/meminfo could not be read");
            return;
        }
        bytes(f, "memory", "total_bytes", KeyValueText.meminfoBytes(meminfo, "MemTotal"), "no MemTotal in /proc/meminfo");
        bytes(f, "memory", "swap_total_bytes", KeyValueText.meminfoBytes(meminfo, "SwapTotal"),
                "no SwapTotal in /proc/meminfo");
    }

    private void disks(Findings f) {
        List<LsblkJson.Disk> disks = null;
        String why = null;
        try {
            Optional<SystemSources.CommandOutput> out = sources.run(LsblkJson.ARGV);
            if (out.isPresent() && out.get().exitCode() == 0) {
                disks = LsblkJson.disks(out.get().text());
            } else {
                why = out.isEmpty() ? "lsblk is not installed" : "lsblk exited " + out.get().exitCode() + ": "
                        + out.get().firstLine();
            }
        } catch (IOException e) {
            why = "lsblk: " + e.getMessage();
        }
        if (disks == null) {
            disks = sysBlockDisks();
        }
        if (disks.isEmpty()) {
            f.unread("disks", "devices", (why != null ? why + "; " : "") + "no whole disk with a size in /sys/block");
            return;
        }
        ArrayNode list = NODES.arrayNode();
        for (LsblkJson.Disk d : disks) {
            ObjectNode o = list.addObject();
            o.put("name", d.name());
            if (d.model() != null) {
                o.put("model", d.model());
            }
            o.put("size_bytes", d.sizeBytes());
            if (d.rotational() != null) {
                o.put("rotational", d.rotational());
            }
        }
        f.set("disks", "devices", list);
    }

    /** Without lsblk: the devices in /sys/block that are hardware (a {@code device} link; not loop, ram or dm). */
    private List<LsblkJson.Disk> sysBlockDisks() {
        List<LsblkJson.Disk> out = new ArrayList<>();
        for (String name : sources.list("/sys/block")) {
            String dir = "/sys/block/" + name;
            if (!sources.exists(dir + "/device")) {
                continue;
            }
            try {
                long size = Long.parseLong(sources.line(dir + "/size")) * 512; // always in 512-byte sectors
                if (size == 0) {
                    continue;
                }
                String model = optionalLine(dir + "/device/model");
                String rota = optionalLine(dir + "/queue/rotational");
                out.add(new LsblkJson.Disk(name, model == null || model.isBlank() ? null : model,
                        size, rota == null ? null : rota.equals("1")));
            } catch (IOException | NumberFormatException e) {
                continue; // a disk whose size cannot be read is not described at all rather than half
            }
        }
        return out;
    }

    private void filesystems(Findings f, List<String> dirs) {
        List<MountInfo.Mount> mounts;
        try {
            mounts = MountInfo.parse(sources.read("/proc/self/mountinfo"));
        } catch (IOException e) {
            f.unread("filesystems", "mounts", e.getMessage());
            return;
        }
        Map<String, ObjectNode> byMountPoint = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>(List.of("/"));
        paths.addAll(dirs);
        ArrayNode list = NODES.arrayNode();
        for (String path : paths) {
            Optional<MountInfo.Mount> m = MountInfo.holding(mounts, path);
            if (m.isEmpty()) {
                f.unread("filesystems", path, "no mount in /proc/self/mountinfo holds it");
                continue;
            }
            ObjectNode known = byMountPoint.get(m.get().mountPoint());
            if (known != null) {
                ((ArrayNode) known.get("paths")).add(path);
                continue;
            }
            ObjectNode o = list.addObject();
            byMountPoint.put(m.get().mountPoint(), o);
            o.putArray("paths").add(path);
            o.put("mount_point", m.get().mountPoint());
            o.put("type", m.get().type());
            o.put("source", m.get().source());
            try {
                OptionalLong size = sources.totalBytes(path);
                if (size.isPresent()) {
                    o.put("size_bytes", size.getAsLong());
                }
            } catch (IOException e) {
                f.unread("filesystems", path + " size", e.getMessage());
            }
        }
        if (!list.isEmpty()) {
            f.set("filesystems", "mounts", list);
        }
    }

    private void os(Findings f) {
        String text = optionalRead("/etc/os-release");
        if (text == null) {
            text = readOr(f, "os", "name", "/usr/lib/os-release");
            if (text == null) {
                return;
            }
        }
        Map<String, String> release = KeyValueText.osRelease(text);
        text(f, "os", "name", release.get("PRETTY_NAME"), release.get("NAME"), "os-release has no PRETTY_NAME or NAME");
        if (release.containsKey("ID")) {
            f.set("os", "id", NODES.textNode(release.get("ID")));
        }
        if (release.containsKey("VERSION_ID")) {
            f.set("os", "version_id", NODES.textNode(release.get("VERSION_ID")));
        }
    }

    private void kernel(Findings f, Map<String, String> lscpu) {
        line(f, "kernel", "release", "/proc/sys/kernel/osrelease");
        line(f, "kernel", "version", "/proc/sys/kernel/version");
        line(f, "kernel", "cmdline", "/proc/cmdline");
        line(f, "kernel", "hostname", "/proc/sys/kernel/hostname");
        if (lscpu.containsKey("Architecture")) {
            f.set("kernel", "arch", NODES.textNode(lscpu.get("Architecture")));
            return;
        }
        try {
            Optional<SystemSources.CommandOutput> out = sources.run("uname", "-m");
            if (out.isPresent() && out.get().exitCode() == 0 && !out.get().firstLine().isEmpty()) {
                f.set("kernel", "arch", NODES.textNode(out.get().firstLine()));
            } else {
                f.unread("kernel", "arch", "neither lscpu nor uname -m said");
            }
        } catch (IOException e) {
            f.unread("kernel", "arch", "uname -m: " + e.getMessage());
        }
    }

    private void line(Findings f, String section, String field, String path) {
        try {
            f.set(section, field, NODES.textNode(sources.line(path)));
        } catch (IOException e) {
            f.unread(section, field, e.getMessage());
        }
    }

    private String readOr(Findings f, String section, String field, String path) {
        try {
            return sources.read(path);
        } catch (IOException e) {
            f.unread(section, field, e.getMessage());
            return null;
        }
    }

    private String optionalRead(String path) {
        try {
            return sources.read(path);
        } catch (IOException e) {
            return null;
        }
    }

    private String optionalLine(String path) {
        try {
            return sources.line(path);
        } catch (IOException e) {
            return null;
        }
    }

    private static void text(Findings f, String section, String field, String first, String second, String why) {
        String v = first != null && !first.isBlank() ? first : second != null && !second.isBlank() ? second : null;
        if (v != null) {
            f.set(section, field, NODES.textNode(v));
        } else {
            f.unread(section, field, why);
        }
    }

    private static void bytes(Findings f, String section, String field, OptionalLong value, String why) {
        if (value.isPresent()) {
            f.set(section, field, NODES.numberNode(value.getAsLong()));
        } else {
            f.unread(section, field, why);
        }
    }

    private static Integer integer(String s) {
        return s != null && s.strip().matches("\\d{1,9}") ? Integer.valueOf(s.strip()) : null;
    }

    private static Double decimal(String s) {
        if (s == null || !s.strip().matches("\\d{1,9}(\\.\\d+)?")) {
            return null;
        }
        return Double.valueOf(s.strip());
    }

    private static double round(double mhz) {
        return Math.round(mhz * 10) / 10.0;
    }
}
