package dev.lb.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one workload runs with, the same on both sides: the controller builds it from the config, writes its JSON
 * form into the run's extra vars (base64, so that Ansible's templating never reads a user's {@code {{ }}}), the role
 * copies it unchanged into a file on the target, and the agent decodes this same record from that file. Each setting
 * and its default is written here once; a new workload option is a component here, a config key, and the agent's use
 * of it, and nothing in between re-spells it.
 *
 * <p>What is not in the plan is per repetition (its number, warm-up or not, the run's deadline and grace) or per
 * run (the run id, the adaptive-repetition rule): the role passes those as agent flags.
 *
 * @param name              the workload's name: shown, used in file names, matched against events
 * @param type              command, k6, or a benchmark tool lb knows ({@link #TOOLS})
 * @param argv              a command's argv, or a tool's arguments (lb runs the tool itself); empty for k6
 * @param env               environment variables added for the workload and its hooks, in the config's order
 * @param cwd               working directory on the target (null: the run directory)
 * @param timeoutS          the workload's own time limit in seconds (null: only the repetition's deadline)
 * @param script            k6: the script's path on the target
 * @param k6Binary          k6: the executable, a path or a name on PATH
 * @param binary            a tool's executable when it is not the tool's name on PATH (null: the name)
 * @param results           a command's declared metrics, a JSON array of {name, unit, regex} or {name, unit, file,
 *                          pointer} (null: none; lb still times the command)
 * @param metricsIntervalS  how often system metrics are sampled during a repetition (0: never)
 * @param beforeRepetition  argv run before the workload in each repetition (null: none)
 * @param afterRepetition   argv run after the workload in each repetition (null: none)
 * @param nice              the workload's scheduling priority, -20 (highest) to 19 (lowest); null: inherited
 * @param cpus              the CPUs the workload runs on, a Linux CPU list ("2", "2-3", "0,4-5"); null: any. On a
 *                          local target lb keeps its own processes off them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "type", "argv", "env", "cwd", "timeout_s", "script", "k6_binary", "binary", "results",
        "metrics_interval_s", "before_repetition", "after_repetition", "nice", "cpus"})
public record WorkloadPlan(
        @JsonProperty("name") String name,
        @JsonProperty("type") String type,
        @JsonProperty("argv") List<String> argv,
        @JsonProperty("env") Map<String, String> env,
        @JsonProperty("cwd") String cwd,
        @JsonProperty("timeout_s") Double timeoutS,
        @JsonProperty("script") String script,
        @JsonProperty("k6_binary") String k6Binary,
        @JsonProperty("binary") String binary,
        @JsonProperty("results") JsonNode results,
        @JsonProperty("metrics_interval_s") Double metricsIntervalS,
        @JsonProperty("before_repetition") List<String> beforeRepetition,
        @JsonProperty("after_repetition") List<String> afterRepetition,
        @JsonProperty("nice") Integer nice,
        @JsonProperty("cpus") String cpus) {

    public static final String COMMAND = "command";
    public static final String K6 = "k6";
    /** The benchmark tools lb runs and parses itself: their arguments are the workload's argv. */
    public static final List<String> TOOLS = List.of("stress-ng", "fio", "sysbench");
    public static final double DEFAULT_METRICS_INTERVAL_S = 1.0;
    public static final String DEFAULT_K6_BINARY = "k6";
    public static final int NICE_MIN = -20;
    public static final int NICE_MAX = 19;
    private static final java.util.regex.Pattern CPU_LIST =
            java.util.regex.Pattern.compile("\\d{1,4}(-\\d{1,4})?(,\\d{1,4}(-\\d{1,4})?)*");

    /** The CPUs of a CPU list ("0,4-5" is 0, 4, 5). */
    public static java.util.SortedSet<Integer> cpuSet(String list) {
        java.util.SortedSet<Integer> out = new java.util.TreeSet<>();
        for (String part : list.split(",")) {
            String[] ends = part.split("-");
            int from = Integer.parseInt(ends[0]);
            int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
            for (int c = from; c <= to; c++) {
                out.add(c);
            }
        }
        return out;
    }

    /** Defaults filled in and every rule of the contract checked, so that no side holds a plan the other refuses. */
    public WorkloadPlan {
        type = type == null ? COMMAND : type;
        argv = argv == null ? List.of() : List.copyOf(argv);
        env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
        k6Binary = type.equals(K6) && k6Binary == null ? DEFAULT_K6_BINARY : k6Binary;
        metricsIntervalS = metricsIntervalS == null ? DEFAULT_METRICS_INTERVAL_S : metricsIntervalS;
        beforeRepetition = beforeRepetition == null ? null : List.copyOf(beforeRepetition);
        afterRepetition = afterRepetition == null ? null : List.copyOf(afterRepetition);
        List<String> problems = problems(name, type, argv, env, timeoutS, script, results, metricsIntervalS,
                beforeRepetition, afterRepetition, nice);
        if (cpus != null && !CPU_LIST.matcher(cpus).matches()) {
            problems.add("cpus: '" + cpus + "' is not a CPU list such as 2, 2-3 or 0,4-5");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    private static List<String> problems(String name, String type, List<String> argv, Map<String, String> env,
                                         Double timeoutS, String script, JsonNode results, double metricsIntervalS,
                                         List<String> before, List<String> after, Integer nice) {
        List<String> p = new ArrayList<>();
        if (name == null || name.isBlank()) {
            p.add("name: missing");
        }
        boolean tool = TOOLS.contains(type);
        if (!type.equals(COMMAND) && !type.equals(K6) && !tool) {
            p.add("type: unknown workload type '" + type + "': expected command, k6, " + String.join(", ", TOOLS));
        }
        if (type.equals(COMMAND) && (argv.isEmpty() || argv.get(0).isEmpty())) {
            p.add("argv: a command workload needs a non-empty argv (never a shell string)");
        }
        if (type.equals(K6) && (script == null || script.isEmpty())) {
            p.add("script: a k6 workload needs its script's path");
        }
        if (type.equals(K6) && !argv.isEmpty()) {
            p.add("argv: a k6 workload takes a script, not argv");
        }
        for (String key : env.keySet()) {
            if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
                p.add("env: '" + key + "' is not a variable name");
            }
        }
        if (timeoutS != null && !(timeoutS > 0)) {
            p.add("timeout_s: must be more than 0, was " + timeoutS);
        }
        if (results != null && !type.equals(COMMAND)) {
            p.add("results: declared for command workloads; a " + type + " workload is read by lb's parser");
        }
        if (results != null && !results.isArray()) {
            p.add("results: expected a JSON array of metric declarations");
        }
        if (!(metricsIntervalS >= 0) || Double.isInfinite(metricsIntervalS)) {
            p.add("metrics_interval_s: must be 0 (never) or more, was " + metricsIntervalS);
        }
        hookProblem(p, "before_repetition", before);
        hookProblem(p, "after_repetition", after);
        if (nice != null && (nice < NICE_MIN || nice > NICE_MAX)) {
            p.add("nice: must be from " + NICE_MIN + " to " + NICE_MAX + ", was " + nice);
        }
        return p;
    }

    private static void hookProblem(List<String> p, String key, List<String> argv) {
        if (argv != null && (argv.isEmpty() || argv.get(0).isEmpty())) {
            p.add(key + ": expected the command's argv, a non-empty list whose first element is the command");
        }
    }

    /** A stress-ng, fio or sysbench workload: lb runs the tool and parses what it writes. */
    @JsonIgnore
    public boolean isTool() {
        return TOOLS.contains(type);
    }

    /** The declared metrics as JSON text (the form the result parsers read), or null. */
    @JsonIgnore
    public String resultsJson() {
        return results == null ? null : results.toString();
    }

    /** The file a run's plans are written to in each target's run directory. */
    public static final String FILE = "plans.json";

    /** The JSON form (compact, one line). */
    public String toJson() {
        return Json.line(this);
    }

    /** A run's plans as one JSON array, in base64: the form they travel in through Ansible's extra vars. */
    public static String toBase64(List<WorkloadPlan> plans) {
        return Base64.getEncoder().encodeToString(Json.line(plans).getBytes(StandardCharsets.UTF_8));
    }

    /** The plans of {@link #toBase64(List)}. */
    public static List<WorkloadPlan> fromBase64(String base64) {
        try {
            return listFromJson(new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("Illegal base64")
                    || e.getMessage().startsWith("Input byte") ? "not base64: " + e.getMessage() : e.getMessage());
        }
    }

    /** A JSON array of plans, each checked as {@link #fromJson} checks one; names are unique. */
    public static List<WorkloadPlan> listFromJson(String json) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isArray()) {
            throw new IllegalArgumentException("expected a JSON array of workload plans");
        }
        List<WorkloadPlan> plans = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < tree.size(); i++) {
            WorkloadPlan plan;
            try {
                plan = fromTree(tree.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("plan " + (i + 1) + ": " + e.getMessage());
            }
            if (!names.add(plan.name())) {
                throw new IllegalArgumentException("plan " + (i + 1) + ": the name '" + plan.name() + "' is taken by"
                        + " an earlier plan");
            }
            plans.add(plan);
        }
        return List.copyOf(plans);
    }

    private static final ObjectReader READER = Json.MAPPER.readerFor(WorkloadPlan.class)
            .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    /**
     * The plan in {@code json}. A key this lb does not know is an error, never ignored: controller and agent ship
     * together, so an unknown key means they disagree.
     *
     * @throws IllegalArgumentException with one line saying what was wrong
     */
    public static WorkloadPlan fromJson(String json) {
        try {
            return fromTree(Json.MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    private static WorkloadPlan fromTree(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("a workload plan is a JSON object, got "
                    + (tree == null ? "nothing" : tree.getNodeType().toString().toLowerCase()));
        }
        // Before the record is made: its own checks would otherwise speak first about a key that was misspelt.
        for (var it = tree.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + key + "' in a workload plan");
            }
        }
        try {
            return READER.readValue(tree);
        } catch (MismatchedInputException e) {
            String at = e.getPath().isEmpty() ? "" : e.getPath().get(e.getPath().size() - 1).getFieldName() + ": ";
            throw new IllegalArgumentException(at + "wrong type in a workload plan ("
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException(cause.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("not a workload plan: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The JSON keys, one per component, as the annotations name them. */
    private static final java.util.Set<String> KEYS = keys();

    private static java.util.Set<String> keys() {
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (var c : WorkloadPlan.class.getRecordComponents()) {
            // @JsonProperty does not target record components; it lands on the field.
            try {
                keys.add(WorkloadPlan.class.getDeclaredField(c.getName()).getAnnotation(JsonProperty.class).value());
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }
        return java.util.Set.copyOf(keys);
    }
}
