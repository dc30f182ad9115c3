package dev.lb.controller.analysis;

import java.util.List;

/**
 * The unit a number is shown in: sizes and rates of bytes scaled by 1024 (39691039.7 B/s is 37.85 MiB/s, as fio
 * prints it), times by 1000 up to seconds (0.0732 ms is 73.2 µs). Every figure of one row takes the scale of its
 * mean, so a mean and its spread are read in one unit. Other units are shown as they are. For display only:
 * results.json and results.csv keep the unit the value was reported in.
 */
public record DisplayUnit(String symbol, double factor) {
    private static final List<List<String>> FAMILIES = List.of(
            List.of("B", "KiB", "MiB", "GiB", "TiB"),
            List.of("B/s", "KiB/s", "MiB/s", "GiB/s", "TiB/s"),
            List.of("ns", "us", "ms", "s"));

    /** The families of scalable units, smallest first, for a page that scales values as this class does. */
    public static List<List<String>> families() {
        return FAMILIES;
    }

    /** The unit for showing values of about {@code magnitude} reported in {@code unit}. */
    public static DisplayUnit of(String unit, double magnitude) {
        for (List<String> family : FAMILIES) {
            int from = family.indexOf(unit);
            if (from < 0) {
                continue;
            }
            double step = family.get(0).equals("ns") ? 1000 : 1024;
            double base = Math.abs(magnitude) * Math.pow(step, from); // in the family's smallest unit
            int to = 0;
            while (to < family.size() - 1 && base >= Math.pow(step, to + 1)) {
                to++;
            }
            if (magnitude == 0 || !Double.isFinite(magnitude)) {
                to = from;
            }
            return new DisplayUnit(shown(family.get(to)), Math.pow(step, from - to));
        }
        return new DisplayUnit(unit, 1);
    }

    /** The value in this unit. */
    public double scale(double value) {
        return value * factor;
    }

    /** The value in this unit, rounded for display, with the unit: {@code 37.85 MiB/s}. */
    public String show(double value) {
        return Figures.number(scale(value)) + " " + symbol;
    }

    /** "us" is how events spell it (ASCII); people read µs. */
    private static String shown(String symbol) {
        return symbol.equals("us") ? "µs" : symbol;
    }
}
