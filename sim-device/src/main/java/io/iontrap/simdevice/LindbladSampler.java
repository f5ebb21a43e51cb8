package io.iontrap.simdevice;

import io.iontrap.model.Parameters;
import io.iontrap.model.lindblad.BosonInit;
import io.iontrap.model.lindblad.LindbladEvolution;
import io.iontrap.model.lindblad.LindbladSolver;
import io.iontrap.model.numerics.Categorical;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Shots from the full spin-boson model, Eqs. (1)-(2) ({@link LindbladSolver}): the spin populations
 * Tr_B⟨σ|ρ(t)|σ⟩ at every hold time of the schedule in one solve (from |σ_0⟩ ⊗ |0⟩, the mode cooled to its
 * ground state before the forces start; automatic Fock cut-off), then one categorical draw per shot, as
 * in {@link ExactSampler}. N ≤ {@link #MAX_SPINS}.
 */
final class LindbladSampler implements ShotSampler {
    private static final Logger LOG = Logger.getLogger(LindbladSampler.class.getName());
    static final int MAX_SPINS = 6;
    static final double ATOL = 1e-10;
    static final double RTOL = 1e-8;

    private final Categorical[] shots;

    LindbladSampler(Parameters p, int initialConfiguration, double[] modelTimes) {
        if (p.size() > MAX_SPINS) {
            throw new IllegalArgumentException("engine lindblad: N = " + p.size() + " spins exceeds " + MAX_SPINS);
        }
        double[][] pop = populations(p, initialConfiguration, modelTimes);
        this.shots = new Categorical[pop.length];
        for (int k = 0; k < pop.length; k++) {
            shots[k] = new Categorical(pop[k]); // populations are >= 0 up to the solver tolerance
        }
    }

    /**
     * Spin populations of the full model at the given model times (for the shots and for predictions):
     * one solve over the distinct times, its truncation and positivity warnings logged.
     */
    static double[][] populations(Parameters p, int initialConfiguration, double[] modelTimes) {
        TreeSet<Double> unique = new TreeSet<>();
        for (double t : modelTimes) {
            unique.add(t);
        }
        double[] sorted = unique.stream().mapToDouble(Double::doubleValue).toArray();
        LindbladEvolution ev = LindbladSolver.evolve(p, initialConfiguration, BosonInit.VACUUM, sorted, 0, ATOL, RTOL);
        for (String w : ev.warnings()) {
            LOG.warning("lindblad: " + w);
        }
        double[][] out = new double[modelTimes.length][];
        for (int k = 0; k < modelTimes.length; k++) {
            out[k] = ev.populations()[Arrays.binarySearch(sorted, modelTimes[k])].clone();
        }
        return out;
    }

    @Override
    public long[] sample(int point, SplittableRandom rng) {
        return new long[]{shots[point].draw(rng)};
    }

    @Override
    public Engine engine() {
        return Engine.LINDBLAD;
    }
}
