package io.iontrap.analysis.estimate;

import org.apache.commons.math3.distribution.BetaDistribution;

/**
 * Binomial proportion from counts with the Jeffreys prior Beta(½,½) (physics.md §8): posterior
 * Beta(k+½, n−k+½), point estimate (k+½)/(n+1), never exactly 0 or 1. The interval is the
 * equal-tailed posterior interval with the Brown–Cai–DasGupta boundary fix (lower end 0 when
 * k = 0, upper end 1 when k = n), whose frequentist coverage is close to nominal for all p.
 */
public final class Jeffreys {
    private Jeffreys() {
    }

    /** Posterior mean (k+½)/(n+1). */
    public static double estimate(long k, long n) {
        check(k, n);
        return (k + 0.5) / (n + 1.0);
    }

    /** Posterior variance p̂(1−p̂)/(n+2). */
    public static double variance(long k, long n) {
        double p = estimate(k, n);
        return p * (1 - p) / (n + 2.0);
    }

    /** Two-sided interval of the given level (e.g. 0.95). */
    public static double[] interval(long k, long n, double level) {
        check(k, n);
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        double a = (1 - level) / 2;
        BetaDistribution beta = new BetaDistribution(null, k + 0.5, n - k + 0.5,
                BetaDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY);
        double lo = k == 0 ? 0 : beta.inverseCumulativeProbability(a);
        double hi = k == n ? 1 : beta.inverseCumulativeProbability(1 - a);
        return new double[] {lo, hi};
    }

    private static void check(long k, long n) {
        if (n < 0 || k < 0 || k > n) {
            throw new IllegalArgumentException("need 0 <= k <= n, got k = " + k + ", n = " + n);
        }
    }
}
