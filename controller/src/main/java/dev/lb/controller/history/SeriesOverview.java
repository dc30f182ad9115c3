package dev.lb.controller.history;

import dev.lb.history.changepoint.ChangePoint;
import dev.lb.history.changepoint.EDivisiveMeans;
import dev.lb.history.query.RunPoint;
import dev.lb.history.query.Series;
import java.util.List;

/**
 * One line of {@code lb history}: a series, its runs, its last run's value, the trend over its last runs (least
 * squares slope, percent of the mean per run) and its last change point (over the runs not excluded).
 */
public record SeriesOverview(Series series, int runs, RunPoint last, Double trendPercentPerRun, int trendRuns,
                             Change lastChange) {
    public static final int TREND_RUNS = 10;

    /** A change point: the first run after it, the change in percent, and better, worse or changed. */
    public record Change(String runId, String runBefore, double percent, double pValue, String verdict) {
    }

    public static SeriesOverview of(Series s, List<RunPoint> points) {
        List<RunPoint> counted = points.stream().filter(p -> !p.excluded()).toList();
        RunPoint last = points.isEmpty() ? null : points.get(points.size() - 1);
        List<RunPoint> tail = counted.subList(Math.max(0, counted.size() - TREND_RUNS), counted.size());
        List<Change> changes = changes(s, counted);
        return new SeriesOverview(s, points.size(), last, trend(tail), tail.size(),
                changes.isEmpty() ? null : changes.get(changes.size() - 1));
    }

    /** Every change point of the series (over the runs not excluded), in time order. */
    public static List<Change> changes(Series s, List<RunPoint> counted) {
        double[] values = counted.stream().mapToDouble(RunPoint::mean).toArray();
        return EDivisiveMeans.DEFAULT.find(values).stream().map(cp -> change(s, counted, cp)).toList();
    }

    private static Change change(Series s, List<RunPoint> counted, ChangePoint cp) {
        double delta = cp.meanAfter() - cp.meanBefore();
        String verdict = switch (s.direction()) {
            case "higher_is_better" -> delta > 0 ? "better" : "worse";
            case "lower_is_better" -> delta < 0 ? "better" : "worse";
            default -> "changed";
        };
        return new Change(counted.get(cp.index()).runId(), counted.get(cp.index() - 1).runId(),
                cp.forwardChange() * 100, cp.pValue(), verdict);
    }

    /** Percent of the mean per run; null under 3 runs or a mean of 0. */
    static Double trend(List<RunPoint> tail) {
        int n = tail.size();
        if (n < 3) {
            return null;
        }
        double mx = (n - 1) / 2.0;
        double my = tail.stream().mapToDouble(RunPoint::mean).average().orElse(0);
        if (my == 0) {
            return null;
        }
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            sxy += (i - mx) * (tail.get(i).mean() - my);
            sxx += (i - mx) * (i - mx);
        }
        return sxy / sxx / Math.abs(my) * 100;
    }
}
