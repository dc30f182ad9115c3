package dev.lb.controller.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.protocol.Event;
import dev.lb.protocol.EventType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Interference in a repetition's system metrics (the agent's {@code type: metric} events), per host × workload ×
 * repetition, as warnings for the run summary and the report:
 *
 * <ul>
 *   <li>during a CPU benchmark ({@link #isCpuBenchmark}), a sample in which processes other than the workload's
 *       and lb's own used more than {@link #CPU_OTHER_LIMIT} % of one core ({@code cpu_other});</li>
 *   <li>during any workload, a sample with swap activity ({@code swap_in} or {@code swap_out} above zero);</li>
 *   <li>during any workload, a thermal throttling increment ({@code throttle_core}, {@code throttle_package}).</li>
 * </ul>
 *
 * A warm-up repetition's samples are not judged: its numbers never count. Fed every accepted event by ingest (one
 * thread); {@link #warnings} may be called at any time.
 */
public final class NoiseWarnings {
    public static final double CPU_OTHER_LIMIT = 10;
    private static final int MAX_NAME = 32;

    private static final class Rep {
        boolean cpuBenchmark;
        double otherMax = -1;
        String otherTop;
        double otherTopShare;
        double swapInMax;
        double swapOutMax;
        double throttleCore;
        double throttlePackage;
    }

    private record Key(String host, String workload, int repetition) {
    }

    private final Map<Key, Rep> reps = new LinkedHashMap<>();

    /**
     * A CPU benchmark: stress-ng with its {@code cpu} stressor ({@code --cpu N}, {@code --cpu=N} or {@code -c N}), or
     * sysbench running its {@code cpu} test (its first argument that is not an option, or {@code --test=cpu}).
     * {@code argv} is the workload's command as the agent started it (its {@code started} event's {@code command}).
     */
    public static boolean isCpuBenchmark(List<String> argv) {
        if (argv.isEmpty()) {
            return false;
        }
        String tool = argv.get(0).substring(argv.get(0).lastIndexOf('/') + 1);
        List<String> args = argv.subList(1, argv.size());
        if (tool.equals("stress-ng")) {
            return args.stream().anyMatch(a -> a.equals("--cpu") || a.startsWith("--cpu=") || a.equals("-c"));
        }
        if (tool.equals("sysbench")) {
            if (args.contains("--test=cpu")) {
                return true;
            }
            return args.stream().filter(a -> !a.startsWith("-")).findFirst().map("cpu"::equals).orElse(false);
        }
        return false;
    }

    public synchronized void accept(Event e) {
        if (e.repetition() <= 0 || (e.field("warmup") != null && e.field("warmup").asBoolean())) {
            return;
        }
        Key key = new Key(e.host(), e.workload(), e.repetition());
        JsonNode command = e.field("command");
        if ("agent".equals(e.src()) && e.field("hook") == null && command != null && command.isArray()) {
            List<String> argv = new ArrayList<>();
            command.forEach(a -> argv.add(a.asText()));
            reps.computeIfAbsent(key, k -> new Rep()).cpuBenchmark = isCpuBenchmark(argv);
            return;
        }
        JsonNode metrics = e.field("metrics");
        if (e.type() != EventType.METRIC || metrics == null || !metrics.isArray()) {
            return;
        }
        Rep r = reps.computeIfAbsent(key, k -> new Rep());
        double other = -1;
        double top = 0;
        for (JsonNode m : metrics) {
            if (!m.path("value").isNumber()) {
                continue;
            }
            double v = m.get("value").asDouble();
            switch (m.path("name").asText()) {
                case "cpu_other" -> other = v;
                case "cpu_other_top" -> top = v;
                case "swap_in" -> r.swapInMax = Math.max(r.swapInMax, v);
                case "swap_out" -> r.swapOutMax = Math.max(r.swapOutMax, v);
                case "throttle_core" -> r.throttleCore += Math.max(0, v);
                case "throttle_package" -> r.throttlePackage += Math.max(0, v);
                default -> { }
            }
        }
        if (other > r.otherMax) {
            r.otherMax = other;
            r.otherTopShare = top;
            JsonNode name = e.field("cpu_other_top_name");
            r.otherTop = name != null && name.isTextual() ? shortened(name.asText()) : null;
        }
    }

    private static String shortened(String name) {
        return name.length() <= MAX_NAME ? name : name.substring(0, MAX_NAME) + "\u2026";
    }

    /**
     * One line per finding, in the order the repetitions were first seen; then, for each host in
     * {@code localHosts} with a CPU finding, a note that on this machine the controller and Ansible are among the
     * other processes.
     */
    public synchronized List<String> warnings(Collection<String> localHosts) {
        List<String> out = new ArrayList<>();
        Set<String> localWithCpu = new LinkedHashSet<>();
        reps.forEach((k, r) -> {
            String where = k.host() + " " + k.workload() + " rep " + k.repetition() + ": ";
            if (r.cpuBenchmark && r.otherMax > CPU_OTHER_LIMIT) {
                out.add(String.format(Locale.ROOT, "%sother processes used up to %.0f %% of a core%s during a CPU"
                        + " benchmark", where, r.otherMax, r.otherTop == null ? ""
                        : String.format(Locale.ROOT, " (top: %s, %.0f %%)", r.otherTop, r.otherTopShare)));
                if (localHosts.contains(k.host())) {
                    localWithCpu.add(k.host());
                }
            }
            if (r.swapInMax > 0 || r.swapOutMax > 0) {
                out.add(where + "the system swapped (up to " + Bytes.rate(r.swapInMax) + " in, "
                        + Bytes.rate(r.swapOutMax) + " out)");
            }
            if (r.throttleCore > 0 || r.throttlePackage > 0) {
                out.add(String.format(Locale.ROOT, "%sthe CPU was thermally throttled (%.0f core, %.0f package"
                        + " throttling events)", where, r.throttleCore, r.throttlePackage));
            }
        });
        localWithCpu.forEach(h -> out.add(h + ": a local target, this machine: lb's controller and ansible-playbook"
                + " run on it and count among the other processes, so CPU used by others is expected there"));
        return out;
    }

    private static final class Bytes {
        static String rate(double bps) {
            String[] units = {"B/s", "KiB/s", "MiB/s", "GiB/s"};
            int u = 0;
            while (bps >= 1024 && u < units.length - 1) {
                bps /= 1024;
                u++;
            }
            return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", bps, units[u]);
        }
    }
}
