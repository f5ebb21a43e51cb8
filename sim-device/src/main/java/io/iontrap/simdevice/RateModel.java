package io.iontrap.simdevice;

import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.rates.RateAsymptotics;

/**
 * The flip rates W_i(ΔE) the simulated trap's spins follow for a given set of true model parameters.
 * {@link #DEFAULT} is what the device uses unless told otherwise.
 */
@FunctionalInterface
public interface RateModel {
    SpinFlipRates rates(Parameters p);

    /**
     * Stand-in until {@code FlipRates} (Eq. 3) is merged: the Gaussian small-jump form (S14) of
     * {@link RateAsymptotics#smallJump}. Closed-form, positive for every ΔE, not detailed-balanced in
     * general; physically right only at small η.
     */
    RateModel SMALL_JUMP = p -> (spin, dE) -> RateAsymptotics.smallJump(p, p.g(spin), dE);

    RateModel DEFAULT = SMALL_JUMP;

    /** Every rate multiplied by {@code factor} (tests use a wrong model to show the statistics reject it). */
    default RateModel scaled(double factor) {
        return p -> {
            SpinFlipRates r = rates(p);
            return (spin, dE) -> factor * r.rate(spin, dE);
        };
    }
}
