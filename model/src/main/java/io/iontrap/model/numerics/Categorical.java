package io.iontrap.model.numerics;

import java.util.SplittableRandom;

/**
 * Draws from a discrete distribution over 0..K-1 by inverting its cumulative sum (binary search,
 * O(log K) per draw, one uniform number each): the shots of a configuration distribution, a
 * multinomial sample when repeated. Negative weights (a solver's rounding) count as zero; a
 * category of zero weight is never drawn.
 */
public final class Categorical {
    private final double[] cumulative;

    /**
     * @param weights non-negative up to rounding, not all zero; normalisation is not required
     * @throws IllegalArgumentException if a weight is NaN or infinite, or none is positive
     */
    public Categorical(double[] weights) {
        cumulative = new double[weights.length];
        double s = 0;
        for (int k = 0; k < weights.length; k++) {
            double w = weights[k];
            if (Double.isNaN(w) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("probability of category " + k + " is " + w);
            }
            s += Math.max(0, w);
            cumulative[k] = s;
        }
        if (!(s > 0)) {
            throw new IllegalArgumentException("distribution over " + weights.length
                    + " categories has no positive probability");
        }
    }

    /** One category, drawn with probability weight/total. */
    public int draw(SplittableRandom rng) {
        double u = rng.nextDouble() * cumulative[cumulative.length - 1];
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        // u rounded up to the total lands on the last category: step back over zero weights
        while (lo > 0 && cumulative[lo] == cumulative[lo - 1]) {
            lo--;
        }
        return lo;
    }

    /** Counts of {@code n} independent draws (a multinomial sample). */
    public int[] counts(int n, SplittableRandom rng) {
        int[] c = new int[cumulative.length];
        for (int k = 0; k < n; k++) {
            c[draw(rng)]++;
        }
        return c;
    }
}
