package dev.lb.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * k6's {@code --summary-export} file (the legacy summary export: a top-level {@code metrics} object whose trends
 * carry avg/min/med/max/p(90)/p(95) in ms, counters count and rate, rates value/passes/fails, gauges value/min/max).
 * The same fields nested under {@code values} (handleSummary's data) are read too. Metrics k6 did not report are
 * left out, never invented.
 */
public final class K6SummaryParser implements ResultParser {
    /** A field of one k6 metric, the name it gets here, its unit, and a factor (rates become percent). */
    private record Field(String metric, String field, String name, Unit unit, double factor) {
        Field(String metric, String field, String name, Unit unit) {
            this(metric, field, name, unit, 1);
        }
    }

    private static final List<Field> FIELDS = List.of(
            new Field("http_req_duration", "avg", "http_req_duration.avg", Unit.MS),
            new Field("http_req_duration", "med", "http_req_duration.med", Unit.MS),
            new Field("http_req_duration", "p(90)", "http_req_duration.p90", Unit.MS),
            new Field("http_req_duration", "p(95)", "http_req_duration.p95", Unit.MS),
            new Field("http_req_duration", "max", "http_req_duration.max", Unit.MS),
            new Field("http_reqs", "count", "http_reqs.count", Unit.OPS),
            new Field("http_reqs", "rate", "http_reqs.rate", Unit.OPS_PER_S),
            // http_req_failed is a Rate whose "value" is the share of requests that failed (its "passes" count them)
            new Field("http_req_failed", "value", "http_req_failed.rate", Unit.PERCENT, 100),
            new Field("iterations", "count", "iterations.count", Unit.OPS),
            new Field("iterations", "rate", "iterations.rate", Unit.OPS_PER_S),
            new Field("checks", "value", "checks.rate", Unit.PERCENT, 100),
            new Field("vus_max", "value", "vus_max", Unit.COUNT));

    @Override
    public String name() {
        return "k6";
    }

    /** The 95th percentile of the request duration, else (no HTTP requests) the iterations per second. */
    @Override
    public Optional<String> primary(List<String> metrics) {
        return List.of("http_req_duration.p95", "iterations.rate").stream().filter(metrics::contains).findFirst();
    }

    /** Failed requests should go down and passed checks up, though a percentage alone has no direction. */
    @Override
    public Unit.Direction direction(String metric, Unit unit) {
        return switch (metric) {
            case "http_req_failed.rate" -> Unit.Direction.LOWER_IS_BETTER;
            case "checks.rate" -> Unit.Direction.HIGHER_IS_BETTER;
            default -> unit.direction();
        };
    }

    @Override
    public ParsedResult parse(Path file) throws ResultParseException {
        JsonNode root = ResultJson.parse(file, ResultFile.read(file));
        JsonNode metrics = root.path("metrics");
        if (!metrics.isObject()) {
            throw new ResultParseException(file + ": no 'metrics' object (not a k6 --summary-export file?)");
        }
        List<Metric> out = new ArrayList<>();
        for (Field f : FIELDS) {
            JsonNode metric = metrics.path(f.metric());
            String where = "metrics." + f.metric() + "." + f.field();
            JsonNode v = metric.path(f.field());
            // handleSummary's data (and --new-machine-readable-summary) nest the fields under "values", where a
            // Rate's share is "rate" rather than "value"
            if (v.isMissingNode() && metric.path("values").isObject()) {
                JsonNode values = metric.path("values");
                boolean rateShare = f.field().equals("value") && f.unit() == Unit.PERCENT;
                String field = rateShare ? "rate" : f.field();
                v = values.path(field);
                where = "metrics." + f.metric() + ".values." + field;
            }
            if (!v.isMissingNode()) {
                out.add(new Metric(f.name(), ResultJson.nonNegative(file, v, where) * f.factor(), f.unit()));
            }
        }
        if (out.isEmpty()) {
            throw new ResultParseException(file + ": none of k6's http_req_duration, http_reqs, http_req_failed,"
                    + " iterations, checks, vus_max in 'metrics'");
        }
        return new ParsedResult(name(), out);
    }
}
