package io.iontrap.model.rates;

/**
 * I(x) = ∫_0^∞ h(τ) e^{ixτ} dτ of Eq. (3) for every x in [-xMax, xMax] from one FFT, to build
 * {@link FlipRateTable}s fast (the adaptive reference costs ~1 ms per x; this ~1 µs).
 *
 * <p>[0, T] by the trapezoid rule on a grid Δ fine enough for h and for e^{ixτ} (Δ(|x'| + bandwidth
 * of h) ≤ 1), corrected at both ends by Euler-Maclaurin with the exact derivatives of h (at 0 from
 * {@link EndpointSeries}, at T from the exponential form of {@link RateKernel}); [T, ∞) either
 * negligible (|h| bound) or the exact series {@link RateKernel#tail}. The trapezoid sum is a
 * trigonometric polynomial with frequencies in [0, T]: one zero-padded FFT samples it at spacing
 * 2π/(8T); demodulated by e^{-ixT/2}, {@value #STENCIL}-point Lagrange interpolation between samples
 * is then accurate to ~(π/16)^{24} of ∫|h|.
 */
final class FourierGrid {
    static final int STENCIL = 24;
    private static final int PAD = 8;
    private static final int MAX_LOG2 = 22;
    private static final int EM_TERMS = 14;
    private static final double[] EM_COEF = new double[EM_TERMS + 1];
    private static final double[] LAGRANGE = new double[STENCIL];

    static {
        // B_2k / (2k)!, k = 1..14 (Bernoulli numbers)
        double[] b = {1.0 / 6, -1.0 / 30, 1.0 / 42, -1.0 / 30, 5.0 / 66, -691.0 / 2730, 7.0 / 6, -3617.0 / 510,
            43867.0 / 798, -174611.0 / 330, 854513.0 / 138, -236364091.0 / 2730, 8553103.0 / 6,
            -23749461029.0 / 870};
        double fact = 1;
        for (int k = 1; k <= EM_TERMS; k++) {
            fact *= (2 * k - 1) * (2 * k);
            EM_COEF[k] = b[k - 1] / fact;
        }
        // w_k = 1/∏_{j≠k}(k - j) = (-1)^{n-1-k}/(k!(n-1-k)!) for nodes 0..n-1, unit spacing
        for (int k = 0; k < STENCIL; k++) {
            double w = 1;
            for (int j = 0; j < STENCIL; j++) {
                if (j != k) {
                    w /= (k - j);
                }
            }
            LAGRANGE[k] = w;
        }
    }

    private final RateKernel k;
    private final EndpointSeries endpoint;
    private final double step;
    private final double span;
    private final boolean withTail;
    private final double dx;
    private final int m0;
    private final double[] jRe;
    private final double[] jIm;
    private final double xMax;
    private final int fftSize;
    private final int samples;
    /** h^{(n)}(T), n = 0..2·EM_TERMS, for the Euler-Maclaurin correction at the upper end. */
    private final double[] hTRe;
    private final double[] hTIm;

    private FourierGrid(RateKernel k, EndpointSeries endpoint, double xMax, double step, double[][] data,
                        int samples, boolean withTail) {
        this.k = k;
        this.endpoint = endpoint;
        this.xMax = xMax;
        this.step = step;
        this.span = samples * step;
        this.withTail = withTail;
        int n = data[0].length;
        this.fftSize = n;
        this.samples = samples;
        Fft.inverseUnscaled(data[0], data[1]);
        this.dx = 2 * Math.PI / (n * step);
        int half = (int) Math.ceil(xMax / dx) + STENCIL;
        this.m0 = -half;
        this.jRe = new double[2 * half + 1];
        this.jIm = new double[2 * half + 1];
        for (int i = 0; i < jRe.length; i++) {
            int m = m0 + i;
            int idx = m >= 0 ? m : m + n;
            double re = data[0][idx];
            double im = data[1][idx];
            double ph = -halfSpanPhase(m, 0); // demodulate by e^{-ixT/2}
            double c = Math.cos(ph);
            double s = Math.sin(ph);
            jRe[i] = re * c - im * s;
            jIm[i] = re * s + im * c;
        }
        this.hTRe = new double[2 * EM_TERMS];
        this.hTIm = new double[2 * EM_TERMS];
        if (withTail) {
            upperDerivatives();
        }
    }

    /**
     * A grid covering |x| ≤ xMax, or null if it would need more than 2^22 points (then the caller
     * falls back to the adaptive reference).
     */
    static FourierGrid build(RateKernel k, EndpointSeries endpoint, double scale, double xMax) {
        double bandwidth = Math.abs(xMax) + 2 * k.cg2 + 6 * Math.sqrt(k.b) + Math.abs(k.alIm) + Math.abs(k.beIm)
                + k.eta + 5;
        double step = 1 / bandwidth;
        double tSeries = k.alphaBeta <= 4 ? 0 : 2 / k.eta * Math.log(k.alphaBeta / 4);
        double tEnv = Double.POSITIVE_INFINITY;
        for (int p = 1; p < 1_000_000; p++) {
            double t = 2 * Math.PI * p;
            if (k.envelopeFrom(t) / Math.min(k.a, 1) < 1e-19 * scale) {
                tEnv = t;
                break;
            }
        }
        boolean withTail = tSeries < tEnv;
        double t = withTail ? tSeries : tEnv;
        int samples = Math.max(1, (int) Math.ceil(t / step));
        if ((double) PAD * samples > (1 << MAX_LOG2)) {
            return null;
        }
        double[] re = new double[samples + 1];
        double[] im = new double[samples + 1];
        double[] hv = new double[2];
        int last = 0;
        for (int j = 0; j <= samples; j++) {
            k.h(j * step, hv);
            re[j] = hv[0];
            im[j] = hv[1];
            if (Math.abs(hv[0]) + Math.abs(hv[1]) > 1e-21 * scale) {
                last = j;
            }
        }
        if (!withTail) { // trim the stretch where |h| < 1e-21 of ∫|h|: plain truncation there
            samples = Math.min(samples, last + 2);
        }
        int log2 = Math.max(8, 64 - Long.numberOfLeadingZeros((long) PAD * samples));
        double[][] data = new double[2][1 << log2];
        for (int j = 0; j <= samples; j++) {
            double w = (j == 0 || j == samples) ? 0.5 * step : step;
            data[0][j] = w * re[j];
            data[1][j] = w * im[j];
        }
        if (!withTail) {
            data[0][samples] = 0;
            data[1][samples] = 0;
        }
        return new FourierGrid(k, endpoint, xMax, step, data, samples, withTail);
    }

    boolean covers(double x) {
        return Math.abs(x) <= xMax;
    }

    /** Re I(x). */
    double realPart(double x) {
        double re = interpolatedRe(x);
        re += lowerCorrection(x);
        if (withTail) {
            re += upperCorrection(x);
            re += k.tail(span, x);
        }
        return re;
    }

    /** Re of e^{ixT/2} J(x), J interpolated by barycentric Lagrange on the STENCIL nearest samples. */
    private double interpolatedRe(double x) {
        double bin = x / dx;
        long whole = (long) Math.floor(bin);
        double frac = bin - whole;
        int first = (int) (whole - m0) - STENCIL / 2 + 1;
        // First (modified Lagrange) barycentric form: backward stable even for equispaced nodes,
        // where the second form's cancelling alternating weights would cost ~1e5 ulps.
        double numRe = 0;
        double numIm = 0;
        double ell = 1;
        for (int i = 0; i < STENCIL; i++) {
            double d = frac + (STENCIL / 2 - 1 - i); // x - x_i in bins
            if (d == 0) {
                numRe = jRe[first + i];
                numIm = jIm[first + i];
                ell = 1;
                break;
            }
            double w = LAGRANGE[i] / d;
            numRe += w * jRe[first + i];
            numIm += w * jIm[first + i];
            ell *= d;
        }
        double ph = halfSpanPhase(whole, frac);
        return ell * (numRe * Math.cos(ph) - numIm * Math.sin(ph));
    }

    /**
     * x T/2 at x = (m + frac) dx, reduced exactly: x T/2 = π (m + frac)·samples/n. Rounding x T/2
     * (up to ~1e4) directly would cost 1e-12 in phase and leak Im I (∝ 1/x) into the far smaller
     * Re I (∝ 1/x⁴) of the tail.
     */
    private double halfSpanPhase(long m, double frac) {
        long twoN = 2L * fftSize;
        long r = Math.floorMod(m * samples, twoN);
        return Math.PI * (r + frac * samples) / fftSize;
    }

    /** Re Σ B_2k Δ^{2k}/(2k)! F^{(2k-1)}(0), F = h̃ e^{ix'τ}, x' = x + c g². */
    private double lowerCorrection(double x) {
        double xp = x + k.cg2;
        double sum = 0;
        double d2k = step * step;
        int usable = endpoint.usable();
        for (int kk = 1; kk <= EM_TERMS && 2 * kk - 1 <= usable; kk++) {
            int n = 2 * kk - 1;
            double re = derivativeRe(n, xp);
            double term = EM_COEF[kk] * d2k * re;
            sum += term;
            d2k *= step * step;
        }
        return sum;
    }

    /** -Re Σ B_2k Δ^{2k}/(2k)! F^{(2k-1)}(T), F = h e^{ixτ}. */
    private double upperCorrection(double x) {
        double sum = 0;
        double d2k = step * step;
        double c = Math.cos(x * span);
        double s = Math.sin(x * span);
        for (int kk = 1; kk <= EM_TERMS; kk++) {
            int n = 2 * kk - 1;
            // Σ_m C(n,m) h^{(m)}(T) (ix)^{n-m}, times e^{ixT}
            double re = 0;
            double im = 0;
            double binom = 1;
            for (int m = n; m >= 0; m--) {
                int p = n - m; // power of (ix)
                double mag = binom * Math.pow(x, p);
                // (i)^p
                double ir = (p % 4 == 0) ? 1 : (p % 4 == 2) ? -1 : 0;
                double ii = (p % 4 == 1) ? 1 : (p % 4 == 3) ? -1 : 0;
                re += mag * (hTRe[m] * ir - hTIm[m] * ii);
                im += mag * (hTRe[m] * ii + hTIm[m] * ir);
                binom = binom * m / (p + 1);
            }
            sum -= EM_COEF[kk] * d2k * (re * c - im * s);
            d2k *= step * step;
        }
        return sum;
    }

    /** Re F^{(n)}(0) for F = h̃ e^{ix'τ}: Σ_m C(n,m) d_m (ix')^{n-m}. */
    private double derivativeRe(int n, double xp) {
        double re = 0;
        double binom = 1;
        for (int m = n; m >= 0; m--) {
            int p = n - m;
            double mag = binom * Math.pow(xp, p);
            double dr = endpoint.derivativeRe(m);
            double di = endpoint.derivativeIm(m);
            switch (p % 4) {
                case 0: re += mag * dr; break;
                case 1: re -= mag * di; break;
                case 2: re -= mag * dr; break;
                default: re += mag * di; break;
            }
            binom = binom * m / (p + 1);
        }
        return re;
    }

    /** h^{(n)}(T) from φ = log C - aτ + αz + βz̄: φ^{(n)} = -a[n=1] + αλ^n z_T + βλ̄^n z̄_T. */
    private void upperDerivatives() {
        int nMax = 2 * EM_TERMS - 1;
        double[] phRe = new double[nMax + 1];
        double[] phIm = new double[nMax + 1];
        double u = Math.exp(-0.5 * k.eta * span);
        double zRe = u * Math.cos(span);
        double zIm = u * Math.sin(span);
        // α z_T and β z̄_T
        double aRe = k.alRe * zRe - k.alIm * zIm;
        double aIm = k.alRe * zIm + k.alIm * zRe;
        double bRe = k.beRe * zRe + k.beIm * zIm;
        double bIm = k.beIm * zRe - k.beRe * zIm;
        double lRe = -0.5 * k.eta;
        for (int n = 1; n <= nMax; n++) {
            // multiply α z_T by λ and β z̄_T by λ̄ once more
            double nr = aRe * lRe - aIm;
            double ni = aRe + aIm * lRe;
            aRe = nr;
            aIm = ni;
            nr = bRe * lRe + bIm;
            ni = bIm * lRe - bRe;
            bRe = nr;
            bIm = ni;
            phRe[n] = aRe + bRe + (n == 1 ? -k.a : 0);
            phIm[n] = aIm + bIm;
        }
        double[] hv = new double[2];
        k.h(span, hv);
        hTRe[0] = hv[0];
        hTIm[0] = hv[1];
        for (int n = 0; n < nMax; n++) {
            double sr = 0;
            double si = 0;
            double binom = 1;
            for (int j = 0; j <= n; j++) {
                sr += binom * (phRe[j + 1] * hTRe[n - j] - phIm[j + 1] * hTIm[n - j]);
                si += binom * (phRe[j + 1] * hTIm[n - j] + phIm[j + 1] * hTRe[n - j]);
                binom = binom * (n - j) / (j + 1);
            }
            hTRe[n + 1] = sr;
            hTIm[n + 1] = si;
        }
    }
}
