package dev.lb.history.gate;

import dev.lb.history.changepoint.ChangePoint;
import dev.lb.history.changepoint.EDivisiveMeans;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The gate's decision on one value, from the earlier runs' values alone (no store): which earlier runs count (after
 * the last change point for the better, before the first change point for the worse after it, the last N), the
 * one-sided prediction interval of their values, and the verdict. {@link Gate} feeds it from a store; the simulation
 * that measures the gate's recall and false alarms feeds it generated series.
 */
public final class GateDecision {
    private GateDecision() {
    }

    /**
     * The verdict and what it rested on; {@code startsAfter}: where the earlier runs start, or null;
     * {@code minChangePercent}: the smallest change that counted for this metric.
     */
    public record Decision(SeriesVerdict.Kind kind, int earlierRuns, Double earlierMean, Double lower, Double upper,
                           Double changePercent, String startsAfter, String why, double minChangePercent) {
    }

    /**
     * {@code runIds} and {@code earlier}: the earlier runs in time order (not excluded, after the baseline);
     * {@code metric}: whose minimum change applies; {@code startsAfter}: the baseline that cut them, or null.
     */
    public static Decision decide(List<String> runIds, double[] earlier, double value, String metric,
                                  String direction, GateSettings settings, String startsAfter) {
        double minChange = settings.minChange().percentFor(metric);
        // The last change point for the better among the earlier runs starts the comparison afresh. A change point
        // for the worse after it ends the runs compared with: the level before the step for the worse is the last
        // accepted one, so a regression is flagged on every run until it is fixed or a baseline accepts it.
        List<ChangePoint> cps = EDivisiveMeans.DEFAULT.find(earlier);
        int from = 0;
        for (int i = cps.size() - 1; i >= 0; i--) {
            ChangePoint cp = cps.get(i);
            if (better(direction, cp.meanAfter() - cp.meanBefore())) {
                startsAfter = "change point for the better before " + runIds.get(cp.index());
                from = cp.index();
                break;
            }
        }
        int to = earlier.length;
        for (ChangePoint cp : cps) {
            if (cp.index() > from && !better(direction, cp.meanAfter() - cp.meanBefore())
                    && !"none".equals(direction)) {
                to = cp.index();
                startsAfter = (startsAfter == null ? "" : startsAfter + "; ") + "ends before the change point for the "
                        + "worse at " + runIds.get(cp.index());
                break;
            }
        }
        from = Math.max(from, to - settings.last());
        int n = to - from;
        if (n < GateSettings.MIN_RUNS) {
            return new Decision(SeriesVerdict.Kind.NOT_ENOUGH_HISTORY, n, null, null, null, null, startsAfter,
                    "not enough history: " + n + " earlier run" + (n == 1 ? "" : "s") + ", " + GateSettings.MIN_RUNS
                            + " needed", minChange);
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += earlier[i];
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = from; i < to; i++) {
            ss += (earlier[i] - mean) * (earlier[i] - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = TDistribution.of(n - 1).inverseSurvivalProbability(settings.alpha());
        double half = t * sd * Math.sqrt(1 + 1.0 / n);
        double lower = mean - half;
        double upper = mean + half;
        double change = mean == 0 ? 0 : (value - mean) / Math.abs(mean) * 100;
        boolean outside = value < lower || value > upper;
        boolean large = Math.abs(change) >= minChange;
        SeriesVerdict.Kind kind;
        if (!outside || !large) {
            kind = SeriesVerdict.Kind.WITHIN;
        } else if ("none".equals(direction)) {
            kind = SeriesVerdict.Kind.CHANGED;
        } else {
            kind = better(direction, value - mean) ? SeriesVerdict.Kind.IMPROVEMENT : SeriesVerdict.Kind.REGRESSION;
        }
        String why = String.format(Locale.ROOT, "%+.2f %% against the mean of %d earlier runs; interval [%.6g, %.6g]"
                + " at alpha %s; minimum change %s %%", change, n, lower, upper, settings.alpha(),
                MinimumChange.shown(minChange).replace(" %", ""));
        return new Decision(kind, n, mean, lower, upper, change, startsAfter, why, minChange);
    }

    static boolean better(String direction, double delta) {
        return switch (direction) {
            case "higher_is_better" -> delta > 0;
            case "lower_is_better" -> delta < 0;
            default -> false;
        };
    }
}
