package io.iontrap.analysis.fit;

import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.rates.FlipRates;
import io.iontrap.model.rates.RateAsymptotics;
import java.util.function.Function;

/** Flip-rate models for a parameter set, to plug into {@link ModelPrediction}. */
public final class RateModels {

    private RateModels() {
    }

    /** The exact rates of Eq. (3) (the model's tabulated {@link FlipRates}). */
    public static Function<Parameters, SpinFlipRates> exact() {
        return FlipRates::new;
    }

    /** The Gaussian small-jump form (S14) of physics.md §4; valid at small η. */
    public static Function<Parameters, SpinFlipRates> smallJump() {
        return p -> (i, dE) -> RateAsymptotics.smallJump(p, p.g(i), dE);
    }

    /**
     * Glauber rates Ω²/ω · 2/(1 + exp(β_eff ΔE)) with β_eff of physics.md §4: reversible with
     * Boltzmann stationary state at β_eff, rates ∝ Ω². A closed-form reference for tests.
     */
    public static Function<Parameters, SpinFlipRates> glauber() {
        return p -> {
            double beta = RateAsymptotics.betaEff(p);
            double scale = p.drive() * p.drive() / p.omega();
            return (i, dE) -> scale * 2 / (1 + Math.exp(beta * dE));
        };
    }
}
