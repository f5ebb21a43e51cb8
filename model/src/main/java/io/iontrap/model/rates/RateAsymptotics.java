package io.iontrap.model.rates;

import io.iontrap.model.Parameters;

/**
 * Closed-form limits of the flip rate of Eq. (3) (physics.md §4), written for general ω by
 * measuring every frequency in units of ω (g/ω, κ/ω, Ω/ω; ΔE/ω²) and the rate in units of ω.
 */
public final class RateAsymptotics {
    private RateAsymptotics() {
    }

    /** Γ_i = 16 (ΔE_i + g_i²) / ((η² + 4) ω²), the scaled energy change of Eq. (S12). */
    public static double scaledJump(Parameters p, double g, double deltaE) {
        double eta = p.eta();
        double w = p.omega();
        return 16 * (deltaE + g * g) / ((eta * eta + 4) * w * w);
    }

    /** Gaussian "small jump" form (S14), valid for Γ_i ≲ 1/√η at small η. */
    public static double smallJump(Parameters p, double g, double deltaE) {
        double w = p.omega();
        double eta = p.eta();
        double gs = g / w;
        double k = 2 * p.kappa() / w + eta;
        double gamma = scaledJump(p, g, deltaE);
        double drive = p.drive() / w;
        return w * drive * drive * Math.sqrt(Math.PI * eta / (2 * gs * gs * k))
                * Math.exp(-eta * gamma * gamma / (8 * gs * gs * k));
    }

    /** Power-law "large jump" tail (S21), valid for Γ_i → ∞. */
    public static double largeJump(Parameters p, double g, double deltaE) {
        double w = p.omega();
        double eta = p.eta();
        double gs = g / w;
        double k = 2 * p.kappa() / w + eta;
        double drive = p.drive() / w;
        double x = (eta * eta + 4) / (16 * (deltaE + g * g) / (w * w));
        return w * 4 * drive * drive * gs * gs * k * x * x * x * x;
    }

    /**
     * Effective inverse temperature β_eff = 128 η / ((η² + 4)² (2κ/ω + η) ω²), in units of
     * 1/frequency²: R_i(ΔE) = W_i(ΔE)/W_i(-ΔE) ≈ exp(-β_eff ΔE) in the small-jump regime. Tends to
     * 4η/ω² for κ = ω and η → 0.
     */
    public static double betaEff(double omega, double kappa, double eta) {
        double q = eta * eta + 4;
        return 128 * eta / (q * q * (2 * kappa / omega + eta) * omega * omega);
    }

    public static double betaEff(Parameters p) {
        return betaEff(p.omega(), p.kappa(), p.eta());
    }
}
