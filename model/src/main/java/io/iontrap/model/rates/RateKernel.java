package io.iontrap.model.rates;

/**
 * The integrand of Eq. (3) for one coupling, in units of ω (τ = ωt, g/ω, κ/ω, ΔE/ω²).
 *
 * <p>Eq. (3) is W(ΔE) = (2Ω²/ω) Re I(x), I(x) = ∫_0^∞ h(τ) e^{ixτ} dτ with x = c ΔE/ω²,
 * c = 16/(η²+4) and h(τ) = exp[-a(f(τ)+τ) - i c g² s(τ)], a = 2g²ν/ω². With z = e^{λτ},
 * λ = -η/2 + i, both f and s are linear in z and z̄, so h = C e^{-aτ} exp(αz + βz̄) exactly: a
 * decaying exponential times a double power series in z, z̄. This gives the closed-form tail
 * ({@link #tail}) once |α z|+|β z| is small, and h depends on ΔE not at all, so one kernel
 * serves every ΔE of a spin.
 */
final class RateKernel {
    final double eta;
    /** a = 2 g² ν / ω², the exponential damping rate of h. */
    final double a;
    final double bigA;
    final double bigB;
    /** c = 16/(η²+4): x = c ΔE/ω². */
    final double c;
    /** g²/ω². */
    final double g2;
    /** c g², the frequency shift that turns x into x' = c(ΔE + g²)/ω² (the S12/S21 variable). */
    final double cg2;
    /** Curvature of a(f+τ) at τ = 0: |h| ≈ exp(-b τ²) near the peak. */
    final double b;
    // h = C e^{-aτ} exp(α z + β z̄); log C = -P.
    final double logCRe;
    final double logCIm;
    final double alRe;
    final double alIm;
    final double beRe;
    final double beIm;
    /** |α| + |β|: how far h is from its u → 0 form, and the conditioning of the tail series. */
    final double alphaBeta;
    // s(τ) = sCos·(u cos τ - 1) + sSin·u sin τ.
    private final double sCos;
    private final double sSin;

    RateKernel(double eta, double kappaOverOmega, double gOverOmega) {
        if (!(eta > 0) || !Double.isFinite(eta) || !(kappaOverOmega >= 0) || !Double.isFinite(gOverOmega)) {
            throw new IllegalArgumentException("kernel needs eta > 0, kappa >= 0, finite g");
        }
        double q = eta * eta + 4;
        double nu = 4 * (2 * kappaOverOmega + eta) / q;
        this.eta = eta;
        this.g2 = gOverOmega * gOverOmega;
        this.a = 2 * g2 * nu;
        this.bigA = (8 - 2 * eta * eta) / (eta * q);
        this.bigB = 8 / q;
        this.c = 16 / q;
        this.cg2 = c * g2;
        this.b = a * q / (4 * eta);
        this.sCos = 4 * eta / q;
        this.sSin = (eta * eta - 4) / q;
        // exponent = -P - aτ + P·u cos τ + Q·u sin τ, P = aA - i cg² sCos, Q = aB - i cg² sSin.
        double pRe = a * bigA;
        double pIm = -cg2 * sCos;
        double qRe = a * bigB;
        double qIm = -cg2 * sSin;
        this.logCRe = -pRe;
        this.logCIm = -pIm;
        // u cos τ = (z + z̄)/2, u sin τ = (z - z̄)/(2i): α = (P - iQ)/2, β = (P + iQ)/2.
        this.alRe = (pRe + qIm) / 2;
        this.alIm = (pIm - qRe) / 2;
        this.beRe = (pRe - qIm) / 2;
        this.beIm = (pIm + qRe) / 2;
        this.alphaBeta = Math.hypot(alRe, alIm) + Math.hypot(beRe, beIm);
    }

    /** x = c ΔE / ω² for a scaled energy change ΔE/ω². */
    double x(double scaledDeltaE) {
        return c * scaledDeltaE;
    }

    /** Re h(τ) e^{ixτ}, the real integrand of Eq. (3) without the prefactor 2Ω²/ω. */
    double integrand(double tau, double x) {
        double em1 = Math.expm1(-0.5 * eta * tau);
        double u = 1 + em1;
        double cos = Math.cos(tau);
        double sin = Math.sin(tau);
        double half = Math.sin(0.5 * tau);
        // 1 - u cos τ = 2 sin²(τ/2) - (u - 1) cos τ: no cancellation near τ = 0.
        double oneMinusUCos = 2 * half * half - em1 * cos;
        double fPlusTau = bigA * oneMinusUCos - bigB * u * sin + tau;
        double s = -sCos * oneMinusUCos + sSin * u * sin;
        return Math.exp(-a * fPlusTau) * Math.cos(x * tau - cg2 * s);
    }

    /** |h(τ)| = exp[-a(f(τ)+τ)]. */
    double modulus(double tau) {
        double em1 = Math.expm1(-0.5 * eta * tau);
        double half = Math.sin(0.5 * tau);
        double oneMinusUCos = 2 * half * half - em1 * Math.cos(tau);
        return Math.exp(-a * (bigA * oneMinusUCos - bigB * (1 + em1) * Math.sin(tau) + tau));
    }

    /** h(τ) itself, complex: out[0] + i out[1]. */
    void h(double tau, double[] out) {
        double em1 = Math.expm1(-0.5 * eta * tau);
        double u = 1 + em1;
        double cos = Math.cos(tau);
        double sin = Math.sin(tau);
        double half = Math.sin(0.5 * tau);
        double oneMinusUCos = 2 * half * half - em1 * cos;
        double fPlusTau = bigA * oneMinusUCos - bigB * u * sin + tau;
        double s = -sCos * oneMinusUCos + sSin * u * sin;
        double mag = Math.exp(-a * fPlusTau);
        double ph = -cg2 * s;
        out[0] = mag * Math.cos(ph);
        out[1] = mag * Math.sin(ph);
    }

    /**
     * Upper bound of |h| on [lo, hi] from f+τ at the midpoint and |d(f+τ)/dτ| ≤ (|A|+|B|)|λ|u + 1,
     * so that panels where h is negligible can be skipped without ever sampling them.
     */
    double panelBound(double lo, double hi) {
        double mid = 0.5 * (lo + hi);
        double em1 = Math.expm1(-0.5 * eta * mid);
        double half = Math.sin(0.5 * mid);
        double oneMinusUCos = 2 * half * half - em1 * Math.cos(mid);
        double fPlusTau = bigA * oneMinusUCos - bigB * (1 + em1) * Math.sin(mid) + mid;
        double slope = (Math.abs(bigA) + Math.abs(bigB)) * Math.hypot(0.5 * eta, 1) * Math.exp(-0.5 * eta * lo) + 1;
        return Math.exp(-a * (fPlusTau - slope * 0.5 * (hi - lo)));
    }

    /** Upper bound of |h| on [τ0, ∞): uses f+τ ≥ A - √(A²+B²) u + τ. */
    double envelopeFrom(double tau0) {
        double u = Math.exp(-0.5 * eta * tau0);
        return Math.exp(-a * (bigA - Math.hypot(bigA, bigB) * u + tau0));
    }

    /** Width 1/√b_k of the revival peak at τ = 2πk (physics.md §3), b_k = b e^{-ηπk}. */
    double revivalWidth(int k) {
        return 1 / Math.sqrt(b * Math.exp(-eta * Math.PI * k));
    }

    /**
     * Re ∫_T^∞ h(τ) e^{ixτ} dτ from the exact series h = C e^{-aτ} Σ α^m β^n z^m z̄^n/(m! n!),
     * each term integrating to 1/(a + (m+n)η/2 - i(m - n + x)). Accurate (no cancellation) while
     * (|α|+|β|) e^{-ηT/2} is of order one; returns NaN if that product exceeds 30.
     */
    double tail(double t, double x) {
        return tail(t, x, null);
    }

    /** As {@link #tail(double, double)}; noise[0] receives the rounding scale, ε Σ|term|. */
    double tail(double t, double x, double[] noise) {
        double u = Math.exp(-0.5 * eta * t);
        double zRe = u * Math.cos(t);
        double zIm = u * Math.sin(t);
        // α' = α z_T, β' = β z̄_T.
        double apRe = alRe * zRe - alIm * zIm;
        double apIm = alRe * zIm + alIm * zRe;
        double bpRe = beRe * zRe + beIm * zIm;
        double bpIm = beIm * zRe - beRe * zIm;
        double p = Math.hypot(apRe, apIm);
        double q = Math.hypot(bpRe, bpIm);
        if (p + q > 30) {
            return Double.NaN;
        }
        // Prefactor C e^{(-a + ix)T}.
        double logMag = logCRe - a * t;
        if (logMag + p + q < -745) {
            return 0;
        }
        double mag = Math.exp(logMag);
        double ph = logCIm + x * t;
        double preRe = mag * Math.cos(ph);
        double preIm = mag * Math.sin(ph);
        int mMax = termsNeeded(p);
        int nMax = termsNeeded(q);
        double sumRe = 0;
        double absSum = 0;
        double sumIm = 0;
        double amRe = 1;
        double amIm = 0; // α'^m / m!
        for (int m = 0; m <= mMax; m++) {
            double bnRe = amRe;
            double bnIm = amIm; // α'^m β'^n / (m! n!)
            for (int n = 0; n <= nMax; n++) {
                double dRe = a + 0.5 * (m + n) * eta;
                double dIm = -(m - n + x);
                double den = dRe * dRe + dIm * dIm;
                // (bn) / (dRe + i dIm) = bn (dRe - i dIm)/den
                sumRe += (bnRe * dRe + bnIm * dIm) / den;
                if (noise != null) {
                    absSum += Math.hypot(bnRe, bnIm) / Math.sqrt(den);
                }
                sumIm += (bnIm * dRe - bnRe * dIm) / den;
                double nr = (bnRe * bpRe - bnIm * bpIm) / (n + 1);
                double ni = (bnRe * bpIm + bnIm * bpRe) / (n + 1);
                bnRe = nr;
                bnIm = ni;
            }
            double nr = (amRe * apRe - amIm * apIm) / (m + 1);
            double ni = (amRe * apIm + amIm * apRe) / (m + 1);
            amRe = nr;
            amIm = ni;
        }
        if (noise != null) {
            noise[0] = 1e-16 * mag * absSum;
        }
        return preRe * sumRe - preIm * sumIm;
    }

    /** Smallest M with p^M/M! below 1e-18 relative to e^p (the sum of all terms). */
    private static int termsNeeded(double p) {
        int m = 0;
        double term = 1;
        double total = Math.exp(p);
        while (term > 1e-18 * total || m < p) {
            m++;
            term *= p / m;
        }
        return m;
    }
}
