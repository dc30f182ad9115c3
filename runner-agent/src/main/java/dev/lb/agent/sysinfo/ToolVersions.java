package dev.lb.agent.sysinfo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.WorkloadPlan;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The versions of the benchmark tools: stress-ng, fio, sysbench and k6 when on PATH, and the programs the run's
 * workloads name (a path of their own replaces the bare name). Each tool's first output line of
 * {@code --version} ({@code version} for k6), with where it was found.
 */
final class ToolVersions {
    /** Every workload type lb parses itself: the tools, then k6 (the plan owns the list). */
    static final List<String> KNOWN = java.util.stream.Stream.concat(WorkloadPlan.TOOLS.stream(),
            java.util.stream.Stream.of(WorkloadPlan.K6)).toList();
    private static final int MAX_VERSION_CHARS = 200;

    private final SystemSources sources;

    ToolVersions(SystemSources sources) {
        this.sources = sources;
    }

    /** {@code given}: tool name to executable, from the run's workloads; the known tools are asked for by name. */
    void read(Findings f, Map<String, String> given) {
        Map<String, String> tools = new LinkedHashMap<>();
        KNOWN.forEach(t -> tools.put(t, t));
        tools.putAll(given);
        ObjectNode section = f.section("tools");
        tools.forEach((name, executable) -> {
            List<String> argv = List.of(executable, name.equals("k6") ? "version" : "--version");
            try {
                Optional<SystemSources.CommandOutput> out = sources.commands().run(argv);
                if (out.isEmpty()) {
                    f.unread("tools", name, executable + " is not on PATH");
                } else if (out.get().exitCode() != 0) {
                    f.unread("tools", name, String.join(" ", argv) + " exited " + out.get().exitCode() + ": "
                            + clip(out.get().firstLine()));
                } else {
                    ObjectNode t = section.putObject(name);
                    t.put("version", clip(out.get().firstLine()));
                    if (!executable.equals(name)) {
                        t.put("executable", executable);
                    }
                }
            } catch (IOException e) {
                f.unread("tools", name, String.join(" ", argv) + ": " + e.getMessage());
            }
        });
    }

    private static String clip(String s) {
        return s.length() <= MAX_VERSION_CHARS ? s : s.substring(0, MAX_VERSION_CHARS) + "...";
    }
}
