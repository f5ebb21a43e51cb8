package io.iontrap.model.rates;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fast W(ΔE) of Eq. (3) for one coupling: log W tabulated once over [-Emax, Emax] as adaptive
 * piecewise Chebyshev polynomials of degree {@value #DEGREE}; outside, the reference
 * ({@link FlipRateIntegral}), which there is mostly the S21 endpoint series.
 *
 * <p>Why log W and adaptive Chebyshev: W spans many decades, and the relative accuracy asked for
 * is an absolute accuracy of log W; log W is nearly quadratic across the Gaussian peak (S14) and
 * nearly -4 log(ΔE+g²) in the S21 tail, so few pieces cover the smooth parts, while adaptive
 * bisection still resolves the narrow Lorentzian sidebands at ΔE ≈ k ω²(η²+4)/16 of small η and
 * small g (hundreds of pieces there). A lookup is a bucket index plus a short binary search, a
 * Clenshaw sum and one exp: a few tens of ns and a few kB per table, where interpolating a
 * uniform FFT grid to 1e-8 would need ~20-point stencils over 1e5-1e6 points.
 *
 * <p>The values at the Chebyshev nodes come from {@link FourierGrid} (one FFT of the integrand,
 * ~1 µs per node afterwards), the endpoint series or the exponential series, i.e. the same split
 * as the reference but without its per-ΔE adaptive quadrature. Refinement stops at 1e-11 in
 * log W or at the rounding noise of the node values, whichever is larger. Immutable, hence
 * thread-safe.
 */
public final class FlipRateTable {
    static final int DEGREE = 14;
    private static final int MAX_DEPTH = 40;
    private static final double TOL = 1e-11;
    private static final double[] NODES = new double[DEGREE + 1];

    static {
        for (int j = 0; j <= DEGREE; j++) {
            NODES[j] = Math.cos(Math.PI * j / DEGREE);
        }
    }

    private final FlipRateIntegral reference;
    private final double prefactorLog;
    private final double omega2;
    private final double lo;
    private final double hi;
    /** Breakpoints (scaled ΔE/ω²) of the m pieces. */
    private final double[] breaks;
    private final double[] mid;
    private final double[] invHalf;
    /** Chebyshev coefficients of log Re I, DEGREE+1 per piece. */
    private final double[] coef;
    private final int[] bucketStart;
    private final double bucketScale;
    private final int evaluations;

    /**
     * @param reference the rate to tabulate
     * @param maxAbsDeltaE Emax ≥ 0, in the energy unit of the parameters (frequency²)
     */
    public FlipRateTable(FlipRateIntegral reference, double maxAbsDeltaE) {
        if (!(maxAbsDeltaE >= 0) || !Double.isFinite(maxAbsDeltaE)) {
            throw new IllegalArgumentException("table range must be finite and >= 0, got " + maxAbsDeltaE);
        }
        this.reference = reference;
        this.omega2 = reference.omega() * reference.omega();
        this.prefactorLog = Math.log(reference.prefactor());
        double emax = Math.max(maxAbsDeltaE / omega2, 1e-3);
        this.lo = -emax;
        this.hi = emax;
        Builder b = new Builder(reference, emax);
        b.fit(lo, hi, 0);
        int m = b.pieces.size();
        this.breaks = new double[m + 1];
        this.mid = new double[m];
        this.invHalf = new double[m];
        this.coef = new double[m * (DEGREE + 1)];
        for (int i = 0; i < m; i++) {
            double[] piece = b.pieces.get(i);
            breaks[i] = piece[0];
            mid[i] = 0.5 * (piece[0] + piece[1]);
            invHalf[i] = 2 / (piece[1] - piece[0]);
            System.arraycopy(piece, 2, coef, i * (DEGREE + 1), DEGREE + 1);
        }
        breaks[m] = hi;
        int buckets = 4 * m;
        this.bucketScale = buckets / (hi - lo);
        this.bucketStart = new int[buckets + 1];
        for (int k = 0; k <= buckets; k++) {
            double e = lo + k / bucketScale;
            int i = Arrays.binarySearch(breaks, e);
            i = i >= 0 ? i : -i - 2;
            bucketStart[k] = Math.max(0, Math.min(m - 1, i));
        }
        this.evaluations = b.evaluations;
    }

    /** W(ΔE), in the frequency unit of the parameters. */
    public double rate(double deltaE) {
        double e = deltaE / omega2;
        if (!(e >= lo && e <= hi)) {
            return reference.rate(deltaE); // outside the table (or NaN): the slow, exact path
        }
        return Math.exp(prefactorLog + logScaled(e));
    }

    /**
     * R(ΔE) = W(ΔE)/W(-ΔE) as one exp of a difference of logs: finite even for Ω = 0, and no
     * overflow where W(-ΔE) is tiny.
     */
    public double ratio(double deltaE) {
        double e = deltaE / omega2;
        if (!(Math.abs(e) <= hi)) {
            return reference.scaledRate(e) / reference.scaledRate(-e);
        }
        return Math.exp(logScaled(e) - logScaled(-e));
    }

    /** log Re I(e) from the table, e = ΔE/ω² inside [lo, hi]. */
    private double logScaled(double e) {
        int k = (int) ((e - lo) * bucketScale);
        int i = bucketStart[k];
        if (k + 1 < bucketStart.length) {
            int j = bucketStart[k + 1];
            while (i < j) { // last piece whose left break ≤ e
                int h = (i + j + 1) >>> 1;
                if (breaks[h] <= e) {
                    i = h;
                } else {
                    j = h - 1;
                }
            }
        }
        double t = (e - mid[i]) * invHalf[i];
        double t2 = 2 * t;
        int base = i * (DEGREE + 1);
        double b1 = 0;
        double b2 = 0;
        for (int n = DEGREE; n >= 1; n--) {
            double b0 = coef[base + n] + t2 * b1 - b2;
            b2 = b1;
            b1 = b0;
        }
        return coef[base] + t * b1 - b2;
    }

    /** Number of Chebyshev pieces. */
    public int pieces() {
        return mid.length;
    }

    /** Reference evaluations spent building the table. */
    public int buildEvaluations() {
        return evaluations;
    }

    /** Largest |ΔE| covered by the table. */
    public double maxAbsDeltaE() {
        return hi * omega2;
    }

    /** Adaptive bisection until the last Chebyshev coefficients of log Re I are negligible. */
    private static final class Builder {
        final FlipRateIntegral ref;
        final RateKernel kernel;
        final double scale;
        final FourierGrid grid;
        final List<double[]> pieces = new ArrayList<>();
        final double[] noise = new double[1];
        int evaluations;

        Builder(FlipRateIntegral ref, double emax) {
            this.ref = ref;
            this.kernel = ref.kernel();
            this.scale = ref.scale();
            this.grid = FourierGrid.build(kernel, ref.endpoint(), scale, gridRange(kernel.x(emax) * 1.01));
        }

        /** |x| up to which the endpoint series is not yet accurate, so the FFT grid is needed. */
        double gridRange(double xMax) {
            double need = 0;
            for (double sign : new double[] {1, -1}) {
                double x = sign * xMax;
                while (Math.abs(x) > 1e-3 && !Double.isNaN(ref.asymptotic(x))) {
                    x *= 0.97;
                }
                need = Math.max(need, Math.abs(x) / 0.97);
            }
            return Math.min(xMax, need * 1.02 + 1);
        }

        /**
         * Re I at e = ΔE/ω², by the same split as the reference but with the FFT grid for the
         * quadrature; {@link #noise} receives the rounding-error scale of the value.
         */
        double value(double e) {
            double x = kernel.x(e);
            double v = ref.asymptotic(x);
            if (!Double.isNaN(v)) {
                noise[0] = 1e-15 * v;
                return v;
            }
            if (kernel.alphaBeta <= FlipRateIntegral.TAIL_SWITCH) {
                return kernel.tail(0, x, noise);
            }
            noise[0] = 3e-16 * scale; // quadrature and FFT: ~1e-16 of ∫|h|
            return grid != null && grid.covers(x) ? grid.realPart(x) : ref.scaledRate(e);
        }

        void fit(double a, double b, int depth) {
            double[] v = new double[DEGREE + 1];
            double relNoise = 0;
            for (int j = 0; j <= DEGREE; j++) {
                double e = 0.5 * (a + b) + 0.5 * (b - a) * NODES[j];
                double w = value(e);
                evaluations++;
                if (!(w > 0)) {
                    throw new IllegalStateException("flip rate not positive at scaled dE = " + e + ": " + w);
                }
                relNoise = Math.max(relNoise, noise[0] / w);
                v[j] = Math.log(w);
            }
            double[] c = chebyshevCoefficients(v);
            // Do not chase rounding noise of the values (quadrature: ~1e-16 of ∫|h|) in the deep tail.
            double tol = Math.max(TOL, relNoise);
            double tailSize = Math.max(Math.abs(c[DEGREE]), Math.max(Math.abs(c[DEGREE - 1]), Math.abs(c[DEGREE - 2])));
            if (tailSize <= tol || depth >= MAX_DEPTH) {
                double[] piece = new double[DEGREE + 3];
                piece[0] = a;
                piece[1] = b;
                System.arraycopy(c, 0, piece, 2, DEGREE + 1);
                pieces.add(piece);
                return;
            }
            double m = 0.5 * (a + b);
            fit(a, m, depth + 1);
            fit(m, b, depth + 1);
        }

        /** Coefficients of the interpolant at the Chebyshev-Lobatto points cos(πj/n) (a DCT-I). */
        static double[] chebyshevCoefficients(double[] v) {
            int n = DEGREE;
            double[] c = new double[n + 1];
            for (int k = 0; k <= n; k++) {
                double s = 0;
                for (int j = 0; j <= n; j++) {
                    double w = (j == 0 || j == n) ? 0.5 : 1;
                    s += w * v[j] * Math.cos(Math.PI * j * k / n);
                }
                c[k] = s * 2 / n;
            }
            c[0] /= 2;
            c[n] /= 2;
            return c;
        }
    }
}
