package dev.lb.controller.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import dev.lb.protocol.WorkloadPlan;
import dev.lb.results.StabilityRule;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import dev.lb.history.gate.MinimumChange;

/**
 * Reads a YAML run config into a {@link RunConfig}. Works on the YAML node tree, not on maps, so every problem names
 * its key path and line ({@code workloads[1].argv (line 12): expected a list of strings}). All problems are
 * collected before failing; unknown keys are problems too (a misspelt key must not be silently ignored).
 */
public final class ConfigLoader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final List<String> problems = new ArrayList<>();
    private final Path base;

    private ConfigLoader(Path base) {
        this.base = base;
    }

    /** A config is a page of YAML; anything larger is a mistake (a wrong file), refused before it is parsed. */
    static final int MAX_BYTES = 1 << 20;

    public static RunConfig load(Path file) throws ConfigException {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ConfigException(file.toString(), List.of("is " + size + " bytes; a config is at most "
                        + MAX_BYTES + " bytes (1 MiB): is this the right file?"));
            }
            text = utf8(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of("no such file"));
        } catch (NotUtf8 e) {
            throw new ConfigException(file.toString(), List.of(e.getMessage()));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of("cannot read: " + e.getMessage()));
        }
        return parse(file.toString(), text, file.toAbsolutePath().getParent());
    }

    /** The text, or a problem naming the line and byte of the first sequence that is not UTF-8. */
    private static String utf8(byte[] bytes) throws java.nio.charset.CharacterCodingException {
        java.nio.charset.CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length);
        java.nio.charset.CoderResult r = decoder.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new NotUtf8("line " + line + ", byte " + (at - lineStart + 1) + " of the line: not UTF-8 text (0x"
                    + String.format("%02x", bytes[at] & 0xff) + "); save the config as UTF-8");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    private static final class NotUtf8 extends java.nio.charset.CharacterCodingException {
        private final String message;

        NotUtf8(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }

    public static RunConfig parse(String name, String text, Path base) throws ConfigException {
        Node root;
        try (Reader r = new java.io.StringReader(text)) {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            // Bounds for a hostile or broken file: no alias bombs, no deep nesting, no huge document.
            options.setMaxAliasesForCollections(20);
            options.setNestingDepthLimit(40);
            options.setCodePointLimit(MAX_BYTES);
            root = new Yaml(options).compose(r);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(name, List.of("line " + (e.getProblemMark().getLine() + 1) + ": invalid YAML: "
                    + e.getProblem()));
        } catch (org.yaml.snakeyaml.error.YAMLException | IOException e) {
            throw new ConfigException(name, List.of("invalid YAML: " + e.getMessage()));
        }
        if (root == null) {
            throw new ConfigException(name, List.of("the file is empty"));
        }
        ConfigLoader loader = new ConfigLoader(base);
        RunConfig config = loader.root(root, name);
        if (!loader.problems.isEmpty()) {
            throw new ConfigException(name, loader.problems);
        }
        return config;
    }

    /** More ansible-playbook processes than this would only compete for the controller's cores. */
    public static final int MAX_SLICES = 64;

    private RunConfig root(Node root, String fileName) {
        Map<String, Node> m = mapping(root, "(top level)", Set.of("name", "run_id", "output_dir", "repetitions",
                "cooldown_s", "poll_interval_s", "poll_batch_s", "timeouts", "targets", "workloads", "containers",
                "metrics_interval_s", "warmup", "sync", "slices", "export", "history", "labels", "regression"));
        if (m == null) {
            return null;
        }
        String name = string(m, "name", "", false);
        String runId = string(m, "run_id", "", false);
        if (runId != null && !runId.equals("auto") && !RUN_ID.matcher(runId).matches()) {
            problem("run_id", m.get("run_id"), "must be 'auto' or letters, digits, '.', '_', '-' (up to 64)");
        }
        String out = string(m, "output_dir", "", false);
        StabilityRule untilStable = null;
        int reps;
        if (m.get("repetitions") instanceof MappingNode) {
            Map<String, Node> a = mapping(m.get("repetitions"), "repetitions", Set.of("min", "max", "until_cv", "metric"));
            reps = a == null ? 1 : (int) number(a, "max", "repetitions.", 10, 2, 100_000, true);
            int min = a == null ? 2 : (int) number(a, "min", "repetitions.", 3, 2, 100_000, true);
            double cv = a == null ? 0.05 : number(a, "until_cv", "repetitions.", 0.05, 1e-9, 10, false);
            String metric = a == null ? null : string(a, "metric", "repetitions.", true);
            if (a != null && min > reps) {
                problem("repetitions.min", a.get("min"), "is more than repetitions.max (" + reps + ")");
            } else if (metric != null && !metric.isBlank()) {
                untilStable = new StabilityRule(min, cv, metric);
            }
        } else {
            reps = (int) number(m, "repetitions", "", 1, 1, 100_000, true);
        }
        int warmup = (int) number(m, "warmup", "", 0, 0, 1_000, true);
        double cooldown = number(m, "cooldown_s", "", 0, 0, 86_400, false);
        RunConfig.Polling polling = new RunConfig.Polling(
                number(m, "poll_interval_s", "", RunConfig.Polling.DEFAULT_INTERVAL_S, 0.05, 60, false),
                number(m, "poll_batch_s", "", RunConfig.Polling.DEFAULT_BATCH_S, 0, 5, false));
        int slices = m.get("slices") instanceof ScalarNode s && s.getValue().trim().equals("auto")
                ? RunConfig.AUTO_SLICES : (int) number(m, "slices", "", 1, 1, MAX_SLICES, true);
        boolean sync = bool(m, "sync", "", false);
        if (sync && slices != 1) {
            // The barrier is Ansible's linear strategy inside one ansible-playbook: a slice would wait for its own
            // hosts only, which is not what sync promises.
            problem("sync", m.get("sync"), "a barrier across every target needs one ansible-playbook: it cannot be"
                    + " combined with slices (" + (slices == RunConfig.AUTO_SLICES ? "auto" : slices) + "); use slices: 1");
        }
        Map<String, Node> t = m.containsKey("timeouts") ? mapping(m.get("timeouts"), "timeouts",
                Set.of("repetition_s", "run_s", "stop_grace_s", "unreachable_retry_s", "no_answer_warn_s",
                        "no_answer_end_s")) : Map.of();
        RunConfig.Timeouts timeouts = t == null ? null : timeouts(t, polling);
        RunConfig.Targets targets = targets(m.get("targets"));
        double metricsInterval = number(m, "metrics_interval_s", "", WorkloadPlan.DEFAULT_METRICS_INTERVAL_S, 0,
                3600, false);
        List<WorkloadPlan> workloads = workloads(m.get("workloads"), metricsInterval);
        RunConfig.Containers containers = m.containsKey("containers") ? containers(m.get("containers")) : null;
        if (untilStable != null) {
            for (WorkloadPlan w : workloads) {
                List<String> reported = w.type().equals("command") ? commandMetrics(w) : null;
                if (reported != null && !reported.contains(untilStable.metric())) {
                    problem("repetitions.metric", m.get("repetitions"), "command workload '" + w.name()
                            + "' reports no metric '" + untilStable.metric() + "' (it reports: "
                            + String.join(", ", reported) + "), so it can never become stable");
                }
            }
        }
        RunConfig.History history = history(m);
        return new RunConfig(name != null ? name : Path.of(fileName).getFileName().toString(),
                runId == null || runId.equals("auto") ? null : runId,
                out == null ? Path.of("runs") : resolve(out),
                new RunConfig.Repetitions(reps, warmup, cooldown, untilStable, sync), timeouts, polling, targets,
                workloads, containers, null, slices, m.containsKey("export") ? export(m.get("export"))
                : RunConfig.Export.NONE, history);
    }

    /**
     * {@code timeouts:}. The watchdog's bounds are held to what a healthy host can take between two poll results (a
     * connection retried for {@code unreachable_retry_s}, a batch, two poll intervals): a second bound at or below it
     * would end a run that only rides out an SSH blip, a first bound at or below a batch and two intervals would be
     * said of every healthy host. Absent, the second bound is 120 s, or that least silence plus 30 s when more.
     */
    private RunConfig.Timeouts timeouts(Map<String, Node> t, RunConfig.Polling polling) {
        double retry = number(t, "unreachable_retry_s", "timeouts.", RunConfig.Timeouts.DEFAULT_UNREACHABLE_RETRY_S, 0,
                86_400, false);
        double healthy = RunConfig.Timeouts.longestHealthySilenceS(retry, polling);
        double pollGap = RunConfig.Timeouts.longestHealthySilenceS(0, polling);
        double warn = number(t, "no_answer_warn_s", "timeouts.", Math.max(RunConfig.Timeouts.DEFAULT_NO_ANSWER_WARN_S,
                pollGap + 5), 1, 7 * 86_400, false);
        double end = number(t, "no_answer_end_s", "timeouts.", Math.max(RunConfig.Timeouts.DEFAULT_NO_ANSWER_END_S,
                healthy + 30), 1, 7 * 86_400, false);
        if (end <= healthy) {
            String key = t.containsKey("no_answer_end_s") ? "no_answer_end_s" : "unreachable_retry_s";
            problem("timeouts." + key, t.get(key), "timeouts.no_answer_end_s (" + fmt(end) + " s) must be more than"
                    + " timeouts.unreachable_retry_s + poll_batch_s + 2 x poll_interval_s (" + fmt(retry) + " + "
                    + fmt(polling.batchS()) + " + 2 x " + fmt(polling.intervalS()) + " = " + fmt(healthy) + " s): a host"
                    + " riding out an SSH blip would be taken for a stuck one");
        } else if (warn >= end) {
            String key = t.containsKey("no_answer_warn_s") ? "no_answer_warn_s" : "no_answer_end_s";
            problem("timeouts." + key, t.get(key), "timeouts.no_answer_warn_s (" + fmt(warn)
                    + " s) must be less than timeouts.no_answer_end_s (" + fmt(end) + " s)");
        } else if (warn <= pollGap) {
            problem("timeouts.no_answer_warn_s", t.get("no_answer_warn_s"), "timeouts.no_answer_warn_s (" + fmt(warn)
                    + " s) must be more than poll_batch_s + 2 x poll_interval_s (" + fmt(pollGap) + " s), the gap"
                    + " between two results of a healthy host");
        }
        return new RunConfig.Timeouts(
                number(t, "repetition_s", "timeouts.", RunConfig.Timeouts.DEFAULT_REPETITION_S, 1, 7 * 86_400, false),
                number(t, "run_s", "timeouts.", RunConfig.Timeouts.DEFAULT_RUN_S, 1, 30 * 86_400, false),
                number(t, "stop_grace_s", "timeouts.", RunConfig.Timeouts.DEFAULT_STOP_GRACE_S, 0, 3600, false),
                0, retry, warn, end);
    }

    /**
     * {@code export:}: one URL per kind ({@code remote_write}, {@code pushgateway}, {@code loki}) and the exporters'
     * limits; each URL checked as {@code --export} checks it.
     */
    /** {@code history: {url}}, {@code labels: {KEY: VALUE}} and the {@code regression:} block. */
    private RunConfig.History history(Map<String, Node> top) {
        String url = null;
        if (top.containsKey("history")) {
            Map<String, Node> h = mapping(top.get("history"), "history", Set.of("url"));
            url = h == null ? null : string(h, "url", "history.", false);
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (top.containsKey("labels")) {
            Map<String, Node> l = mapping(top.get("labels"), "labels", null);
            if (l != null) {
                l.forEach((k, v) -> {
                    if (k.isBlank() || k.contains("=")) {
                        problem("labels." + k, v, "a label's name is not empty and holds no '='");
                    } else if (v instanceof ScalarNode sc) {
                        labels.put(k, sc.getValue());
                    } else {
                        problem("labels." + k, v, "expected a string");
                    }
                });
            }
        }
        MinimumChange minChange = top.containsKey("regression") ? regression(top.get("regression")) : null;
        return new RunConfig.History(url, labels, minChange);
    }

    /**
     * {@code regression: {min_change_pct: PCT, metrics: [{match: REGEX, min_change_pct: PCT}, ...]}}: the gate's
     * smallest change that is a regression, by default and per metric (the first rule whose regex matches the whole
     * metric name decides).
     */
    private MinimumChange regression(Node node) {
        Map<String, Node> r = mapping(node, "regression", Set.of("min_change_pct", "metrics"));
        if (r == null) {
            return null;
        }
        double pct = number(r, "min_change_pct", "regression.", MinimumChange.DEFAULT.defaultPercent(), 0, 1000,
                false);
        List<MinimumChange.Rule> rules = new ArrayList<>();
        List<Node> items = r.containsKey("metrics") ? sequence(r.get("metrics"), "regression.metrics") : null;
        for (int i = 0; items != null && i < items.size(); i++) {
            String at = "regression.metrics[" + i + "]";
            Map<String, Node> rule = mapping(items.get(i), at, Set.of("match", "min_change_pct"));
            if (rule == null) {
                continue;
            }
            String regex = string(rule, "match", at + ".", true);
            if (!rule.containsKey("min_change_pct")) {
                problem(at + ".min_change_pct", items.get(i), "missing");
                continue;
            }
            double rulePct = number(rule, "min_change_pct", at + ".", -1, 0, 1000, false);
            if (regex != null && rulePct >= 0) {
                try {
                    rules.add(MinimumChange.Rule.of(regex, rulePct));
                } catch (IllegalArgumentException e) {
                    problem(at + ".match", rule.get("match"), e.getMessage());
                }
            }
        }
        return new MinimumChange(pct, rules);
    }

    private RunConfig.Export export(Node node) {
        Map<String, Node> m = mapping(node, "export", Set.of("remote_write", "pushgateway", "loki", "queue_items",
                "batch_items", "retry_s", "flush_s", "loki_samples", "prometheus"));
        if (m == null) {
            return RunConfig.Export.NONE;
        }
        List<RunConfig.Endpoint> endpoints = new ArrayList<>();
        for (String key : List.of("remote_write", "pushgateway", "loki")) {
            String url = string(m, key, "export.", false);
            if (url != null) {
                try {
                    endpoints.add(RunConfig.Export.endpoint(key.replace('_', '-'), url.trim()));
                } catch (IllegalArgumentException e) {
                    problem("export." + key, m.get(key), e.getMessage());
                }
            }
        }
        return new RunConfig.Export(List.copyOf(endpoints),
                (int) number(m, "queue_items", "export.", RunConfig.Export.DEFAULT_QUEUE_ITEMS, 10, 10_000_000, true),
                (int) number(m, "batch_items", "export.", RunConfig.Export.DEFAULT_BATCH_ITEMS, 1, 100_000, true),
                number(m, "retry_s", "export.", RunConfig.Export.DEFAULT_RETRY_S, 0, 3600, false),
                number(m, "flush_s", "export.", RunConfig.Export.DEFAULT_FLUSH_S, 0, 600, false),
                bool(m, "loki_samples", "export.", true), metricsListen(m.get("prometheus")));
    }

    /** {@code export.prometheus.listen}: HOST:PORT for /metrics, or null. */
    private String metricsListen(Node node) {
        Map<String, Node> p = node == null ? null : mapping(node, "export.prometheus", Set.of("listen"));
        String listen = p == null ? null : string(p, "listen", "export.prometheus.", false);
        if (listen == null) {
            return null;
        }
        try {
            return RunConfig.Export.listen(listen.trim());
        } catch (IllegalArgumentException e) {
            problem("export.prometheus.listen", p.get("listen"), e.getMessage());
            return null;
        }
    }

    private RunConfig.Containers containers(Node node) {
        Map<String, Node> m = mapping(node, "containers", Set.of("namespaces", "id_pattern", "track", "ctr", "artifacts_dir"));
        if (m == null) {
            return null;
        }
        List<String> namespaces = m.containsKey("namespaces") ? strings(m.get("namespaces"), "containers.namespaces") : List.of();
        List<String> track = m.containsKey("track") ? strings(m.get("track"), "containers.track") : List.of();
        List<String> ctr = m.containsKey("ctr") ? strings(m.get("ctr"), "containers.ctr") : List.of("ctr");
        String pattern = string(m, "id_pattern", "containers.", false);
        if (pattern != null) {
            try {
                java.util.regex.Pattern.compile(pattern);
            } catch (java.util.regex.PatternSyntaxException e) {
                problem("containers.id_pattern", m.get("id_pattern"), "not a regular expression: " + e.getDescription());
            }
        }
        for (int i = 0; i < track.size(); i++) {
            if (!track.get(i).matches("[^/]+/.+")) {
                problem("containers.track[" + i + "]", m.get("track"), "expected NAMESPACE/ID, got '" + track.get(i) + "'");
            }
        }
        if (namespaces.isEmpty() && pattern == null && track.isEmpty()) {
            problem("containers", node, "needs namespaces, id_pattern or track: otherwise nothing is watched");
        }
        return new RunConfig.Containers(namespaces, pattern, track, ctr, string(m, "artifacts_dir", "containers.", false));
    }

    private RunConfig.Targets targets(Node node) {
        if (node == null) {
            problems.add("targets: missing (an inventory file or a list of hosts)");
            return null;
        }
        Map<String, Node> m = mapping(node, "targets", Set.of("inventory", "hosts", "test_targets", "install_java",
                "target_root", "keep_target_dirs", "install_tools"));
        if (m == null) {
            return null;
        }
        String inventory = string(m, "inventory", "targets.", false);
        boolean testTargets = bool(m, "test_targets", "targets.", false);
        boolean installJava = bool(m, "install_java", "targets.", false);
        String root = string(m, "target_root", "targets.", false);
        boolean keepDirs = bool(m, "keep_target_dirs", "targets.", false);
        boolean installTools = bool(m, "install_tools", "targets.", false);
        List<RunConfig.Host> hosts = new ArrayList<>();
        Map<String, Node> hostNames = new java.util.HashMap<>();
        if (m.containsKey("hosts")) {
            List<Node> items = sequence(m.get("hosts"), "targets.hosts");
            for (int i = 0; items != null && i < items.size(); i++) {
                String path = "targets.hosts[" + i + "]";
                Map<String, Node> h = mapping(items.get(i), path, Set.of("name", "address", "port", "user",
                        "ssh_key", "connection", "python"));
                if (h == null) {
                    continue;
                }
                String name = string(h, "name", path + ".", true);
                if (name != null && !NAME.matcher(name).matches()) {
                    problem(path + ".name", h.get("name"), "must be letters, digits, '.', '_', '-'");
                } else if (name != null && hostNames.putIfAbsent(name, h.get("name")) != null) {
                    // Two hosts of one name are one inventory host: one of them would never run.
                    problem(path + ".name", h.get("name"), "'" + name + "' is used by another host (line "
                            + (hostNames.get(name).getStartMark().getLine() + 1) + ")");
                }
                String connection = string(h, "connection", path + ".", false);
                if (connection != null && !connection.equals("ssh") && !connection.equals("local")) {
                    problem(path + ".connection", h.get("connection"), "must be ssh or local");
                }
                Integer port = h.containsKey("port") ? (int) number(h, "port", path + ".", 22, 1, 65535, true) : null;
                String key = string(h, "ssh_key", path + ".", false);
                if (key != null && !Files.isReadable(resolve(key))) {
                    problem(path + ".ssh_key", h.get("ssh_key"), "file " + resolve(key) + (Files.exists(resolve(key))
                            ? " is not readable by this user" : " does not exist"));
                }
                hosts.add(new RunConfig.Host(name, string(h, "address", path + ".", false), port,
                        string(h, "user", path + ".", false), key == null ? null : resolve(key),
                        connection == null ? "ssh" : connection, string(h, "python", path + ".", false)));
            }
        }
        if (inventory == null && hosts.isEmpty()) {
            problem("targets", node, "needs 'inventory' (a file) or 'hosts' (a list)");
        }
        if (inventory != null && !hosts.isEmpty()) {
            problem("targets", node, "has both 'inventory' and 'hosts'; use one");
        }
        Path inv = inventory == null ? null : resolve(inventory);
        if (inv != null && !Files.isReadable(inv)) {
            problem("targets.inventory", m.get("inventory"), "file " + inv + " does not exist or is not readable");
        }
        return new RunConfig.Targets(inv, hosts, testTargets, installJava, root == null ? "~/.cache/lb/runs" : root,
                keepDirs, installTools);
    }

    /** What a command workload reports: its declared metrics, then the wall time lb measures. */
    private static List<String> commandMetrics(WorkloadPlan w) {
        List<String> names = new ArrayList<>();
        if (w.resultsJson() != null) {
            dev.lb.results.DeclaredMetric.listFromJson(w.resultsJson()).forEach(d -> names.add(d.name()));
        }
        names.add(dev.lb.results.WallTime.METRIC);
        return names;
    }

    private List<WorkloadPlan> workloads(Node node, double metricsIntervalS) {
        List<WorkloadPlan> out = new ArrayList<>();
        if (node == null) {
            problems.add("workloads: missing (a list of workloads)");
            return out;
        }
        List<Node> items = sequence(node, "workloads");
        if (items != null && items.isEmpty()) {
            problem("workloads", node, "is empty");
        }
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            String path = "workloads[" + i + "]";
            int problemsBefore = problems.size();
            Map<String, Node> w = mapping(items.get(i), path, Set.of("name", "type", "argv", "args", "env", "cwd",
                    "timeout_s", "script", "k6_binary", "binary", "results", "metrics_interval_s",
                    "before_repetition", "after_repetition", "nice", "cpus"));
            if (w == null) {
                continue;
            }
            String name = string(w, "name", path + ".", true);
            if (name != null && !NAME.matcher(name).matches()) {
                // Like host names: a workload's name is shown, used in file names and matched against events.
                problem(path + ".name", w.get("name"), "must be letters, digits, '.', '_', '-' (up to 63), starting"
                        + " with a letter or digit");
            } else if (name != null && !names.add(name)) {
                problem(path + ".name", w.get("name"), "'" + name + "' is used by another workload");
            }
            String type = string(w, "type", path + ".", false);
            type = type == null ? "command" : type;
            boolean tool = WorkloadPlan.TOOLS.contains(type);
            List<String> argv = w.containsKey("argv") ? strings(w.get("argv"), path + ".argv") : List.of();
            if (tool) {
                if (w.containsKey("argv")) {
                    problem(path + ".argv", w.get("argv"), "a " + type + " workload takes args (the tool's arguments;"
                            + " lb runs " + type + " itself), not argv");
                }
                argv = w.containsKey("args") ? strings(w.get("args"), path + ".args") : List.of();
            } else if (w.containsKey("args")) {
                problem(path + ".args", w.get("args"), "args are for stress-ng, fio and sysbench workloads; a " + type
                        + " workload takes " + (type.equals("k6") ? "script" : "argv"));
            }
            if (type.equals("command") && argv.isEmpty()) {
                problem(path + ".argv", w.getOrDefault("argv", items.get(i)),
                        "a command workload needs argv: a non-empty list of strings (never a shell string)");
            } else if (!type.equals("command") && !type.equals("k6") && !tool) {
                problem(path + ".type", w.get("type"), "unknown workload type '" + type + "': expected command, k6, "
                        + String.join(", ", WorkloadPlan.TOOLS));
            }
            String resultsJson = null;
            if (w.containsKey("results")) {
                if (type.equals("command")) {
                    resultsJson = declaredResults(w.get("results"), path + ".results");
                } else {
                    problem(path + ".results", w.get("results"), "results are declared for command workloads; a "
                            + type + " workload's results are read by lb's " + type + " parser");
                }
            }
            String script = string(w, "script", path + ".", false);
            if (type.equals("k6") && script == null) {
                problem(path + ".script", items.get(i), "a k6 workload needs script (its path on the target)");
            }
            Map<String, String> env = new LinkedHashMap<>();
            if (w.containsKey("env")) {
                Map<String, Node> e = mapping(w.get("env"), path + ".env", null);
                if (e != null) {
                    e.forEach((k, v) -> {
                        if (v instanceof ScalarNode s) {
                            env.put(k, s.getValue());
                        } else {
                            problem(path + ".env." + k, v, "expected a string");
                        }
                    });
                }
            }
            Double timeout = w.containsKey("timeout_s") ? number(w, "timeout_s", path + ".", 0, 0.1, 7 * 86_400, false)
                    : null;
            double interval = w.containsKey("metrics_interval_s")
                    ? number(w, "metrics_interval_s", path + ".", metricsIntervalS, 0, 3600, false)
                    : metricsIntervalS;
            Integer nice = w.containsKey("nice") ? (int) number(w, "nice", path + ".", 0, WorkloadPlan.NICE_MIN,
                    WorkloadPlan.NICE_MAX, true) : null;
            List<String> before = hookArgv(w, "before_repetition", path);
            List<String> after = hookArgv(w, "after_repetition", path);
            if (name == null || problems.size() > problemsBefore) {
                continue; // said above, with its line: the plan would only repeat it
            }
            try {
                out.add(new WorkloadPlan(name, type, argv, env, string(w, "cwd", path + ".", false), timeout, script,
                        string(w, "k6_binary", path + ".", false), string(w, "binary", path + ".", false),
                        resultsJson == null ? null : json(resultsJson), interval, before, after, nice,
                        string(w, "cpus", path + ".", false)));
            } catch (IllegalArgumentException e) {
                problem(path, items.get(i), e.getMessage());
            }
        }
        return out;
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String checked) {
        try {
            return dev.lb.protocol.Json.MAPPER.readTree(checked);
        } catch (IOException e) {
            throw new IllegalStateException("made here as JSON: " + checked, e);
        }
    }

    /** A command run around each repetition (before_repetition, after_repetition): an argv; null when absent. */
    private List<String> hookArgv(Map<String, Node> w, String key, String path) {
        Node node = w.get(key);
        if (node == null) {
            return null;
        }
        String at = path + "." + key;
        if (node instanceof ScalarNode) {
            problem(at, node, "expected a list of strings (the command's argv, never a shell string), e.g."
                    + " [sh, -c, \"sync; echo 3 > /proc/sys/vm/drop_caches\"]");
            return null;
        }
        List<String> argv = strings(node, at);
        if (node instanceof SequenceNode sn && sn.getValue().isEmpty()) {
            problem(at, node, "is empty; expected the command's argv, a non-empty list of strings");
        } else if (!argv.isEmpty() && argv.get(0).isEmpty()) {
            problem(at + "[0]", ((SequenceNode) node).getValue().get(0), "the command is empty");
        }
        return argv.isEmpty() ? null : argv;
    }

    /**
     * A command's declared metrics, as the JSON array the agent reads: each {name, unit, regex} or {name, unit, file,
     * pointer}. Checked here as the agent will check them, so a mistake is reported with its line before anything runs.
     */
    private String declaredResults(Node node, String path) {
        List<Node> items = sequence(node, path);
        if (items == null) {
            return null;
        }
        com.fasterxml.jackson.databind.node.ArrayNode array = dev.lb.protocol.Json.MAPPER.createArrayNode();
        boolean itemsValid = true;
        for (int i = 0; i < items.size(); i++) {
            String at = path + "[" + i + "]";
            Map<String, Node> d = mapping(items.get(i), at, Set.of("name", "unit", "regex", "file", "pointer"));
            if (d == null) {
                itemsValid = false;
                continue;
            }
            com.fasterxml.jackson.databind.node.ObjectNode o = array.addObject();
            for (String key : List.of("name", "unit", "regex", "file", "pointer")) {
                String value = string(d, key, at + ".", false);
                if (value != null) {
                    o.put(key, value);
                }
            }
            try {
                dev.lb.results.DeclaredMetric.listFromJson(dev.lb.protocol.Json.MAPPER.createArrayNode().add(o).toString());
            } catch (IllegalArgumentException e) {
                itemsValid = false;
                problem(at, items.get(i), e.getMessage());
            }
        }
        if (itemsValid) {
            try {
                dev.lb.results.DeclaredMetric.listFromJson(array.toString());
            } catch (IllegalArgumentException e) {
                problem(path, node, e.getMessage()); // what only the whole list shows: a name declared twice
            }
        }
        return items.isEmpty() ? null : array.toString();
    }

    // ---- typed access with key paths and lines -------------------------------------------------------------------

    /** The allowed key within two edits of a misspelt one (Levenshtein), or null. */
    static String closest(String key, Set<String> allowed) {
        String best = null;
        int bestDistance = 3;
        for (String a : new java.util.TreeSet<>(allowed)) {
            int d = distance(key, a);
            if (d < bestDistance) {
                best = a;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    private Map<String, Node> mapping(Node node, String path, Set<String> allowed) {
        if (!(node instanceof MappingNode mn)) {
            problem(path, node, "expected a mapping (key: value)");
            return null;
        }
        Map<String, Node> m = new LinkedHashMap<>();
        Map<String, Node> keys = new java.util.HashMap<>();
        for (NodeTuple t : mn.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                problem(path, t.getKeyNode(), "keys must be plain strings");
                continue;
            }
            Node first = keys.putIfAbsent(k.getValue(), k);
            if (first != null) {
                // YAML would let the last one win in silence: which one is meant cannot be known.
                problem(prefix(path) + k.getValue(), k, "duplicate key (first at line "
                        + (first.getStartMark().getLine() + 1) + ")");
                continue;
            }
            if (allowed != null && !allowed.contains(k.getValue())) {
                String near = closest(k.getValue(), allowed);
                problem(prefix(path) + k.getValue(), k, "unknown key; " + (near == null ? "" : "did you mean '" + near
                        + "'? ") + "expected one of " + new java.util.TreeSet<>(allowed));
                continue;
            }
            m.put(k.getValue(), t.getValueNode());
        }
        return m;
    }

    private List<Node> sequence(Node node, String path) {
        if (!(node instanceof SequenceNode sn)) {
            problem(path, node, "expected a list");
            return null;
        }
        return sn.getValue();
    }

    private List<String> strings(Node node, String path) {
        List<Node> items = sequence(node, path);
        List<String> out = new ArrayList<>();
        for (int i = 0; items != null && i < items.size(); i++) {
            if (items.get(i) instanceof ScalarNode s) {
                out.add(s.getValue());
            } else {
                problem(path + "[" + i + "]", items.get(i), "expected a string");
            }
        }
        return out;
    }

    private String string(Map<String, Node> m, String key, String prefix, boolean required) {
        Node n = m.get(key);
        if (n == null) {
            if (required) {
                problems.add(prefix + key + ": missing");
            }
            return null;
        }
        if (!(n instanceof ScalarNode s)) {
            problem(prefix + key, n, "expected a string");
            return null;
        }
        if (s.getValue().isEmpty() && required) {
            problem(prefix + key, n, "is empty");
            return null;
        }
        return s.getValue();
    }

    private double number(Map<String, Node> m, String key, String prefix, double absent, double min, double max,
                          boolean integer) {
        Node n = m.get(key);
        if (n == null) {
            return absent;
        }
        String text = n instanceof ScalarNode s ? s.getValue().trim() : null;
        try {
            if (text == null) {
                throw new NumberFormatException();
            }
            double v = integer ? Long.parseLong(text) : Double.parseDouble(text);
            if (v < min || v > max || Double.isNaN(v)) {
                problem(prefix + key, n, "is " + text + "; expected " + (integer ? "an integer" : "a number")
                        + " from " + fmt(min) + " to " + fmt(max));
                return absent;
            }
            return v;
        } catch (NumberFormatException e) {
            problem(prefix + key, n, "expected " + (integer ? "an integer" : "a number")
                    + (text == null ? "" : ", got '" + text + "'"));
            return absent;
        }
    }

    private boolean bool(Map<String, Node> m, String key, String prefix, boolean absent) {
        Node n = m.get(key);
        if (n == null) {
            return absent;
        }
        String v = n instanceof ScalarNode s ? s.getValue() : "";
        if (v.equals("true") || v.equals("yes")) {
            return true;
        }
        if (v.equals("false") || v.equals("no")) {
            return false;
        }
        problem(prefix + key, n, "expected true or false");
        return absent;
    }

    private void problem(String path, Node node, String message) {
        String line = node == null || node.getStartMark() == null ? "" : " (line " + (node.getStartMark().getLine() + 1) + ")";
        problems.add(path + line + ": " + message);
    }

    private Path resolve(String p) {
        if (p.startsWith("~/")) {
            return Path.of(System.getProperty("user.home"), p.substring(2));
        }
        Path path = Path.of(p);
        return path.isAbsolute() || base == null ? path : base.resolve(path).normalize();
    }

    private static String prefix(String path) {
        return path.equals("(top level)") ? "" : path + ".";
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
