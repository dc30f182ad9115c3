package dev.lb.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * {@code stress-ng ... --metrics --yaml FILE}: per stressor, its bogo ops, their rates, its times, CPU share and
 * peak memory, named {@code <stressor>.<metric>}.
 */
public final class StressNgYamlParser implements ResultParser {
    /** A YAML key of a stressor's entry, the metric it becomes, its unit, and whether stress-ng always writes it. */
    private record Field(String key, String suffix, Unit unit, boolean required) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("bogo-ops", "bogo_ops", Unit.OPS, true),
            new Field("bogo-ops-per-second-real-time", "bogo_ops_per_s_real", Unit.OPS_PER_S, true),
            new Field("bogo-ops-per-second-usr-sys-time", "bogo_ops_per_s_cpu", Unit.OPS_PER_S, true),
            new Field("wall-clock-time", "wall_clock_s", Unit.S, true),
            new Field("user-time", "user_s", Unit.S, true),
            new Field("system-time", "system_s", Unit.S, true),
            new Field("cpu-usage-per-instance", "cpu_per_instance", Unit.PERCENT, false),
            // getrusage's ru_maxrss, which Linux gives in KiB
            new Field("max-rss", "max_rss", Unit.KIB, false));

    @Override
    public String name() {
        return "stress-ng";
    }

    /** The first stressor's bogo ops per second of real time: its throughput as stress-ng ranks stressors. */
    @Override
    public Optional<String> primary(List<String> metrics) {
        return metrics.stream().filter(m -> m.endsWith(".bogo_ops_per_s_real")).findFirst();
    }

    /**
     * The times are as long as {@code --timeout} asked (not a speed), CPU share and peak memory are what the stressor
     * uses rather than how well it does: no direction. The rates go up when it is faster, as their unit says.
     */
    @Override
    public Unit.Direction direction(String metric, Unit unit) {
        return unit == Unit.S ? Unit.Direction.NONE : unit.direction();
    }

    @Override
    public ParsedResult parse(Path file) throws ResultParseException {
        String text = ResultFile.read(file);
        if (!text.startsWith("---")) {
            throw new ResultParseException(file + ": not stress-ng's YAML, which starts with '---' (was it run with"
                    + " --yaml FILE?)");
        }
        // stress-ng closes its YAML document with "..." when it finishes; without it the file was cut short (the
        // process was killed while writing), even when what is there still parses.
        if (!text.stripTrailing().endsWith("\n...")) {
            throw new ResultParseException(file + ": no closing '...' line: stress-ng did not finish writing it"
                    + " (truncated?)");
        }
        Object doc = load(file, text);
        if (!(doc instanceof Map<?, ?> top) || !(top.get("metrics") instanceof List<?> entries)) {
            throw new ResultParseException(file + ": no 'metrics' list (was stress-ng run with --metrics?)");
        }
        if (entries.isEmpty()) {
            throw new ResultParseException(file + ": the 'metrics' list is empty");
        }
        List<Metric> metrics = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            metrics.addAll(stressor(file, i + 1, entries.get(i)));
        }
        return new ParsedResult(name(), metrics);
    }

    private static Object load(Path file, String text) throws ResultParseException {
        try {
            LoaderOptions options = new LoaderOptions();
            options.setCodePointLimit((int) ResultFile.MAX_BYTES); // the size limit is ResultFile's, not SnakeYAML's 3 MB
            return new Yaml(new SafeConstructor(options)).load(text);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new ResultParseException(file + ": not valid YAML" + (line > 0 ? " at line " + line : "") + ": "
                    + ResultJson.clip(String.valueOf(e.getProblem())), e);
        } catch (YAMLException e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("malformed");
            throw new ResultParseException(file + ": not valid YAML: " + ResultJson.clip(first), e);
        }
    }

    private static List<Metric> stressor(Path file, int index, Object entry) throws ResultParseException {
        if (!(entry instanceof Map<?, ?> m) || !(m.get("stressor") instanceof String stressor) || stressor.isBlank()) {
            throw new ResultParseException(file + ": metrics entry " + index + " has no stressor name");
        }
        List<Metric> out = new ArrayList<>();
        for (Field f : FIELDS) {
            Object v = m.get(f.key());
            if (v == null) {
                if (f.required()) {
                    throw new ResultParseException(file + ": stressor " + stressor + " has no " + f.key());
                }
                continue;
            }
            if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue())) {
                throw new ResultParseException(file + ": stressor " + stressor + ": " + f.key() + " is not a number: "
                        + ResultJson.clip(String.valueOf(v)));
            }
            out.add(new Metric(stressor + "." + f.suffix(), ResultJson.nonNegative(file, n.doubleValue(),
                    "stressor " + stressor + ": " + f.key()), f.unit()));
        }
        return out;
    }
}
