package dev.lb.controller.config;

import java.util.List;

/**
 * {@code lb run --limit PATTERN}, resolved before the run: the Ansible host pattern as the user gave it, the inventory
 * hosts it selects (in inventory order), how many hosts the inventory has, and what Ansible warned about while
 * matching (a part of the pattern that matched nothing). The run's plan holds only {@link #hosts}.
 */
public record HostLimit(String pattern, List<String> hosts, int inventoryHosts, List<String> warnings) {
    public HostLimit {
        hosts = List.copyOf(hosts);
        warnings = List.copyOf(warnings);
    }

    /** "--limit 'web-*': 2 of 3 hosts (web-1, web-2)", for the run's first notice. */
    public String describe() {
        return "--limit '" + pattern + "': " + hosts.size() + " of " + inventoryHosts + " hosts ("
                + String.join(", ", hosts) + ")";
    }
}
