package dev.lb.agent.sysinfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /proc/cpuinfo: one block of {@code key : value} lines per logical CPU, blocks separated by a blank line. */
final class CpuInfo {
    private CpuInfo() {
    }

    static List<Map<String, String>> parse(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    blocks.add(current);
                    current = new LinkedHashMap<>();
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon > 0) {
                current.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        return blocks;
    }

    /** The blocks that describe a processor (ARM adds blocks of machine-wide lines without one). */
    static List<Map<String, String>> processors(String text) {
        return parse(text).stream().filter(b -> b.containsKey("processor")).toList();
    }
}
