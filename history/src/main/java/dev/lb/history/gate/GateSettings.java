package dev.lb.history.gate;

/**
 * The gate's knobs: how many earlier runs (N, default 20), the smallest change that counts (per metric, default 5 %),
 * the prediction interval's alpha (default 0.01), and whether too little history fails the check.
 */
public record GateSettings(int last, MinimumChange minChange, double alpha, boolean requireHistory) {
    public static final int MIN_RUNS = 5;
    public static final GateSettings DEFAULT = new GateSettings(20, MinimumChange.DEFAULT, 0.01, false);

    public GateSettings {
        if (last < MIN_RUNS) {
            throw new IllegalArgumentException("--last must be at least " + MIN_RUNS + ", not " + last);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("--alpha must be in (0, 1), not " + alpha);
        }
        if (minChange == null) {
            throw new IllegalArgumentException("no minimum change given");
        }
    }
}
