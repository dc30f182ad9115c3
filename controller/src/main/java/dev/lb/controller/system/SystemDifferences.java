package dev.lb.controller.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * How the systems under two runs differ, per host both runs have: every compared field whose value changed
 * (kernel 6.1 -> 6.6, governor powersave -> performance), and whether the hosts' hardware differs (CPU model or core
 * counts), which makes the comparison one of two machines rather than of two runs on one.
 */
public record SystemDifferences(List<Change> changes, List<String> differentHardware, List<String> notRecorded) {
    /** One field of one host: its text in the base run and in the new one (null: not reported there). */
    public record Change(String host, String field, String base, String candidate) {
    }

    private static final List<SystemFields.Field> HARDWARE = List.of(SystemFields.CPU_MODEL,
            SystemFields.LOGICAL_CORES, SystemFields.PHYSICAL_CORES);

    public static SystemDifferences between(Map<String, ? extends JsonNode> base, Map<String, ? extends JsonNode> candidate) {
        List<Change> changes = new ArrayList<>();
        List<String> hardware = new ArrayList<>();
        List<String> notRecorded = new ArrayList<>();
        TreeSet<String> hosts = new TreeSet<>(base.keySet());
        hosts.addAll(candidate.keySet());
        for (String host : hosts) {
            JsonNode b = base.get(host);
            JsonNode n = candidate.get(host);
            if (b == null || n == null) {
                notRecorded.add(host + ": system information only in the " + (b == null ? "new" : "base") + " run");
                continue;
            }
            for (SystemFields.Field f : SystemFields.ALL) {
                String before = f.of(b);
                String after = f.of(n);
                if (f.compared() && !Objects.equals(f.comparable(b), f.comparable(n))) {
                    changes.add(new Change(host, f.label(), before, after));
                    if (HARDWARE.contains(f) && before != null && after != null && !hardware.contains(host)) {
                        hardware.add(host);
                    }
                }
            }
        }
        return new SystemDifferences(List.copyOf(changes), List.copyOf(hardware), List.copyOf(notRecorded));
    }

    public static SystemDifferences none() {
        return new SystemDifferences(List.of(), List.of(), List.of());
    }
}
