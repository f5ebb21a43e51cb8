package io.iontrap.model.master;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Kinetic Monte Carlo (n-fold way / Gillespie) trajectories of the effective spin dynamics
 * (physics.md §3) for any number of spins.
 *
 * <p>A configuration is a {@code long[]} of ⌈N/64⌉ words, bit i of the whole (bit i%64 of word i/64)
 * being spin i, 1 meaning σ_i = +1; for N ≤ 62 word 0 is the {@link IsingLandscape} index. Each event
 * costs O(N): all N flip rates W_i(g_i σ_i M - g_i²) follow from M = Σ g_l σ_l, which is updated in
 * O(1) per flip.
 *
 * <p>Reproducibility: {@link #run} splits one {@link SplittableRandom} per trajectory, in trajectory
 * order, from the seed before any trajectory starts, so results do not depend on the number of
 * threads.
 */
public final class KineticMonteCarlo {
    /** Largest N for which {@link Ensemble#populations} builds a 2^N histogram. */
    public static final int MAX_HISTOGRAM_SPINS = 30;

    private final double[] g;
    private final double sumSquares;
    private final SpinFlipRates rates;

    /** Couplings g_i for any N ≥ 1 (an {@link IsingLandscape} is limited to 62 spins). */
    public KineticMonteCarlo(double[] g, SpinFlipRates rates) {
        if (g.length == 0) {
            throw new IllegalArgumentException("needs at least one spin");
        }
        this.g = g.clone();
        double s = 0;
        for (double gi : g) {
            if (!Double.isFinite(gi)) {
                throw new IllegalArgumentException("coupling " + gi + " is not finite");
            }
            s += gi * gi;
        }
        this.sumSquares = s;
        this.rates = rates;
    }

    public KineticMonteCarlo(IsingLandscape landscape, SpinFlipRates rates) {
        this(couplings(landscape), rates);
    }

    private static double[] couplings(IsingLandscape l) {
        double[] g = new double[l.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = l.g(i);
        }
        return g;
    }

    public int spins() {
        return g.length;
    }

    /** Every spin down. */
    public long[] allDown() {
        return new long[(g.length + 63) >>> 6];
    }

    /** The configuration with index {@code configuration} (N ≤ 63). */
    public long[] configuration(long configuration) {
        if (g.length < 64 && (configuration >>> g.length) != 0) {
            throw new IllegalArgumentException("configuration " + configuration + " has bits beyond N = " + g.length);
        }
        long[] w = allDown();
        w[0] = configuration;
        return w;
    }

    /** σ_i = ±1. */
    public static int spin(long[] words, int i) {
        return ((words[i >>> 6] >>> (i & 63)) & 1L) != 0 ? 1 : -1;
    }

    /** M = Σ g_l σ_l. */
    public double magnetisation(long[] words) {
        double m = 0;
        for (int l = 0; l < g.length; l++) {
            m += spin(words, l) * g[l];
        }
        return m;
    }

    /** E = -(M² - Σ g²)/4, Eq. (4). */
    public double energy(long[] words) {
        double m = magnetisation(words);
        return -0.25 * (m * m - sumSquares);
    }

    /**
     * One trajectory from {@code initial}: the configuration occupied at each requested time.
     *
     * @param times non-negative finite times in any order
     * @return row j: the configuration at times[j] (a fresh copy)
     */
    public long[][] trajectory(long[] initial, double[] times, SplittableRandom random) {
        long[][] out = new long[times.length][];
        simulate(initial, times, random, (j, words, m) -> out[j] = words.clone());
        return out;
    }

    @FunctionalInterface
    private interface Sampler {
        void sample(int timeIndex, long[] words, double magnetisation);
    }

    private void simulate(long[] initial, double[] times, SplittableRandom random, Sampler sampler) {
        int n = g.length;
        if (initial.length != (n + 63) >>> 6) {
            throw new IllegalArgumentException("configuration has " + initial.length + " words, N = " + n
                    + " needs " + ((n + 63) >>> 6));
        }
        Integer[] order = sortedOrder(times);
        long[] words = initial.clone();
        double m = magnetisation(words);
        double[] w = new double[n];
        double t = 0;
        int next = 0;
        while (next < order.length) {
            double total = 0;
            for (int i = 0; i < n; i++) {
                int s = spin(words, i);
                double r = rates.rate(i, g[i] * s * m - g[i] * g[i]);
                if (!(r >= 0) || Double.isInfinite(r)) {
                    throw new IllegalArgumentException("flip rate of spin " + i + " is " + r);
                }
                w[i] = r;
                total += r;
            }
            double dt = total > 0 ? -Math.log(1 - random.nextDouble()) / total : Double.POSITIVE_INFINITY;
            double tNext = t + dt;
            while (next < order.length && times[order[next]] < tNext) {
                sampler.sample(order[next], words, m);
                next++;
            }
            if (next == order.length) {
                break;
            }
            double u = random.nextDouble() * total;
            int k = 0;
            double c = w[0];
            while (c <= u && k < n - 1) {
                k++;
                c += w[k];
            }
            while (w[k] == 0) { // rounding at the top end: take the last spin with a positive rate
                k--;
            }
            int s = spin(words, k);
            m -= 2 * g[k] * s;
            words[k >>> 6] ^= 1L << (k & 63);
            t = tNext;
        }
    }

    private static Integer[] sortedOrder(double[] times) {
        Integer[] order = new Integer[times.length];
        for (int j = 0; j < times.length; j++) {
            if (!(times[j] >= 0) || Double.isInfinite(times[j])) {
                throw new IllegalArgumentException("time " + times[j] + " must be finite and >= 0");
            }
            order[j] = j;
        }
        Arrays.sort(order, (a, b) -> Double.compare(times[a], times[b]));
        return order;
    }

    /** {@link #run(long[], double[], int, long)} from every spin down. */
    public Ensemble run(double[] times, int trajectories, long seed) {
        return run(allDown(), times, trajectories, seed);
    }

    /**
     * An ensemble of independent trajectories, run in parallel. Trajectory k uses the k-th
     * {@link SplittableRandom#split()} of {@code new SplittableRandom(seed)}.
     */
    public Ensemble run(long[] initial, double[] times, int trajectories, long seed) {
        if (trajectories < 1) {
            throw new IllegalArgumentException("needs at least one trajectory, got " + trajectories);
        }
        SplittableRandom master = new SplittableRandom(seed);
        SplittableRandom[] streams = new SplittableRandom[trajectories];
        for (int k = 0; k < trajectories; k++) {
            streams[k] = master.split();
        }
        int nt = times.length;
        double[][] energies = new double[nt][trajectories];
        int[][] configs = g.length <= MAX_HISTOGRAM_SPINS ? new int[nt][trajectories] : null;
        times = times.clone();
        final double[] ts = times;
        IntStream.range(0, trajectories).parallel().forEach(k -> simulate(initial, ts, streams[k], (j, words, m) -> {
            energies[j][k] = -0.25 * (m * m - sumSquares);
            if (configs != null) {
                configs[j][k] = (int) words[0];
            }
        }));
        return new Ensemble(times, energies, configs, g.length);
    }

    /** Configurations and energies of an ensemble at the sample times. */
    public static final class Ensemble {
        private final double[] times;
        private final double[][] energies;
        private final int[][] configurations;
        private final int spins;

        Ensemble(double[] times, double[][] energies, int[][] configurations, int spins) {
            this.times = times;
            this.energies = energies;
            this.configurations = configurations;
            this.spins = spins;
        }

        public double[] times() {
            return times.clone();
        }

        public int trajectories() {
            return energies.length == 0 ? 0 : energies[0].length;
        }

        /** E of every trajectory at time index j. */
        public double[] energies(int j) {
            return energies[j].clone();
        }

        /** Ensemble mean of E at each time. */
        public double[] meanEnergy() {
            double[] out = new double[times.length];
            for (int j = 0; j < times.length; j++) {
                double s = 0;
                for (double e : energies[j]) {
                    s += e;
                }
                out[j] = s / energies[j].length;
            }
            return out;
        }

        /** Standard error of the ensemble mean of E at each time (sample s.d./√K). */
        public double[] meanEnergyError() {
            double[] mean = meanEnergy();
            double[] out = new double[times.length];
            for (int j = 0; j < times.length; j++) {
                int k = energies[j].length;
                if (k < 2) {
                    out[j] = Double.NaN;
                    continue;
                }
                double s = 0;
                for (double e : energies[j]) {
                    s += (e - mean[j]) * (e - mean[j]);
                }
                out[j] = Math.sqrt(s / (k - 1) / k);
            }
            return out;
        }

        /** Configuration index of every trajectory at time index j (N ≤ 30). */
        public int[] configurations(int j) {
            requireHistogram();
            return configurations[j].clone();
        }

        /** Counts of each of the 2^N configurations at time index j (N ≤ 30). */
        public long[] counts(int j) {
            requireHistogram();
            long[] c = new long[1 << spins];
            for (int s : configurations[j]) {
                c[s]++;
            }
            return c;
        }

        /** Estimated populations (relative frequencies) at time index j (N ≤ 30). */
        public double[] populations(int j) {
            long[] c = counts(j);
            double[] p = new double[c.length];
            double k = configurations[j].length;
            for (int s = 0; s < c.length; s++) {
                p[s] = c[s] / k;
            }
            return p;
        }

        private void requireHistogram() {
            if (configurations == null) {
                throw new IllegalStateException("population histograms need N <= " + MAX_HISTOGRAM_SPINS
                        + ", got N = " + spins);
            }
        }
    }
}
