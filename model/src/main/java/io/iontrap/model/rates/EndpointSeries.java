package io.iontrap.model.rates;

/**
 * The large-ΔE expansion of Eq. (3): repeated integration by parts at the τ = 0 endpoint,
 * I(x) ~ Σ_k (-1)^{k+1} h̃^{(k)}(0) / (i x')^{k+1}, x' = c(ΔE + g²)/ω², where
 * h̃(τ) = h(τ) e^{-i c g² τ} has no linear phase. Its first real term is S21,
 * W ≈ (2Ω²/ω) a(η²+4)/(4x'⁴). The series is asymptotic (Gaussian parts of h, of size
 * e^{-x'²/4b}, are beyond all orders), so it is summed to its smallest term and trusted only when
 * that term is negligible and x' lies well outside the band of sideband poles.
 */
final class EndpointSeries {
    private static final int ORDER = 80;

    private final RateKernel k;
    /** d_n = h̃^{(n)}(0), complex. */
    private final double[] dRe = new double[ORDER + 1];
    private final double[] dIm = new double[ORDER + 1];
    private final int usable;

    EndpointSeries(RateKernel kernel) {
        this.k = kernel;
        double eta = kernel.eta;
        double q = eta * eta + 4;
        // φ̃ = -a(f+τ) - i c g² (s+τ); with λ = -η/2 + i, u cos τ = Re e^{λτ}, u sin τ = Im e^{λτ}:
        // (f+τ)^{(n)}(0) = -A Re λ^n - B Im λ^n (+1 for n = 1), s^{(n)}(0) = (4η Re λ^n + (η²-4) Im λ^n)/q.
        double[] phRe = new double[ORDER + 1];
        double[] phIm = new double[ORDER + 1];
        double lRe = 1;
        double lIm = 0;
        for (int n = 1; n <= ORDER; n++) {
            double nr = lRe * (-eta / 2) - lIm;
            double ni = lRe + lIm * (-eta / 2);
            lRe = nr;
            lIm = ni;
            double f = -kernel.bigA * lRe - kernel.bigB * lIm;
            double s = (4 * eta * lRe + (eta * eta - 4) * lIm) / q;
            if (n == 1) {
                f = 0; // f'(0) + 1 = 0 and s'(0) + 1 = 0 exactly (no linear term)
                s = 0;
            }
            phRe[n] = -kernel.a * f;
            phIm[n] = -kernel.cg2 * s;
        }
        // h̃' = φ̃' h̃: d_{n+1} = Σ_j C(n,j) φ̃_{j+1} d_{n-j}.
        dRe[0] = 1;
        int last = ORDER;
        double[] binom = new double[ORDER + 1];
        for (int n = 0; n < ORDER; n++) {
            binom[0] = 1;
            for (int j = 1; j <= n; j++) {
                binom[j] = binom[j - 1] * (n - j + 1) / j;
            }
            double sr = 0;
            double si = 0;
            for (int j = 0; j <= n; j++) {
                double pr = phRe[j + 1];
                double pi = phIm[j + 1];
                sr += binom[j] * (pr * dRe[n - j] - pi * dIm[n - j]);
                si += binom[j] * (pr * dIm[n - j] + pi * dRe[n - j]);
            }
            dRe[n + 1] = sr;
            dIm[n + 1] = si;
            if (!Double.isFinite(sr) || !Double.isFinite(si) || Math.abs(sr) + Math.abs(si) > 1e280) {
                last = n;
                break;
            }
        }
        this.usable = last;
    }

    /** Number of derivatives h̃^{(n)}(0), n = 0..usable, that are finite. */
    int usable() {
        return usable;
    }

    double derivativeRe(int n) {
        return dRe[n];
    }

    double derivativeIm(int n) {
        return dIm[n];
    }

    /**
     * Re I(x) from the endpoint series, or NaN when the series is not accurate to about
     * {@code relTol} relative (smallest term too large) or x' is inside the sideband band.
     */
    double realPart(double x, double relTol) {
        double xp = x + k.cg2;
        if (Math.abs(xp) < 2 * k.cg2 + 3 + 3 * Math.min(k.alphaBeta, 10)) {
            return Double.NaN;
        }
        return summed(xp, relTol);
    }

    /**
     * The series at x' = x + c g², truncated before its smallest pair of consecutive terms (pairs,
     * because odd and even orders differ in size); NaN if that pair is above relTol of the sum.
     */
    double summed(double xp, double relTol) {
        // term_n = (-1)^{n+1} d_n / (i x')^{n+1}, with 1/(i x')^{n+1} = (-i/x')^{n+1}
        double[] re = new double[usable + 1];
        double[] mag = new double[usable + 1];
        double powRe = 0;
        double powIm = -1 / xp;
        double sign = -1;
        double partial = 0;
        int last = usable;
        for (int n = 0; n <= usable; n++) {
            double tr = sign * (dRe[n] * powRe - dIm[n] * powIm);
            double ti = sign * (dRe[n] * powIm + dIm[n] * powRe);
            re[n] = tr;
            mag[n] = Math.hypot(tr, ti);
            partial += tr;
            if (n > 6 && mag[n] + mag[n - 1] < 1e-25 * Math.abs(partial)) {
                last = n;
                break; // converged for all practical purposes
            }
            double nr = powIm / xp; // (pr + i pi)(-i/x') = (pi - i pr)/x'
            double ni = -powRe / xp;
            powRe = nr;
            powIm = ni;
            sign = -sign;
        }
        int cut = last;
        double best = Double.POSITIVE_INFINITY;
        for (int n = 4; n < last; n++) {
            double pair = mag[n] + mag[n + 1];
            if (pair < best) {
                best = pair;
                cut = n;
            }
        }
        double sum = 0;
        for (int n = 0; n < cut; n++) {
            sum += re[n];
        }
        if (!(best <= relTol * Math.abs(sum)) || sum <= 0) {
            return Double.NaN;
        }
        return sum;
    }
}
