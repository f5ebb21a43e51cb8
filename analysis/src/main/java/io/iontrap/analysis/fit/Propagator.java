package io.iontrap.analysis.fit;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;

/**
 * Solves the classical master equation of physics.md §3 for given single-spin-flip rates:
 * the populations at each requested time from an initial distribution. The fits depend only on
 * this interface, so the solver behind it can be swapped.
 */
@FunctionalInterface
public interface Propagator {
    /**
     * @param p0    initial distribution over the 2^N configurations
     * @param times hold times, ascending, ≥ 0
     * @return p(t) for each time, [time index][configuration]
     */
    double[][] evolve(IsingLandscape landscape, SpinFlipRates rates, double[] p0, double[] times);
}
