package io.iontrap.analysis.fit;

import io.iontrap.analysis.estimate.ShotCounts;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * Which late hold times show the same distribution: a G-test of homogeneity between two count
 * vectors (categories with fewer than 10 shots in both together are merged), used to pool the
 * late times for the Boltzmann fit and to warn when the populations are still changing.
 */
public final class Stationarity {
    private Stationarity() {
    }

    /** p-value of the G-test that two count vectors come from the same multinomial distribution. */
    public static double homogeneityPValue(int[] a, int[] b) {
        long na = 0;
        long nb = 0;
        for (int s = 0; s < a.length; s++) {
            na += a[s];
            nb += b[s];
        }
        if (na == 0 || nb == 0) {
            return Double.NaN;
        }
        List<long[]> cells = new ArrayList<>();
        long[] rare = {0, 0};
        for (int s = 0; s < a.length; s++) {
            if (a[s] + b[s] >= 10) {
                cells.add(new long[] {a[s], b[s]});
            } else {
                rare[0] += a[s];
                rare[1] += b[s];
            }
        }
        if (rare[0] + rare[1] > 0) {
            cells.add(rare);
        }
        if (cells.size() < 2) {
            return 1;
        }
        double n = na + nb;
        double g = 0;
        for (long[] c : cells) {
            double tot = c[0] + c[1];
            double ea = tot * na / n;
            double eb = tot * nb / n;
            if (c[0] > 0) {
                g += 2 * c[0] * Math.log(c[0] / ea);
            }
            if (c[1] > 0) {
                g += 2 * c[1] * Math.log(c[1] / eb);
            }
        }
        return 1 - new ChiSquaredDistribution(null, cells.size() - 1, 1e-12).cumulativeProbability(g);
    }

    /**
     * The late time indices to pool: the latest hold time with shots, then earlier ones (latest
     * first) as long as each is homogeneous (p &gt; {@code alpha}) with those already pooled. Empty
     * when no time index has shots.
     */
    public static int[] lateTimes(ShotCounts counts, double alpha) {
        Integer[] order = java.util.stream.IntStream.range(0, counts.timeCount()).filter(t -> counts.total(t) > 0)
                .boxed().sorted((x, y) -> Double.compare(counts.time(y), counts.time(x))).toArray(Integer[]::new);
        if (order.length == 0) {
            return new int[0];
        }
        List<Integer> pooled = new ArrayList<>();
        pooled.add(order[0]);
        int[] sum = counts.counts(order[0]);
        for (int k = 1; k < order.length; k++) {
            int[] c = counts.counts(order[k]);
            double p = homogeneityPValue(sum, c);
            if (!(p > alpha)) {
                break;
            }
            pooled.add(order[k]);
            for (int s = 0; s < sum.length; s++) {
                sum[s] += c[s];
            }
        }
        return pooled.stream().mapToInt(Integer::intValue).toArray();
    }
}
