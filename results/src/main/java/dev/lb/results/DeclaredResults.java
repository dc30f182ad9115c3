package dev.lb.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * Extracts the metrics a {@code command} workload declares: each regex over its stdout, each JSON pointer into its
 * file. Every declared metric must be found; the first that is not fails the whole result with its name.
 */
public final class DeclaredResults {
    /** The parser name in result events for declared metrics. */
    public static final String PARSER = "declared";

    private final List<DeclaredMetric> declared;
    private final Path baseDir;
    private final long maxStdoutBytes;

    /** {@code baseDir}: where relative {@code file}s are, the workload's working directory. */
    public DeclaredResults(List<DeclaredMetric> declared, Path baseDir) {
        this(declared, baseDir, ResultFile.MAX_BYTES);
    }

    DeclaredResults(List<DeclaredMetric> declared, Path baseDir, long maxStdoutBytes) {
        if (declared.isEmpty()) {
            throw new IllegalArgumentException("no declared metrics");
        }
        DeclaredMetric.requireDistinctNames(declared);
        this.declared = List.copyOf(declared);
        this.baseDir = baseDir;
        this.maxStdoutBytes = maxStdoutBytes;
    }

    /**
     * The declared metrics, from the stdout captured in {@code stdoutFile} (its last 64 MiB when longer: the last
     * match is the one that counts) and the declared JSON files.
     */
    public ParsedResult extract(Path stdoutFile) throws ResultParseException {
        boolean needsStdout = declared.stream().anyMatch(d -> d.regex() != null);
        String stdout = needsStdout ? ResultFile.readTail(stdoutFile, maxStdoutBytes) : "";
        Map<Path, JsonNode> documents = new HashMap<>();
        List<Metric> metrics = new ArrayList<>();
        for (DeclaredMetric d : declared) {
            double value = d.regex() != null ? fromStdout(d, stdoutFile, stdout) : fromJson(d, documents);
            metrics.add(new Metric(d.name(), value, d.unit()));
        }
        return new ParsedResult(PARSER, metrics);
    }

    private static double fromStdout(DeclaredMetric d, Path stdoutFile, String stdout) throws ResultParseException {
        Matcher m = d.pattern().matcher(stdout);
        String last = null;
        while (m.find()) {
            last = m.group(1);
        }
        String what = stdoutFile + ": declared metric '" + d.name() + "'";
        if (last == null) {
            throw new ResultParseException(what + ": regex " + ResultJson.clip(d.regex()) + " matched nothing"
                    + " (or its group 1 took no part)");
        }
        try {
            double v = Double.parseDouble(last.trim());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            throw new ResultParseException(what + ": matched '" + ResultJson.clip(last) + "', not a number");
        }
        throw new ResultParseException(what + ": matched '" + ResultJson.clip(last) + "', not a finite number");
    }

    private double fromJson(DeclaredMetric d, Map<Path, JsonNode> documents) throws ResultParseException {
        Path file = baseDir.resolve(d.file());
        JsonNode doc = documents.get(file);
        if (doc == null) {
            doc = ResultJson.parse(file, ResultFile.read(file));
            documents.put(file, doc);
        }
        JsonNode v = doc.at(d.pointer());
        String where = "declared metric '" + d.name() + "' (pointer " + d.pointer() + ")";
        if (v.isMissingNode()) {
            throw new ResultParseException(file + ": " + where + ": nothing at that pointer");
        }
        return ResultJson.numberOrNumericText(file, v, where);
    }
}
