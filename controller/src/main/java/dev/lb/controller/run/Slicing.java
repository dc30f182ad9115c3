package dev.lb.controller.run;

import java.util.ArrayList;
import java.util.List;

/**
 * How a run's hosts are split over ansible-playbook processes. One process carries every event of its hosts (its
 * strategy, the callback, the echo to stdout), so past a few hosts it is the bottleneck; more processes than
 * cores only compete for them. {@code auto}: 1 below {@value #HOSTS_PER_SLICE} hosts, else
 * ceil(hosts / {@value #HOSTS_PER_SLICE}), at most the controller's cores.
 */
public final class Slicing {
    public static final int HOSTS_PER_SLICE = 8;

    private Slicing() {
    }

    /** K for {@code slices: auto}. */
    public static int auto(int hosts, int cores) {
        if (hosts < HOSTS_PER_SLICE) {
            return 1;
        }
        return Math.max(1, Math.min((hosts + HOSTS_PER_SLICE - 1) / HOSTS_PER_SLICE, cores));
    }

    /** The number of slices a run gets: the configured K ({@code 0}: auto), never more than its hosts. */
    public static int count(int configured, int hosts, int cores) {
        int k = configured == dev.lb.controller.config.RunConfig.AUTO_SLICES ? auto(hosts, cores) : configured;
        return Math.max(1, Math.min(k, hosts));
    }

    /**
     * {@code hosts} in {@code k} groups of consecutive hosts, in inventory order, sizes differing by at most one
     * (the first groups take the extra host); every host in exactly one group.
     */
    public static List<List<String>> split(List<String> hosts, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("slices must be at least 1, was " + k);
        }
        int n = Math.min(k, Math.max(1, hosts.size()));
        List<List<String>> out = new ArrayList<>();
        int base = hosts.size() / n;
        int extra = hosts.size() % n;
        int from = 0;
        for (int i = 0; i < n; i++) {
            int size = base + (i < extra ? 1 : 0);
            out.add(List.copyOf(hosts.subList(from, from + size)));
            from += size;
        }
        return out;
    }
}
