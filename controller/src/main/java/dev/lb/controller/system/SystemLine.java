package dev.lb.controller.system;

import static dev.lb.protocol.TerminalText.sanitize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A host's system information in one line, for {@code lb results}: what a reader needs to trust the numbers. */
public final class SystemLine {
    private SystemLine() {
    }

    /** "web-1: AMD EPYC, 2 logical / 2 physical cores, governor performance, 23.5 GiB, ..."; every text made inert. */
    public static String of(String host, JsonNode system) {
        if (system == null) {
            return sanitize(host) + ": no system information in the journal";
        }
        List<String> parts = new ArrayList<>();
        add(parts, "", SystemFields.CPU_MODEL.of(system), "");
        String logical = SystemFields.LOGICAL_CORES.of(system);
        String physical = SystemFields.PHYSICAL_CORES.of(system);
        if (logical != null || physical != null) {
            parts.add((logical == null ? "?" : logical) + " logical / " + (physical == null ? "?" : physical)
                    + " physical cores");
        }
        add(parts, "governor ", SystemFields.text(system, "/cpu/governor"), "");
        add(parts, "", SystemFields.bytes(system.at("/memory/total_bytes")), " memory");
        add(parts, "swap ", SystemFields.bytes(system.at("/memory/swap_total_bytes")), "");
        add(parts, "", SystemFields.text(system, "/os/name"), "");
        add(parts, "kernel ", SystemFields.text(system, "/kernel/release"), "");
        add(parts, "", SystemFields.VIRTUALIZATION.of(system), "");
        add(parts, "clock ", SystemFields.CLOCK.of(system), "");
        int unread = system.path("unread").size();
        return sanitize(host) + ": " + sanitize(String.join(", ", parts)) + (unread == 0 ? "" : " (" + unread
                + " fields unread)");
    }

    private static void add(List<String> parts, String before, String value, String after) {
        if (value != null) {
            parts.add(before + value + after);
        }
    }
}
