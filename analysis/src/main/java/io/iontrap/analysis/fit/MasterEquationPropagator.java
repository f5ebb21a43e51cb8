package io.iontrap.analysis.fit;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.master.MasterEquation;

/**
 * The model's production solver ({@link MasterEquation}: halved rate tables, Fox–Glynn
 * uniformisation, parallel matvec) behind the {@link Propagator} interface. Builds the rate
 * table once per call (N·2^(N−1) rate look-ups, memoised by {@link ModelPrediction}).
 */
public final class MasterEquationPropagator implements Propagator {
    @Override
    public double[][] evolve(IsingLandscape landscape, SpinFlipRates rates, double[] p0, double[] times) {
        return new MasterEquation(landscape, rates).evolve(p0, times);
    }

    @Override
    public double[][] evolveAt(IsingLandscape landscape, SpinFlipRates rates, double[] p0, double[] times) {
        return evolve(landscape, rates, p0, times); // MasterEquation takes times in any order
    }
}
