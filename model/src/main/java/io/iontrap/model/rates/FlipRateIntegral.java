package io.iontrap.model.rates;

import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.Parameters;

/**
 * Reference evaluation of the flip rate W(ΔE) of Eq. (3) for one coupling g: slow (µs to a few
 * ms) and accurate to ~1e-10 relative wherever W is within 1e-6 of its maximum (checked against
 * 25-digit mpmath values, MpmathReferenceTest), ~1e-6 deeper in the tail.
 *
 * <p>How (all in units of ω, see {@link RateKernel}):
 * <ul>
 *   <li>Large |ΔE + g²|: the endpoint expansion at τ = 0 ({@link EndpointSeries}, whose first term
 *       is S21) when its truncation error is below 1e-13 of the sum; quadrature would lose the
 *       power-law tail to cancellation there (its noise is ~1e-16 of ∫|h|).</li>
 *   <li>Otherwise {@link PeriodQuadrature}: adaptive Gauss-Legendre period by period with panels
 *       graded towards the revival peaks at τ = 2πk, then the exact exponential-series tail.</li>
 * </ul>
 * Immutable and thread-safe.
 */
public final class FlipRateIntegral {
    private static final double ASYMPTOTIC_TOL = 1e-13;
    static final double TAIL_SWITCH = PeriodQuadrature.TAIL_SWITCH;

    private final double omega;
    /** 2Ω²/ω, the prefactor of Eq. (3). */
    private final double prefactor;
    private final RateKernel kernel;
    private final EndpointSeries endpoint;
    private final PeriodQuadrature quadrature;

    public FlipRateIntegral(Parameters p, double g) {
        this(p.omega(), p.drive(), p.kappa(), p.eta(), g);
    }

    /** @param eta η = (γ - κ)/ω; frequencies in any one unit. */
    public FlipRateIntegral(double omega, double drive, double kappa, double eta, double g) {
        if (!(omega > 0) || !Double.isFinite(omega)) {
            throw new InvalidParameterException("omega", "must be finite and > 0, got " + omega);
        }
        if (!(eta > 0) || !Double.isFinite(eta)) {
            throw new InvalidParameterException("eta", "must be finite and > 0, got " + eta);
        }
        if (!(kappa >= 0) || !Double.isFinite(kappa)) {
            throw new InvalidParameterException("kappa", "must be finite and >= 0, got " + kappa);
        }
        if (!(g != 0) || !Double.isFinite(g)) {
            throw new InvalidParameterException("g", "must be finite and nonzero, got " + g);
        }
        this.omega = omega;
        this.prefactor = 2 * drive * drive / omega;
        this.kernel = new RateKernel(eta, kappa / omega, g / omega);
        this.endpoint = new EndpointSeries(kernel);
        this.quadrature = new PeriodQuadrature(kernel);
    }

    /** W(ΔE) of Eq. (3), in the frequency unit of the parameters. */
    public double rate(double deltaE) {
        return prefactor * scaledRate(deltaE / (omega * omega));
    }

    /** Re I(x) = W ω/(2Ω²) at scaled energy change e = ΔE/ω². */
    double scaledRate(double e) {
        if (!Double.isFinite(e)) {
            throw new IllegalArgumentException("deltaE must be finite, got " + e);
        }
        double x = kernel.x(e);
        double asymptotic = asymptotic(x);
        return Double.isNaN(asymptotic) ? quadrature.integrate(x) : asymptotic;
    }

    double omega() {
        return omega;
    }

    /** 2Ω²/ω. */
    double prefactor() {
        return prefactor;
    }

    /** ∫_0^∞ |h| dτ to a few per cent: the scale of absolute tolerances and of quadrature noise. */
    double scale() {
        return quadrature.scale();
    }

    RateKernel kernel() {
        return kernel;
    }

    EndpointSeries endpoint() {
        return endpoint;
    }

    /** Re I(x) from the endpoint series if it is accurate there, else NaN. */
    double asymptotic(double x) {
        return endpoint.realPart(x, ASYMPTOTIC_TOL);
    }

    /** The quadrature path alone, bypassing the endpoint series (for tests of the switch). */
    double quadratureForTest(double x) {
        return quadrature.integrate(x);
    }

}
