package dev.lb.controller.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Inline hosts of a config that are one machine and one user: several {@code connection: local} hosts, or the same
 * address, port and user under two names. Legitimate (tests, several logical hosts packed on one box), and safe:
 * each inventory host has its own target directory. But their workloads load the same machine at once, which a
 * benchmark must not do unknowingly, so lb says so up front.
 */
public final class SharedMachines {
    private SharedMachines() {
    }

    /** One warning per machine that more than one host resolves to, in config order. */
    public static List<String> warnings(List<RunConfig.Host> hosts) {
        Map<String, List<String>> byMachine = new LinkedHashMap<>();
        for (RunConfig.Host h : hosts) {
            byMachine.computeIfAbsent(machine(h), k -> new ArrayList<>()).add(h.name());
        }
        List<String> out = new ArrayList<>();
        byMachine.forEach((machine, names) -> {
            if (names.size() > 1) {
                out.add("hosts " + String.join(", ", names) + " are one machine and user (" + machine + "): each has"
                        + " its own target directory, but their workloads run on the same machine at the same time");
            }
        });
        return out;
    }

    private static String machine(RunConfig.Host h) {
        if (h.connection().equals("local")) {
            return "this machine, connection: local";
        }
        String user = h.user() == null ? "" : h.user() + "@";
        return user + (h.address() == null ? h.name() : h.address()) + ":" + (h.port() == null ? 22 : h.port());
    }
}
