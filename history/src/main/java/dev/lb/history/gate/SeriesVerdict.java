package dev.lb.history.gate;

import dev.lb.history.query.Series;

/**
 * The gate's verdict on one series of a run, with what it rested on: the run's value, the earlier runs used (count,
 * mean), the prediction interval, the run after which the earlier runs start (a baseline or a change point for the
 * better; null: the series' start), the change in percent against the earlier mean, and the smallest change that
 * counted for this metric.
 */
public record SeriesVerdict(Series series, Kind kind, double value, int earlierRuns, Double earlierMean,
                            Double lower, Double upper, Double changePercent, String startsAfter, String why,
                            double minChangePercent) {
    public enum Kind {
        REGRESSION, IMPROVEMENT, CHANGED, WITHIN, NOT_ENOUGH_HISTORY;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }
}
