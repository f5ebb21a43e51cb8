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

    /** As {@link #evolve}, for hold times in any order (sorted for the solver, returned in the given order). */
    default double[][] evolveAt(IsingLandscape landscape, SpinFlipRates rates, double[] p0, double[] times) {
        Integer[] order = new Integer[times.length];
        for (int k = 0; k < times.length; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(k -> times[k]));
        double[] sorted = new double[times.length];
        for (int k = 0; k < times.length; k++) {
            sorted[k] = times[order[k]];
        }
        double[][] p = evolve(landscape, rates, p0, sorted);
        double[][] out = new double[times.length][];
        for (int k = 0; k < times.length; k++) {
            out[order[k]] = p[k];
        }
        return out;
    }
}
