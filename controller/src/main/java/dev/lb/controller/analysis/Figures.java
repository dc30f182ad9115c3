package dev.lb.controller.analysis;

import java.util.Locale;

/**
 * Numbers rounded for display only (JSON and CSV keep full precision): about four significant figures, and the
 * spread with as many decimals as its mean, as hyperfine prints {@code 12.4 ms ± 0.3 ms}.
 */
public final class Figures {
    private Figures() {
    }

    /** Decimals that show about four significant figures of {@code v} (none at 1000 and above). */
    static int decimals(double v) {
        double a = Math.abs(v);
        if (a == 0) {
            return 1;
        }
        return Math.min(9, Math.max(0, 3 - (int) Math.floor(Math.log10(a))));
    }

    public static String number(double v) {
        return number(v, decimals(v));
    }

    static String number(double v, int decimals) {
        if (v != 0 && (Math.abs(v) >= 1e9 || Math.abs(v) < 1e-6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** {@code 568.8 ms ± 57.3 ms}: the mean and its spread in the unit the mean is best read in. */
    public static String meanStdev(SampleSummary s, String unit) {
        DisplayUnit u = DisplayUnit.of(unit, s.mean());
        double mean = u.scale(s.mean());
        int d = decimals(mean);
        String out = number(mean, d) + " " + u.symbol();
        if (s.stdev() != null) {
            double sd = u.scale(s.stdev());
            out += " ± " + number(sd, Math.max(d, decimals(sd) - 2)) + " " + u.symbol();
        }
        return out;
    }

    /** One value with its unit, scaled: {@code 37.5 MiB/s}, {@code 73.22 µs}. */
    public static String quantity(double value, String unit) {
        return DisplayUnit.of(unit, value).show(value);
    }

    /** A signed percentage: {@code +5.3 %}, {@code -0.04 %}. */
    public static String percent(double pct) {
        return (pct >= 0 ? "+" : "") + number(pct, Math.abs(pct) >= 10 ? 1 : Math.abs(pct) >= 0.1 ? 2 : 3) + " %";
    }

    public static String signed(double v) {
        return (v >= 0 ? "+" : "") + number(v);
    }

    /** p-values: four decimals, or {@code < 0.0001}. */
    public static String pValue(double p) {
        return p < 0.0001 ? "< 0.0001" : "= " + String.format(Locale.ROOT, "%.4f", p);
    }
}
