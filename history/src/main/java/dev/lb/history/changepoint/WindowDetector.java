package dev.lb.history.changepoint;

import java.util.ArrayList;
import java.util.List;

/**
 * E-divisive means inside one window: split the segment whose best split has the largest Q statistic, test that
 * split with the t-test, and go on while the splits are significant. Pairwise distances are |x_i − x_j| (Otava's
 * power 1); sums of distances within any segment come from a table built once, so Q(τ, κ) costs O(1).
 */
final class WindowDetector {
    private final double[] x;
    private final double pValue;
    /** within[a][b]: the sum of |x_i − x_j| over a ≤ i < j < b. */
    private final double[][] within;

    WindowDetector(double[] x, double pValue) {
        this.x = x;
        this.pValue = pValue;
        int n = x.length;
        within = new double[n + 1][n + 1];
        for (int a = n - 1; a >= 0; a--) {
            double row = 0;
            for (int b = a + 1; b <= n; b++) {
                if (b - 1 > a) {
                    row += Math.abs(x[a] - x[b - 1]);
                }
                within[a][b] = within[a + 1][b] + row;
            }
        }
    }

    /** The change points' indexes in this window, ascending. */
    List<Integer> changePoints() {
        List<Integer> cps = new ArrayList<>();
        while (true) {
            List<int[]> intervals = intervals(cps, x.length);
            int bestIndex = -1;
            double bestQ = Double.NEGATIVE_INFINITY;
            int[] bestInterval = null;
            for (int[] iv : intervals) {
                if (iv[1] - iv[0] <= 1) {
                    continue;
                }
                double[] candidate = best(iv[0], iv[1]);
                if (bestInterval == null || candidate[1] > bestQ) {
                    bestIndex = (int) candidate[0];
                    bestQ = candidate[1];
                    bestInterval = iv;
                }
            }
            if (bestInterval == null) {
                return cps;
            }
            ChangePoint cp = SegmentTTest.test(x, bestInterval[0], bestIndex, bestInterval[1], bestIndex, bestQ);
            if (!(cp.pValue() <= pValue)) {
                return cps;
            }
            cps.add(bestIndex);
            cps.sort(null);
        }
    }

    /**
     * The split τ of [s, e) that maximises Q(τ, κ) over s < τ < κ ≤ e, scanned as numpy's argmax scans Otava's
     * matrix (row τ, column κ, first maximum wins, cells with κ ≤ τ count as 0): {τ, Q}.
     */
    private double[] best(int s, int e) {
        int size = e - 1 - s;
        int bestI = 0;
        double bestQ = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < size; i++) {
            int tau = s + 1 + i;
            for (int j = 0; j < size; j++) {
                int kappa = s + 2 + j;
                double q = j >= i ? q(s, tau, kappa) : 0.0;
                if (q > bestQ) {
                    bestQ = q;
                    bestI = i;
                }
            }
        }
        return new double[] {s + 1 + bestI, bestQ};
    }

    private double q(int s, int tau, int kappa) {
        double between = within[s][kappa] - within[s][tau] - within[tau][kappa];
        double n = tau - s;
        double m = kappa - tau;
        double q = 2.0 / (n + m) * between;
        if (n > 1) {
            q -= 2.0 * m / ((n + m) * (n - 1)) * within[s][tau];
        }
        if (m > 1) {
            q -= 2.0 * n / ((n + m) * (m - 1)) * within[tau][kappa];
        }
        return q;
    }

    /** The segments between change points, as Otava's get_intervals gives them: {from, to}, none empty. */
    static List<int[]> intervals(List<Integer> cps, int length) {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        for (int cp : cps) {
            if (cp != from) {
                out.add(new int[] {from, cp});
            }
            from = cp;
        }
        if (from != length) {
            out.add(new int[] {from, length});
        }
        return out;
    }
}
