package dev.lb.controller.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lb.history.query.HistoryQueries;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.Series;
import dev.lb.history.query.SeriesFilter;
import dev.lb.history.query.StoredCheck;
import dev.lb.history.store.HistoryStoreException;
import dev.lb.protocol.Json;
import java.time.Instant;
import java.util.List;

/**
 * The data of {@code lb history report}: per series its runs (mean, min, max, n, labels, exclusion), its change
 * points (over the runs not excluded) and the gate verdicts stored with its runs. The page draws it; numbers keep
 * their full precision.
 */
public final class HistoryReportData {
    private HistoryReportData() {
    }

    public static ObjectNode of(String store, HistoryQueries q, SeriesFilter f, Instant now)
            throws HistoryStoreException {
        ObjectNode root = Json.MAPPER.createObjectNode().put("store", store).put("generated", now.toString());
        ArrayNode all = root.putArray("series");
        for (Series s : q.series(f)) {
            List<RunPoint> points = q.points(s.seriesId(), f);
            if (points.isEmpty()) {
                continue;
            }
            List<RunPoint> counted = points.stream().filter(p -> !p.excluded()).toList();
            all.add(series(s, points, SeriesOverview.changes(s, counted), q.checks(s.seriesId())));
        }
        return root;
    }

    /**
     * One series as both pages draw it (lb history report and the history section of lb report): its name and
     * roles, its runs (mean, min, max, n, labels, exclusion), the change points and the stored gate verdicts given.
     */
    public static ObjectNode series(Series s, List<RunPoint> points, List<SeriesOverview.Change> changes,
                                    List<StoredCheck> checks) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("name", s.name()).put("host", s.host())
                .put("workload", s.workload()).put("metric", s.metric()).put("unit", s.unit())
                .put("direction", s.direction()).put("primary", s.primary());
        ArrayNode runs = o.putArray("runs");
        for (RunPoint p : points) {
            ObjectNode r = runs.addObject().put("run_id", p.runId()).put("mean", p.mean()).put("n", p.n());
            if (p.startedAt() != null) {
                r.put("started_at", p.startedAt());
            }
            if (p.min() != null) {
                r.put("min", p.min());
            }
            if (p.max() != null) {
                r.put("max", p.max());
            }
            if (p.excluded()) {
                r.put("excluded", p.excludedReason());
            }
            ObjectNode labels = r.putObject("labels");
            p.labels().forEach(labels::put);
        }
        ArrayNode cps = o.putArray("change_points");
        for (SeriesOverview.Change c : changes) {
            cps.addObject().put("run_id", c.runId()).put("run_before", c.runBefore()).put("percent", c.percent())
                    .put("p_value", c.pValue()).put("verdict", c.verdict());
        }
        ArrayNode checked = o.putArray("checks");
        for (StoredCheck c : checks) {
            checked.add(check(c));
        }
        return o;
    }

    /** A stored gate verdict: the run, its verdict and value, and the prediction interval it was judged by. */
    static ObjectNode check(StoredCheck c) {
        ObjectNode x = Json.MAPPER.createObjectNode().put("run_id", c.runId()).put("verdict", c.verdict())
                .put("value", c.value()).put("earlier_runs", c.earlierRuns());
        if (c.lower() != null) {
            x.put("lower", c.lower()).put("upper", c.upper()).put("earlier_mean", c.earlierMean());
        }
        return x;
    }
}
