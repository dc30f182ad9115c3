package dev.lb.agent.sysinfo;

import java.util.ArrayList;
import java.util.List;

/** A kernel CPU list ({@code 0-3,8,10-11}, as in /sys/devices/system/cpu/online): the CPU numbers it names. */
final class CpuList {
    private CpuList() {
    }

    static List<Integer> parse(String text) {
        List<Integer> out = new ArrayList<>();
        String t = text.strip();
        if (t.isEmpty()) {
            return out;
        }
        for (String part : t.split(",")) {
            String[] range = part.strip().split("-");
            if (range.length > 2 || !range[0].matches("\\d{1,6}") || range.length == 2 && !range[1].matches("\\d{1,6}")) {
                throw new IllegalArgumentException("not a CPU list: '" + t + "'");
            }
            int from = Integer.parseInt(range[0]);
            int to = range.length == 2 ? Integer.parseInt(range[1]) : from;
            for (int c = from; c <= to; c++) {
                out.add(c);
            }
        }
        return out;
    }
}
