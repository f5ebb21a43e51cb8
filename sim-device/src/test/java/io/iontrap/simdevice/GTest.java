package io.iontrap.simdevice;

import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * The G-test (likelihood-ratio goodness of fit) of multinomial counts against predicted probabilities,
 * summed over independent schedule points: G = 2 Σ O ln(O/E), categories with expected count below 5
 * pooled into one (per point), df = Σ_k (categories_k − 1), p = P(χ²_df ≥ G).
 */
final class GTest {
    final double g;
    final int df;
    final double p;

    private GTest(double g, int df) {
        this.g = g;
        this.df = df;
        this.p = Double.isInfinite(g) ? 0 : df > 0 ? 1 - new ChiSquaredDistribution(df).cumulativeProbability(g) : 1;
    }

    static GTest of(long[][] counts, double[][] probabilities) {
        double g = 0;
        int df = 0;
        for (int k = 0; k < counts.length; k++) {
            long n = 0;
            for (long c : counts[k]) {
                n += c;
            }
            double pooledO = 0;
            double pooledE = 0;
            int cats = 0;
            for (int b = 0; b < counts[k].length; b++) {
                double e = n * probabilities[k][b];
                if (e < 5) {
                    pooledO += counts[k][b];
                    pooledE += e;
                    continue;
                }
                cats++;
                g += term(counts[k][b], e);
            }
            if (pooledE > 0 || pooledO > 0) {
                cats++;
                g += term(pooledO, pooledE);
            }
            df += Math.max(0, cats - 1);
        }
        return new GTest(g, df);
    }

    private static double term(double o, double e) {
        if (o == 0) {
            return 0;
        }
        if (e <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 2 * o * Math.log(o / e);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "G = %.2f, df = %d, p = %.3g", g, df, p);
    }
}
