package io.iontrap.simdevice;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.master.KineticMonteCarlo;
import io.iontrap.model.master.MasterEquation;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Chooses and builds the engine of a run.
 *
 * <p>Rules for {@link Engine#AUTO}:
 * <ol>
 *   <li>N &gt; {@link #EXACT_MAX_SPINS}, or the exact rate tables would take more than a third of the
 *       heap: kinetic Monte Carlo;</li>
 *   <li>otherwise the cheaper by an operation count: exact ≈ 2^N·N·(Λt_max + 10√(Λt_max) + 2)
 *       (uniformisation products, Λ the largest exit rate), KMC ≈ 20·N·Σ_k S·(1 + r̄ t_k) (N rate
 *       look-ups per event, r̄ the mean exit rate, S shots per point); Λ and r̄ are estimated from 256
 *       random configurations. Ties go to exact.</li>
 * </ol>
 * The full Lindblad model is used only on request (it is the physics the effective model
 * approximates, for N ≤ 6, and costs far more).
 */
public final class EngineSelector {
    /** Largest N the automatic choice gives to the exact master equation (2^20 states, ~92 MB tables). */
    public static final int EXACT_MAX_SPINS = 20;

    private EngineSelector() {
    }

    /** The decision and why. */
    public record Choice(Engine engine, String reason) {
    }

    public static Choice choose(Engine requested, Parameters p, SpinFlipRates rates, long[] initial,
                                double[] modelTimes, int shotsPerPoint) {
        int n = p.size();
        switch (requested) {
            case EXACT:
                if (n > MasterEquation.MAX_SPINS) {
                    throw new IllegalArgumentException("engine exact: N = " + n + " spins exceeds "
                            + MasterEquation.MAX_SPINS + " (2^N configurations); use kmc");
                }
                return new Choice(Engine.EXACT, "requested");
            case KMC:
                return new Choice(Engine.KMC, "requested");
            case LINDBLAD:
                if (n > LindbladSampler.MAX_SPINS) {
                    throw new IllegalArgumentException("engine lindblad: N = " + n + " spins exceeds "
                            + LindbladSampler.MAX_SPINS + " (full spin-boson model); use exact or kmc");
                }
                return new Choice(Engine.LINDBLAD, "requested");
            default:
                break;
        }
        if (n > EXACT_MAX_SPINS) {
            return new Choice(Engine.KMC, "N = " + n + " > " + EXACT_MAX_SPINS);
        }
        if (MasterEquation.tableBytes(n) > Runtime.getRuntime().maxMemory() / 3) {
            return new Choice(Engine.KMC, "exact tables for N = " + n + " exceed a third of the heap");
        }
        double[] exit = exitRates(p, rates, initial);
        double lambda = exit[1];
        double tMax = 0;
        double sumT = 0;
        for (double t : modelTimes) {
            tMax = Math.max(tMax, t);
            sumT += 1 + exit[0] * t;
        }
        double lt = lambda * tMax;
        double exact = Math.pow(2, n) * n * (lt + 10 * Math.sqrt(lt) + 2);
        double kmc = 20.0 * n * shotsPerPoint * sumT;
        String why = String.format(Locale.ROOT, "cost estimate exact %.3g vs kmc %.3g operations", exact, kmc);
        return exact <= kmc ? new Choice(Engine.EXACT, why) : new Choice(Engine.KMC, why);
    }

    /** {mean, max} of the exit rate Σ_i W_i over the initial and 256 random configurations (seeded, deterministic). */
    static double[] exitRates(Parameters p, SpinFlipRates rates, long[] initial) {
        int n = p.size();
        double[] g = p.g();
        SplittableRandom r = new SplittableRandom(0x5EEDL);
        double sum = 0;
        double max = 0;
        int samples = 257;
        for (int k = 0; k < samples; k++) {
            long[] w = initial.clone();
            if (k > 0) {
                for (int j = 0; j < w.length; j++) {
                    w[j] = r.nextLong();
                }
            }
            double m = 0;
            for (int i = 0; i < n; i++) {
                m += KineticMonteCarlo.spin(w, i) * g[i];
            }
            double e = 0;
            for (int i = 0; i < n; i++) {
                e += rates.rate(i, g[i] * KineticMonteCarlo.spin(w, i) * m - g[i] * g[i]);
            }
            sum += e;
            max = Math.max(max, e);
        }
        return new double[]{sum / samples, max};
    }

    /** Builds the sampler of a run. */
    static ShotSampler build(Engine engine, Parameters p, SpinFlipRates rates, long[] initial, double[] modelTimes) {
        switch (engine) {
            case EXACT:
                return new ExactSampler(new MasterEquation(new IsingLandscape(p.g()), rates), (int) initial[0],
                        modelTimes);
            case KMC:
                return new KmcSampler(new KineticMonteCarlo(p.g(), rates), initial, modelTimes);
            case LINDBLAD:
                return new LindbladSampler(p, (int) initial[0], modelTimes);
            default:
                throw new IllegalArgumentException("engine " + engine + " cannot be built directly");
        }
    }

    /** Whether the full-model engine is available in this build (it is since the Lindblad solver was merged). */
    public static boolean lindbladAvailable() {
        return true;
    }
}
