package io.iontrap.simdevice;

import io.iontrap.model.Parameters;
import io.iontrap.model.lindblad.BosonInit;
import io.iontrap.model.lindblad.LindbladEvolution;
import io.iontrap.model.lindblad.LindbladSolver;
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

    private final double[][] cdf;

    LindbladSampler(Parameters p, int initialConfiguration, double[] modelTimes) {
        if (p.size() > MAX_SPINS) {
            throw new IllegalArgumentException("engine lindblad: N = " + p.size() + " spins exceeds " + MAX_SPINS);
        }
        TreeSet<Double> unique = new TreeSet<>();
        for (double t : modelTimes) {
            unique.add(t);
        }
        double[] sorted = unique.stream().mapToDouble(Double::doubleValue).toArray();
        LindbladEvolution ev = LindbladSolver.evolve(p, initialConfiguration, BosonInit.VACUUM, sorted, 0, ATOL, RTOL);
        for (String w : ev.warnings()) {
            LOG.warning("lindblad: " + w);
        }
        this.cdf = new double[modelTimes.length][];
        for (int k = 0; k < modelTimes.length; k++) {
            double[] pop = ev.populations()[Arrays.binarySearch(sorted, modelTimes[k])];
            double[] c = new double[pop.length];
            double s = 0;
            for (int i = 0; i < pop.length; i++) {
                s += Math.max(0, pop[i]); // populations are ≥ 0 up to the solver tolerance
                c[i] = s;
            }
            cdf[k] = c;
        }
    }

    /** Spin populations of the full model at the given model times (for predictions). */
    static double[][] populations(Parameters p, int initialConfiguration, double[] modelTimes) {
        TreeSet<Double> unique = new TreeSet<>();
        for (double t : modelTimes) {
            unique.add(t);
        }
        double[] sorted = unique.stream().mapToDouble(Double::doubleValue).toArray();
        LindbladEvolution ev = LindbladSolver.evolve(p, initialConfiguration, BosonInit.VACUUM, sorted, 0, ATOL, RTOL);
        double[][] out = new double[modelTimes.length][];
        for (int k = 0; k < modelTimes.length; k++) {
            out[k] = ev.populations()[Arrays.binarySearch(sorted, modelTimes[k])].clone();
        }
        return out;
    }

    @Override
    public long[] sample(int point, SplittableRandom rng) {
        double[] c = cdf[point];
        double u = rng.nextDouble() * c[c.length - 1];
        int lo = 0;
        int hi = c.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (c[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        while (lo > 0 && c[lo] == c[lo - 1]) {
            lo--;
        }
        return new long[]{lo};
    }

    @Override
    public Engine engine() {
        return Engine.LINDBLAD;
    }
}
