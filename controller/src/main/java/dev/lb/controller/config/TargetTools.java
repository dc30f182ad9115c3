package dev.lb.controller.config;

import dev.lb.protocol.WorkloadPlan;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.protocol.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The programs a config's workloads run on each target, one entry per distinct program: what {@code lb doctor -c}
 * checks there and what {@code install_tools} installs. The role's lb_tool_check module gets this list as
 * {@code lb_tools}; the doctor matches its answers back by {@link Tool#label}.
 */
public final class TargetTools {
    /** The Debian package that puts each tool lb knows on PATH (k6 has none: it is installed by hand). */
    static final Map<String, String> DEBIAN_PACKAGE = Map.of(
            "stress-ng", "stress-ng", "fio", "fio", "sysbench", "sysbench");

    private TargetTools() {
    }

    /**
     * One program. {@code kind}: {@code tool} (stress-ng, fio, sysbench: missing fails, install_tools installs
     * {@code debianPackage}), {@code k6} (missing fails; installed by hand), {@code command} (argv[0] of a command
     * workload: missing only warns, an earlier workload may create it). {@code versionArgs} are empty for commands:
     * lb never runs a command's program only to look at it. {@code pathVariable} and {@code cwd} are the workload's
     * own PATH and working directory, when it sets them: the agent finds the program with those.
     */
    public record Tool(String label, String kind, String executable, List<String> versionArgs, String debianPackage,
                       String pathVariable, String cwd) {
        public boolean required() {
            return !kind.equals("command");
        }
    }

    public static List<Tool> of(RunConfig config) {
        Map<List<Object>, Tool> tools = new LinkedHashMap<>();
        List<String> labels = new ArrayList<>();
        for (WorkloadPlan w : config.workloads()) {
            String kind;
            String name;
            String executable;
            List<String> versionArgs;
            if (WorkloadPlan.TOOLS.contains(w.type())) {
                kind = "tool";
                name = w.type();
                executable = w.binary() != null ? w.binary() : w.type();
                versionArgs = List.of("--version");
            } else if (w.type().equals("k6")) {
                kind = "k6";
                name = "k6";
                executable = w.k6Binary() != null ? w.k6Binary() : "k6";
                versionArgs = List.of("version");
            } else {
                kind = "command";
                name = w.argv().get(0);
                executable = name;
                versionArgs = List.of();
            }
            String pathVariable = w.env().get("PATH");
            // The working directory matters only to a relative path with a slash (execvp's rule).
            String cwd = executable.contains("/") && !executable.startsWith("/") ? w.cwd() : null;
            List<Object> key = java.util.Arrays.asList(kind, executable, pathVariable, cwd);
            if (tools.containsKey(key)) {
                continue;
            }
            String label = executable.equals(name) ? name : name + " (" + executable + ")";
            if (labels.contains(label)) {
                // The same program under another PATH or working directory: told apart by its first workload.
                label = label + " for workload " + w.name();
            }
            labels.add(label);
            tools.put(key, new Tool(label, kind, executable, versionArgs,
                    kind.equals("tool") ? DEBIAN_PACKAGE.get(w.type()) : null, pathVariable, cwd));
        }
        return List.copyOf(tools.values());
    }

    /** The list as the role's {@code lb_tools} variable. */
    public static ArrayNode asJson(List<Tool> tools) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (Tool t : tools) {
            ObjectNode o = array.addObject();
            o.put("label", t.label());
            o.put("kind", t.kind());
            o.put("executable", t.executable());
            ArrayNode versionArgs = o.putArray("version_args");
            t.versionArgs().forEach(versionArgs::add);
            o.put("package", t.debianPackage());
            o.put("path", t.pathVariable());
            o.put("cwd", t.cwd());
        }
        return array;
    }
}
