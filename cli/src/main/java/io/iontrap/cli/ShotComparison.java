package io.iontrap.cli;

import io.iontrap.analysis.estimate.Jeffreys;
import io.iontrap.analysis.fit.GoodnessOfFit;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.numerics.Categorical;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Measured single-shot counts of one scan point against two predictions: the model the device samples (the
 * full spin-boson model of Eqs. (1)-(2) for the Lindblad engine) and the effective model of Eq. (3).
 *
 * <p>The verdict rests on G-tests over every hold time (categories with expected count &lt; 5 pooled,
 * {@link GoodnessOfFit}), rejected at p &lt; {@value #REJECT} as everywhere in the project, not on the largest
 * single-cell deviation: with ~30 (time, configuration) cells a maximum of 3-4 standard errors is not rare, so
 * its look-elsewhere probability is computed too (multinomial samples of the prediction, the same statistic).
 *
 * @param full            G-test of the counts against the full-model prediction (no fitted parameter)
 * @param effective       G-test against the effective-model prediction
 * @param maxZFull        largest |p̂ - p_full| / se over the cells (Jeffreys p̂ and se)
 * @param maxZTime        hold-time index of that cell
 * @param maxZConfig      configuration of that cell
 * @param maxZChance      probability that shots sampled from the full model give a maximum at least as large
 * @param maxEffectiveMinusFull largest |p_eff - p_full| over cells
 * @param worstTime       hold-time index of the cell contributing most to the effective model's deviance
 * @param worstConfig     configuration of that cell
 */
record ShotComparison(GoodnessOfFit full, GoodnessOfFit effective, double maxZFull, int maxZTime, int maxZConfig,
                      double maxZChance, double maxEffectiveMinusFull, int worstTime, int worstConfig,
                      int[][] counts, double[][] fullP, double[][] effectiveP) {
    /** The project's rejection level for goodness-of-fit tests (docs/sim-device.md). */
    static final double REJECT = 1e-3;
    /** Multinomial replicas behind {@link #maxZChance}. */
    static final int REPLICAS = 2000;

    /**
     * @param counts    [hold time][configuration] measured counts
     * @param full      [hold time][configuration] prediction of the model the device samples
     * @param effective [hold time][configuration] prediction of the effective model
     */
    static ShotComparison of(int[][] counts, double[][] full, double[][] effective) {
        GoodnessOfFit gFull = GoodnessOfFit.of(counts, full, 0);
        GoodnessOfFit gEff = GoodnessOfFit.of(counts, effective, 0);
        int[] arg = new int[2];
        double z = maxZ(counts, full, arg);
        // look-elsewhere: how often does the full model itself give a maximum this large?
        SplittableRandom rng = new SplittableRandom(0x5EEDL);
        int exceed = 0;
        int[][] sample = new int[counts.length][];
        int[] dummy = new int[2];
        Categorical[] fullShots = new Categorical[counts.length];
        for (int t = 0; t < counts.length; t++) {
            fullShots[t] = new Categorical(full[t]);
        }
        for (int r = 0; r < REPLICAS; r++) {
            for (int t = 0; t < counts.length; t++) {
                sample[t] = fullShots[t].counts(sum(counts[t]), rng);
            }
            if (maxZ(sample, full, dummy) >= z) {
                exceed++;
            }
        }
        double diff = 0;
        double worst = Double.NEGATIVE_INFINITY;
        int wt = 0;
        int wc = 0;
        for (int t = 0; t < counts.length; t++) {
            int n = sum(counts[t]);
            for (int q = 0; q < counts[t].length; q++) {
                diff = Math.max(diff, Math.abs(effective[t][q] - full[t][q]));
                double e = n * Math.max(effective[t][q], 1e-300);
                double o = counts[t][q];
                double g = (o > 0 ? 2 * o * Math.log(o / e) : 0) - 2 * (o - e); // this cell's deviance
                if (n > 0 && g > worst) {
                    worst = g;
                    wt = t;
                    wc = q;
                }
            }
        }
        return new ShotComparison(gFull, gEff, z, arg[0], arg[1], (exceed + 1.0) / (REPLICAS + 1.0), diff, wt, wc,
                counts, full, effective);
    }

    /** Whether the shots agree with the model the device says it samples (the device works). */
    boolean agreesWithFull() {
        return !(full.pValue() < REJECT);
    }

    /** Whether the shots reject the effective model (its difference from the full model is resolved). */
    boolean effectiveRejected() {
        return effective.pValue() < REJECT;
    }

    /** Number of (hold time, configuration) cells. */
    int cells() {
        return counts.length * counts[0].length;
    }

    /** Jeffreys population of a cell. */
    double measured(int t, int q) {
        return Jeffreys.estimate(counts[t][q], sum(counts[t]));
    }

    /**
     * The verdict in plain words, computed from the numbers: whether the device's shots follow its own model,
     * and what the effective model's deviation means.
     *
     * @param holds      hold times (model units), for naming cells
     * @param spins      N, for naming configurations
     * @param fitted     "eta = value [interval]" of an effective-model fit of these shots, or null
     * @param trueEta    the true η of the device's model
     * @param fitPValue  G-test p of that fit (NaN when unknown)
     */
    String verdict(double[] holds, int spins, String fitted, double trueEta, double fitPValue) {
        StringBuilder b = new StringBuilder();
        if (agreesWithFull()) {
            b.append(String.format(Locale.ROOT, "The shots agree with the full model the device samples (G-test over "
                            + "every hold time: G = %.1f, df = %d, p = %.2g). Their largest single deviation, %.1f "
                            + "standard errors (configuration %s at t = %s), is the largest of %d cells: shots sampled "
                            + "from the full model itself reach it with probability %.2g.", full.deviance(), full.dof(),
                    full.pValue(), maxZFull, IsingLandscape.bits(maxZConfig, spins), time(holds[maxZTime]), cells(),
                    maxZChance));
        } else {
            b.append(String.format(Locale.ROOT, "The shots DISAGREE with the full model the device says it samples "
                            + "(G = %.1f, df = %d, p = %.2g < %.0e): the simulated trap does not sample its own model; "
                            + "this is a defect to find, not physics.", full.deviance(), full.dof(), full.pValue(),
                    REJECT));
        }
        b.append(' ');
        if (effectiveRejected()) {
            int t = worstTime;
            int q = worstConfig;
            b.append(String.format(Locale.ROOT, "The effective model of Eq. (3) is rejected by the same shots (G = %.1f, "
                            + "df = %d, p = %.2g): it differs from the full model by at most %.4f, but %d shots per hold "
                            + "time resolve that. The largest contribution is configuration %s at t = %s: measured "
                            + "%.4f, full model %.4f, effective model %.4f. Eq. (3) keeps the single-spin flips to "
                            + "second order in Omega; the full model also has the higher-order processes it leaves out%s. "
                            + "This is physics, not a device error.",
                    effective.deviance(), effective.dof(), effective.pValue(), maxEffectiveMinusFull, sum(counts[t]),
                    IsingLandscape.bits(q, spins), time(holds[t]), measured(t, q), fullP[t][q], effectiveP[t][q],
                    spins == 2 && q == 3 ? " (for two spins a direct flip of both, 00 <-> 11, between the degenerate "
                            + "configurations: it fills 11 linearly from t = 0, where sequential single flips give t^2)"
                            : ""));
            if (fitted != null) {
                b.append(String.format(Locale.ROOT, " An effective-model fit of these shots is therefore biased: it "
                        + "gives eta = %s for the true %.4g%s.", fitted, trueEta, Double.isNaN(fitPValue) ? ""
                        : String.format(Locale.ROOT, ", and its own goodness of fit is p = %.2g", fitPValue)));
            }
        } else {
            b.append(String.format(Locale.ROOT, "The effective model of Eq. (3) is not rejected by these shots either "
                            + "(G = %.1f, df = %d, p = %.2g; it differs from the full model by at most %.4f).",
                    effective.deviance(), effective.dof(), effective.pValue(), maxEffectiveMinusFull));
        }
        return b.toString();
    }

    private static String time(double t) {
        return t == Math.rint(t) && Math.abs(t) < 1e15 ? Long.toString((long) t) : String.format(Locale.ROOT, "%.4g", t);
    }

    private static double maxZ(int[][] counts, double[][] p, int[] arg) {
        double z = 0;
        for (int t = 0; t < counts.length; t++) {
            int n = sum(counts[t]);
            for (int q = 0; q < counts[t].length; q++) {
                double ph = Jeffreys.estimate(counts[t][q], n);
                double se = Math.sqrt(Jeffreys.variance(counts[t][q], n));
                double x = Math.abs(ph - p[t][q]) / se;
                if (x > z) {
                    z = x;
                    arg[0] = t;
                    arg[1] = q;
                }
            }
        }
        return z;
    }

    private static int sum(int[] c) {
        int s = 0;
        for (int x : c) {
            s += x;
        }
        return s;
    }
}
