package io.iontrap.analysis.estimate;

import io.iontrap.analysis.data.RunData;
import io.iontrap.model.IsingLandscape;
import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Estimators of what the shots say at each hold time, each with an interval:
 * configuration populations (Jeffreys marginal, or Bonferroni-simultaneous over the 2^N
 * configurations), per-ion magnetisations ⟨σ_i⟩, the mean energy ⟨E⟩ and the distribution over
 * energy levels.
 */
public final class Estimators {
    private Estimators() {
    }

    /** Jeffreys estimate and interval of every configuration population at every time: [t][σ]. */
    public static Estimate[][] populations(ShotCounts c, double level) {
        return populations(c, level, false);
    }

    /**
     * As {@link #populations(ShotCounts, double)}, but with {@code simultaneous} the intervals at
     * each time hold jointly for all 2^N configurations (Bonferroni: each at level 1 − (1−level)/2^N).
     */
    public static Estimate[][] populations(ShotCounts c, double level, boolean simultaneous) {
        double each = simultaneous ? 1 - (1 - level) / c.states() : level;
        Estimate[][] out = new Estimate[c.timeCount()][c.states()];
        for (int t = 0; t < c.timeCount(); t++) {
            int n = c.total(t);
            for (int s = 0; s < c.states(); s++) {
                int k = c.count(t, s);
                double[] ci = Jeffreys.interval(k, n, each);
                out[t][s] = new Estimate(Jeffreys.estimate(k, n), ci[0], ci[1], level);
            }
        }
        return out;
    }

    /** ⟨σ_i⟩(t) = 2p_i − 1 from the Jeffreys estimate of p_i = P(σ_i = +1): [t][i]. Any N. */
    public static Estimate[][] magnetisations(RunData run, double level) {
        int n = run.ions();
        Estimate[][] out = new Estimate[run.timeCount()][n];
        for (int t = 0; t < run.timeCount(); t++) {
            long[] shots = run.shots(t);
            for (int i = 0; i < n; i++) {
                long up = 0;
                for (long s : shots) {
                    up += (s >>> i) & 1L;
                }
                double[] ci = Jeffreys.interval(up, shots.length, level);
                out[t][i] = new Estimate(2 * Jeffreys.estimate(up, shots.length) - 1, 2 * ci[0] - 1, 2 * ci[1] - 1, level);
            }
        }
        return out;
    }

    /** Energy of every recorded shot at time index t. Any N. */
    public static double[] shotEnergies(RunData run, IsingLandscape landscape, int t) {
        long[] shots = run.shots(t);
        double[] e = new double[shots.length];
        for (int k = 0; k < shots.length; k++) {
            e[k] = landscape.energy(shots[k]);
        }
        return e;
    }

    /**
     * ⟨E⟩(t): the sample mean of the shot energies with a Student-t interval (the energy is
     * bounded, so the central limit theorem applies for tens of shots), never of zero width
     * (see {@link #meanWithInterval(double[], double, double)}). NaN without shots.
     */
    public static Estimate[] meanEnergy(RunData run, IsingLandscape landscape, double level) {
        Estimate[] out = new Estimate[run.timeCount()];
        // E lies in [E_min, ¼ Σ g²] (Eq. 4 with M² ≥ 0)
        double range = 0;
        for (int i = 0; i < landscape.size(); i++) {
            range += 0.25 * landscape.g(i) * landscape.g(i);
        }
        range -= landscape.groundEnergy();
        for (int t = 0; t < run.timeCount(); t++) {
            double[] e = shotEnergies(run, landscape, t);
            out[t] = meanWithInterval(e, level, range);
        }
        return out;
    }

    /**
     * Sample mean with a Student-t interval. The sample variance is floored at that of one
     * Jeffreys pseudo-observation (weight ½/(n+1)) at the far end of the range, so that n
     * identical shots (e.g. all in the initial state) still get a finite error bar, as the
     * Jeffreys populations do.
     */
    static Estimate meanWithInterval(double[] x, double level, double range) {
        int n = x.length;
        if (n >= 2) {
            Estimate e = meanWithInterval(x, level);
            double w = 0.5 / (n + 1);
            double floor = range * range * w * (1 - w) / n;
            double q = (e.hi() - e.value());
            double seNow = q / tQuantile(n, level);
            if (seNow * seNow < floor) {
                double h = tQuantile(n, level) * Math.sqrt(floor);
                return new Estimate(e.value(), e.value() - h, e.value() + h, level);
            }
            return e;
        }
        return meanWithInterval(x, level);
    }

    private static double tQuantile(int n, double level) {
        return new TDistribution(null, n - 1, TDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY)
                .inverseCumulativeProbability(0.5 + level / 2);
    }

    static Estimate meanWithInterval(double[] x, double level) {
        int n = x.length;
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN, Double.NaN, level);
        }
        double m = Arrays.stream(x).average().orElse(Double.NaN);
        if (n == 1) {
            return new Estimate(m, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, level);
        }
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        double q = new TDistribution(null, n - 1, TDistribution.DEFAULT_INVERSE_ABSOLUTE_ACCURACY)
                .inverseCumulativeProbability(0.5 + level / 2);
        return new Estimate(m, m - q * se, m + q * se, level);
    }

    /** Two-sided standard normal quantile z_{(1+level)/2}. */
    public static double z(double level) {
        return new NormalDistribution(null, 0, 1, 1e-12).inverseCumulativeProbability(0.5 + level / 2);
    }

    /** The distinct energy levels of a landscape (sorted, ascending) and which level each configuration has. */
    public record EnergyLevels(double[] energies, int[] levelOf, int[] degeneracy) {
        public static EnergyLevels of(IsingLandscape landscape) {
            double[] e = landscape.energies();
            double scale = 0;
            for (double v : e) {
                scale = Math.max(scale, Math.abs(v));
            }
            double tol = 1e-9 * Math.max(scale, 1e-300);
            Integer[] order = new Integer[e.length];
            for (int s = 0; s < e.length; s++) {
                order[s] = s;
            }
            Arrays.sort(order, (a, b) -> Double.compare(e[a], e[b]));
            int[] levelOf = new int[e.length];
            double[] levels = new double[e.length];
            int[] deg = new int[e.length];
            int count = 0;
            for (int idx = 0; idx < order.length; idx++) {
                int s = order[idx];
                if (count == 0 || e[s] - levels[count - 1] > tol) {
                    levels[count++] = e[s];
                }
                levelOf[s] = count - 1;
                deg[count - 1]++;
            }
            return new EnergyLevels(Arrays.copyOf(levels, count), levelOf, Arrays.copyOf(deg, count));
        }

        public int size() {
            return energies.length;
        }

        /** Sums a configuration distribution (or counts) into levels. */
        public double[] collapse(double[] p) {
            double[] out = new double[energies.length];
            for (int s = 0; s < p.length; s++) {
                out[levelOf[s]] += p[s];
            }
            return out;
        }

        public int[] collapse(int[] n) {
            int[] out = new int[energies.length];
            for (int s = 0; s < n.length; s++) {
                out[levelOf[s]] += n[s];
            }
            return out;
        }
    }

    /** Probability of each energy level at each time, Jeffreys intervals: [t][level]. */
    public static Estimate[][] energyDistribution(ShotCounts c, EnergyLevels levels, double level) {
        Estimate[][] out = new Estimate[c.timeCount()][levels.size()];
        for (int t = 0; t < c.timeCount(); t++) {
            int[] k = levels.collapse(c.counts(t));
            int n = c.total(t);
            for (int l = 0; l < k.length; l++) {
                double[] ci = Jeffreys.interval(k[l], n, level);
                out[t][l] = new Estimate(Jeffreys.estimate(k[l], n), ci[0], ci[1], level);
            }
        }
        return out;
    }
}
