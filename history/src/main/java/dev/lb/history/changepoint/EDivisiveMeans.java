package dev.lb.history.changepoint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Change points in a series of run values, by Apache Otava's method ({@code otava.analysis.compute_change_points},
 * after Fleming et al., "Hunter", ICPE 2023): E-divisive means (Matteson and James) inside sliding windows, with
 * Student's t-test instead of permutations as the significance test, then a merge step that drops the weakest points
 * until every one left is significant at {@code maxPValue} (or larger than {@code minMagnitude}).
 *
 * <p>This follows Otava's code step by step, including its choices that are not obvious (the split step tests at 10×
 * the p-value; the merge step recomputes the point right of a removed one and the one after it, not the one to its
 * left; the Q matrix's lower triangle counts as 0 when the argmax is taken), because the test compares lb's answers
 * with Otava's on a fixture of Otava's own output: agreeing on the method is what makes the comparison meaningful.
 */
public final class EDivisiveMeans {
    /** Otava's defaults: windows of 50 points, p 0.001, no minimum magnitude. */
    public static final EDivisiveMeans DEFAULT = new EDivisiveMeans(50, 0.001, 0.0);

    private final int window;
    private final double maxPValue;
    private final double minMagnitude;

    public EDivisiveMeans(int window, double maxPValue, double minMagnitude) {
        if (window < 2) {
            throw new IllegalArgumentException("window must be at least 2, not " + window);
        }
        if (!(maxPValue > 0 && maxPValue < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), not " + maxPValue);
        }
        this.window = window;
        this.maxPValue = maxPValue;
        this.minMagnitude = minMagnitude;
    }

    /** The change points of {@code series} (one value per run, in time order), ordered by index. */
    public List<ChangePoint> find(double[] series) {
        // Otava's first pass is looser, so that the merge step has weak candidates to choose from.
        double firstPass = maxPValue < 0.05 ? maxPValue * 10 : (maxPValue < 0.5 ? maxPValue * 2 : maxPValue);
        return merge(split(series, firstPass), series);
    }

    private List<ChangePoint> split(double[] series, double pValue) {
        List<Integer> found = new ArrayList<>();
        int step = window / 2;
        int start = 0;
        while (start < series.length) {
            int end = Math.min(start + window, series.length);
            double[] slice = java.util.Arrays.copyOfRange(series, start, end);
            List<Integer> local = new WindowDetector(slice, pValue).changePoints();
            int lastNew = local.isEmpty() ? 0 : local.get(local.size() - 1) + start;
            for (int index : local) {
                if (!found.contains(index + start)) {
                    found.add(index + start);
                }
            }
            start = Math.max(lastNew, start + step);
        }
        found.sort(Comparator.naturalOrder());
        List<ChangePoint> points = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            points.add(between(series, found, i, Double.NaN));
        }
        return points;
    }

    private List<ChangePoint> merge(List<ChangePoint> points, double[] series) {
        List<ChangePoint> cps = new ArrayList<>(points);
        while (!cps.isEmpty()) {
            int weakest = 0;
            for (int i = 1; i < cps.size(); i++) {
                if (cps.get(i).pValue() > cps.get(weakest).pValue()) {
                    weakest = i;
                }
            }
            if (cps.get(weakest).pValue() < maxPValue) {
                weakest = 0;
                for (int i = 1; i < cps.size(); i++) {
                    if (cps.get(i).magnitude() < cps.get(weakest).magnitude()) {
                        weakest = i;
                    }
                }
                if (cps.get(weakest).magnitude() > minMagnitude) {
                    return cps;
                }
            }
            cps.remove(weakest);
            List<Integer> indexes = cps.stream().map(ChangePoint::index).toList();
            for (int i : new int[] {weakest, weakest + 1}) {
                if (i < cps.size()) {
                    cps.set(i, between(series, indexes, i, cps.get(i).qhat()));
                }
            }
        }
        return cps;
    }

    /** The t-test of point {@code i} of {@code indexes} against the segments to its neighbours (or the ends). */
    private static ChangePoint between(double[] series, List<Integer> indexes, int i, double qhat) {
        int from = i == 0 ? 0 : indexes.get(i - 1);
        int to = i == indexes.size() - 1 ? series.length : indexes.get(i + 1);
        return SegmentTTest.test(series, from, indexes.get(i), to, indexes.get(i), qhat);
    }
}
