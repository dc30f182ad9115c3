package dev.lb.controller.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lb.controller.config.RunConfig;
import dev.lb.controller.config.TargetTools;
import java.util.ArrayList;
import java.util.List;

/**
 * One line per program the config's workloads run, per target, from the doctor playbook's answer (the lb_tool_check
 * module's {@code tools}, matched by label). A missing stress-ng, fio, sysbench or k6 fails; a missing argv[0] of a
 * command only warns, since an earlier workload may create it. What the target printed is kept as text; the doctor
 * command sanitizes every line it prints.
 */
final class ToolChecks {
    static final String K6_INSTALL = "https://grafana.com/docs/k6/latest/set-up/install-k6/";

    private ToolChecks() {
    }

    static List<Check> forHost(String host, JsonNode result, RunConfig config) {
        List<Check> checks = new ArrayList<>();
        for (TargetTools.Tool tool : TargetTools.of(config)) {
            checks.add(check(host, tool, answerFor(tool, result.path("tools")), result.path("tools_error").asText(""),
                    config.targets().installTools()));
        }
        return checks;
    }

    private static JsonNode answerFor(TargetTools.Tool tool, JsonNode answers) {
        for (JsonNode a : answers) {
            if (tool.label().equals(a.path("label").asText())) {
                return a;
            }
        }
        return null;
    }

    static Check check(String host, TargetTools.Tool tool, JsonNode a, String moduleError, boolean installTools) {
        String name = tool.label() + " on " + host;
        if (a == null) {
            String detail = "not checked: " + (moduleError.isEmpty() ? "the doctor playbook reported nothing for it"
                    : moduleError);
            return tool.required() ? Check.fail(name, detail, "see the doctor playbook's log")
                    : Check.warning(name, detail);
        }
        if (a.path("found").asBoolean()) {
            String path = a.path("path").asText();
            String error = a.path("error").asText("");
            if (!error.isEmpty()) {
                return Check.fail(name, path + " does not run: " + error, tool.kind().equals("k6")
                        ? "reinstall k6 (" + K6_INSTALL + ")"
                        : "reinstall it (Debian: apt-get install --reinstall " + tool.debianPackage() + ")");
            }
            String version = a.path("version").asText("");
            return Check.ok(name, version.isEmpty() ? path : path + " (" + version + ")");
        }
        String detail = tool.executable().contains("/") ? "not found: " + a.path("why").asText()
                : "not found (" + (tool.pathVariable() != null ? "the workload's own " : "") + "PATH="
                        + a.path("PATH").asText() + ")";
        return switch (tool.kind()) {
            case "command" -> Check.warning(name, detail + "; fine if an earlier workload creates it");
            case "k6" -> Check.fail(name, detail, "install k6 by hand (it is not a Debian package, install_tools"
                    + " does not install it: " + K6_INSTALL + ") or set the workload's k6_binary");
            default -> Check.fail(name, detail, missingToolFix(tool, installTools));
        };
    }

    private static String missingToolFix(TargetTools.Tool tool, boolean installTools) {
        String apt = "apt-get install " + tool.debianPackage();
        if (tool.executable().contains("/")) {
            return "correct the workload's binary:, or remove it and install the Debian package (" + apt + ")";
        }
        return installTools ? "lb installs it at setup (install_tools: true)"
                : "install it (Debian: " + apt + ") or set targets.install_tools: true";
    }
}
