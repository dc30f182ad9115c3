package dev.lb.results;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * sysbench's text report (its stdout) for the cpu, memory, fileio, threads and mutex tests: the figures each test
 * prints, plus the general statistics and the latency every test shares. sysbench has no machine-readable output for
 * these tests, so the lines are matched one by one; each pattern below is the line as sysbench 1.0 prints it.
 */
public final class SysbenchTextParser implements ResultParser {
    /** A number, or what C's printf makes of one that is not ("nan", "-nan", "inf"): matched to be named, never dropped. */
    private static final String NUM = "([-+]?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?|[-+]?(?i:nan|inf(?:inity)?))";

    /** One line pattern and the metrics its capture groups become, in order. */
    private record Line(Pattern pattern, List<String> names, List<Unit> units) {
        Line(String regex, String name, Unit unit) {
            this(Pattern.compile("^\\s*" + regex + "\\s*$"), List.of(name), List.of(unit));
        }

        Line(String regex, String name1, Unit unit1, String name2, Unit unit2) {
            this(Pattern.compile("^\\s*" + regex + "\\s*$"), List.of(name1, name2), List.of(unit1, unit2));
        }
    }

    private static final List<Line> LINES = List.of(
            // cpu
            new Line("events per second:\\s+" + NUM, "events_per_s", Unit.EVENTS_PER_S),
            // memory: "Total operations: 2097152 (1754621.13 per second)", "2048.00 MiB transferred (1713.50 MiB/sec)"
            new Line("Total operations:\\s+" + NUM + "\\s+\\(" + NUM + " per second\\)",
                    "total_operations", Unit.OPS, "ops_per_s", Unit.OPS_PER_S),
            new Line(NUM + " MiB transferred \\(" + NUM + " MiB/sec\\)",
                    "mib_transferred", Unit.MIB, "mib_per_s", Unit.MIB_PER_S),
            // fileio
            new Line("reads/s:\\s+" + NUM, "reads_per_s", Unit.OPS_PER_S),
            new Line("writes/s:\\s+" + NUM, "writes_per_s", Unit.OPS_PER_S),
            new Line("fsyncs/s:\\s+" + NUM, "fsyncs_per_s", Unit.OPS_PER_S),
            new Line("read, MiB/s:\\s+" + NUM, "read_mib_per_s", Unit.MIB_PER_S),
            new Line("written, MiB/s:\\s+" + NUM, "written_mib_per_s", Unit.MIB_PER_S),
            // every test
            new Line("total time:\\s+" + NUM + "s", "total_time", Unit.S),
            new Line("total number of events:\\s+" + NUM, "total_events", Unit.EVENTS));

    /** Inside "Latency (ms):"; the percentile is whichever --percentile asked for (95 by default). */
    private static final Pattern LATENCY = Pattern.compile("^\\s*(min|avg|max|(\\d+)th percentile):\\s+" + NUM + "\\s*$");
    private static final Pattern FATAL = Pattern.compile("^FATAL: .*$", Pattern.MULTILINE);

    @Override
    public String name() {
        return "sysbench";
    }

    /**
     * The cpu test's events per second, the memory test's operations per second; the other tests (fileio, threads,
     * mutex) print no single rate that every mode fills (fileio's reads/s is 0.00 when it only writes), so their
     * average latency, which each of them reports.
     */
    @Override
    public Optional<String> primary(List<String> metrics) {
        return PRIMARY_ORDER.stream().filter(metrics::contains).findFirst();
    }

    private static final List<String> PRIMARY_ORDER = List.of("events_per_s", "ops_per_s", "latency_avg");

    /** {@code total_time} is as long as {@code --time} asked: no direction. */
    @Override
    public Unit.Direction direction(String metric, Unit unit) {
        return metric.equals("total_time") ? Unit.Direction.NONE : unit.direction();
    }

    @Override
    public ParsedResult parse(Path file) throws ResultParseException {
        String text = ResultFile.read(file);
        Matcher fatal = FATAL.matcher(text);
        if (fatal.find()) {
            throw new ResultParseException(file + ": sysbench failed: " + ResultJson.clip(fatal.group(), 200));
        }
        List<Metric> metrics = new ArrayList<>();
        boolean inLatency = false;
        for (String line : text.split("\r?\n")) {
            try {
                if (line.isBlank()) {
                    inLatency = false;
                } else if (line.trim().equals("Latency (ms):")) {
                    inLatency = true;
                } else if (inLatency) {
                    latency(line, metrics);
                } else {
                    known(line, metrics);
                }
            } catch (IllegalArgumentException e) {
                // nan, inf, or 1e400 (which parses as Infinity): no metric can carry them; a negative figure (every
                // figure sysbench prints is a rate, a count, a size or a time) is no measurement either.
                throw new ResultParseException(file + ": " + e.getMessage() + " in '" + ResultJson.clip(line) + "'");
            }
        }
        if (metrics.stream().noneMatch(m -> m.name().equals("total_events"))) {
            throw new ResultParseException(file + ": no sysbench 'General statistics' (not sysbench run output?)");
        }
        // "Threads fairness" is the last block sysbench writes: without it the capture was cut short.
        if (!text.contains("execution time (avg/stddev):")) {
            throw new ResultParseException(file + ": ends before sysbench's 'Threads fairness' block (truncated?)");
        }
        return new ParsedResult(name(), metrics);
    }

    private static void known(String line, List<Metric> out) {
        for (Line l : LINES) {
            Matcher m = l.pattern().matcher(line);
            if (m.matches()) {
                for (int g = 0; g < l.names().size(); g++) {
                    out.add(new Metric(l.names().get(g), value(l.names().get(g), m.group(g + 1)), l.units().get(g)));
                }
                return;
            }
        }
    }

    private static void latency(String line, List<Metric> out) {
        Matcher m = LATENCY.matcher(line);
        if (m.matches()) {
            String name = m.group(2) != null ? "latency_p" + m.group(2) : "latency_" + m.group(1);
            out.add(new Metric(name, value(name, m.group(3)), Unit.MS));
        }
    }

    /** The figure; IllegalArgumentException naming the metric when it is nan, infinite or negative. */
    private static double value(String metric, String text) {
        double v = text.matches("[-+]?\\d.*") ? Double.parseDouble(text) : Double.NaN;
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException("metric " + metric + " is not a finite number: " + text);
        }
        if (v < 0) {
            throw new IllegalArgumentException("metric " + metric + " is negative (" + text + "), which it cannot be");
        }
        return v;
    }
}
