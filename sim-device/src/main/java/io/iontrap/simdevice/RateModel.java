package io.iontrap.simdevice;

import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.rates.FlipRates;
import io.iontrap.model.rates.RateAsymptotics;

/**
 * The flip rates W_i(ΔE) the simulated trap's spins follow for a given set of true model parameters.
 * {@link #DEFAULT} is what the device uses unless told otherwise.
 */
@FunctionalInterface
public interface RateModel {
    SpinFlipRates rates(Parameters p);

    /** The flip rates of Eq. (3) ({@link FlipRates}: tables per distinct |g_i|, built once per model). */
    RateModel EQ3 = FlipRates::new;

    /**
     * The Gaussian small-jump form (S14) of {@link RateAsymptotics#smallJump}: closed-form, cheap, physically
     * right only at small η (tests that need many models fast use it).
     */
    RateModel SMALL_JUMP = p -> (spin, dE) -> RateAsymptotics.smallJump(p, p.g(spin), dE);

    RateModel DEFAULT = EQ3;

    /** Every rate multiplied by {@code factor} (tests use a wrong model to show the statistics reject it). */
    default RateModel scaled(double factor) {
        return p -> {
            SpinFlipRates r = rates(p);
            return (spin, dE) -> factor * r.rate(spin, dE);
        };
    }
}
