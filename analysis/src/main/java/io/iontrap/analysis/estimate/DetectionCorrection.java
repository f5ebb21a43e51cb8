package io.iontrap.analysis.estimate;

/**
 * Per-ion bright↔dark misassignment, with known rates e0_i = P(read 1 | σ_i = −1) and
 * e1_i = P(read 0 | σ_i = +1). The observed distribution is q = (⊗_i C_i) p with
 * C_i = [[1−e0, e1], [e0, 1−e1]] (rows: read 0/1, columns: true −1/+1). Every operation applies
 * one 2×2 matrix per ion in place, O(N 2^N), never the 2^N × 2^N matrix.
 */
public final class DetectionCorrection {
    private final int ions;
    private final double[] e0;
    private final double[] e1;

    public DetectionCorrection(double[][] errors) {
        this.ions = errors.length;
        this.e0 = new double[ions];
        this.e1 = new double[ions];
        for (int i = 0; i < ions; i++) {
            e0[i] = errors[i][0];
            e1[i] = errors[i][1];
            if (!(e0[i] >= 0 && e1[i] >= 0 && e0[i] + e1[i] < 1)) {
                throw new IllegalArgumentException("detection errors of ion " + i + " (" + e0[i] + ", " + e1[i]
                        + ") must be >= 0 with e0 + e1 < 1");
            }
        }
    }

    /** The same two rates for every ion. */
    public static DetectionCorrection uniform(int ions, double e0, double e1) {
        double[][] e = new double[ions][];
        for (int i = 0; i < ions; i++) {
            e[i] = new double[] {e0, e1};
        }
        return new DetectionCorrection(e);
    }

    public int ions() {
        return ions;
    }

    /** q = (⊗ C_i) p: what detection makes of the true distribution p. */
    public double[] forward(double[] p) {
        double[] q = p.clone();
        for (int i = 0; i < ions; i++) {
            butterfly(q, i, 1 - e0[i], e1[i], e0[i], 1 - e1[i]);
        }
        return q;
    }

    /** Transpose: (⊗ C_iᵀ) v, used by the EM step and by gradients. */
    public double[] adjoint(double[] v) {
        double[] q = v.clone();
        for (int i = 0; i < ions; i++) {
            butterfly(q, i, 1 - e0[i], e0[i], e1[i], 1 - e1[i]);
        }
        return q;
    }

    /** p = (⊗ C_i⁻¹) q: the unbiased linear correction; entries may come out slightly negative. */
    public double[] invert(double[] q) {
        double[] p = q.clone();
        for (int i = 0; i < ions; i++) {
            double d = 1 - e0[i] - e1[i];
            butterfly(p, i, (1 - e1[i]) / d, -e1[i] / d, -e0[i] / d, (1 - e0[i]) / d);
        }
        return p;
    }

    /**
     * Corrected populations from observed frequencies {@code f} of {@code n} shots, with
     * delta-method intervals: p̂ = A f with A = ⊗C_i⁻¹ is linear in the multinomial frequencies,
     * so Var p̂_σ = (Σ_k A_{σk}² f_k − p̂_σ²)/n, and (A∘A) is again a tensor product.
     * Intervals are clipped to [0, 1].
     */
    public Estimate[] correct(double[] f, int n, double level) {
        double[] p = invert(f);
        double[] sq = f.clone();
        for (int i = 0; i < ions; i++) {
            double d = 1 - e0[i] - e1[i];
            double a = (1 - e1[i]) / d;
            double b = e1[i] / d;
            double c = e0[i] / d;
            double e = (1 - e0[i]) / d;
            butterfly(sq, i, a * a, b * b, c * c, e * e);
        }
        double z = Estimators.z(level);
        Estimate[] out = new Estimate[p.length];
        for (int s = 0; s < p.length; s++) {
            double var = Math.max(0, (sq[s] - p[s] * p[s]) / Math.max(n, 1));
            // a floor of one shot's worth keeps the interval finite when nothing was seen
            double se = Math.sqrt(Math.max(var, 0.25 / ((double) n * n + 1)));
            out[s] = new Estimate(p[s], Math.max(0, p[s] - z * se), Math.min(1, p[s] + z * se), level);
        }
        return out;
    }

    /**
     * Maximum-likelihood true distribution on the simplex given observed counts (EM /
     * iterative Bayesian unfolding: p ← p ∘ Cᵀ(n / (C p)) / n), never negative.
     */
    public double[] maximumLikelihood(int[] counts, int iterations) {
        int states = counts.length;
        double total = 0;
        for (int c : counts) {
            total += c;
        }
        double[] p = new double[states];
        java.util.Arrays.fill(p, 1.0 / states);
        if (total == 0) {
            return p;
        }
        for (int it = 0; it < iterations; it++) {
            double[] q = forward(p);
            double[] r = new double[states];
            for (int s = 0; s < states; s++) {
                r[s] = q[s] > 0 ? counts[s] / (total * q[s]) : 0;
            }
            double[] back = adjoint(r);
            double sum = 0;
            for (int s = 0; s < states; s++) {
                p[s] *= back[s];
                sum += p[s];
            }
            for (int s = 0; s < states; s++) {
                p[s] /= sum;
            }
        }
        return p;
    }

    /** Applies [[a, b], [c, d]] to the pairs (bit i = 0, bit i = 1) of v, in place. */
    private static void butterfly(double[] v, int i, double a, double b, double c, double d) {
        int bit = 1 << i;
        for (int s = 0; s < v.length; s++) {
            if ((s & bit) == 0) {
                double x0 = v[s];
                double x1 = v[s | bit];
                v[s] = a * x0 + b * x1;
                v[s | bit] = c * x0 + d * x1;
            }
        }
    }
}
