package io.iontrap.model;

import java.util.Arrays;

/**
 * The Ising energy function of Eq. (4), E(σ) = -¼ Σ_{i≠j} g_i g_j σ_i σ_j = -¼ (M² - Σ g_i²) with
 * M = Σ g_l σ_l, in units of frequency².
 *
 * <p>A configuration is a bit set: bit i of the index is spin i, 1 meaning σ_i = +1. Index 0 is
 * all spins down.
 */
public final class IsingLandscape {
    /** Largest N whose full configuration space fits an array index. */
    public static final int MAX_ENUMERABLE_SPINS = 30;

    private final double[] g;
    private final double sumSquares;

    public IsingLandscape(double... g) {
        if (g.length == 0 || g.length > 62) {
            throw new InvalidParameterException("g", "needs 1 to 62 couplings, got " + g.length);
        }
        this.g = g.clone();
        double s = 0;
        for (double gi : g) {
            s += gi * gi;
        }
        this.sumSquares = s;
    }

    public static IsingLandscape of(Parameters parameters) {
        return new IsingLandscape(parameters.g());
    }

    public int size() {
        return g.length;
    }

    public double g(int i) {
        return g[i];
    }

    /** σ_i = ±1 of spin i in a configuration. */
    public static int spin(long configuration, int i) {
        return ((configuration >>> i) & 1L) != 0 ? 1 : -1;
    }

    /**
     * Parses a configuration written as N characters '0'/'1', character i being spin i and '1'
     * meaning σ_i = +1 (so "01" is index 2).
     */
    public static long configuration(String bits, int n) {
        if (bits.length() != n) {
            throw new InvalidParameterException("initial",
                    "configuration \"" + bits + "\" has " + bits.length() + " characters, expected N = " + n);
        }
        if (n > 62) {
            throw new InvalidParameterException("initial", "a configuration index holds at most 62 spins, N = " + n);
        }
        long c = 0;
        for (int i = 0; i < n; i++) {
            char ch = bits.charAt(i);
            if (ch == '1') {
                c |= 1L << i;
            } else if (ch != '0') {
                throw new InvalidParameterException("initial",
                        "character " + i + " of \"" + bits + "\" is '" + ch + "', expected '0' or '1'");
            }
        }
        return c;
    }

    /** The inverse of {@link #configuration(String, int)}. */
    public static String bits(long configuration, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(((configuration >>> i) & 1L) != 0 ? '1' : '0');
        }
        return b.toString();
    }

    /** M(σ) = Σ g_l σ_l. */
    public double magnetisation(long configuration) {
        double m = 0;
        for (int l = 0; l < g.length; l++) {
            m += spin(configuration, l) * g[l];
        }
        return m;
    }

    /** E(σ) from M, Eq. (4). */
    public double energyFromMagnetisation(double m) {
        return -0.25 * (m * m - sumSquares);
    }

    public double energy(long configuration) {
        return energyFromMagnetisation(magnetisation(configuration));
    }

    /** ΔE_i = g_i σ_i M - g_i², the energy change when spin i flips out of a state with M. */
    public double deltaE(int i, int sigmaI, double m) {
        return g[i] * sigmaI * m - g[i] * g[i];
    }

    public double deltaE(int i, long configuration) {
        return deltaE(i, spin(configuration, i), magnetisation(configuration));
    }

    /** Largest possible |ΔE_i| over all configurations: |g_i| Σ_{l≠i} |g_l|. */
    public double maxAbsDeltaE(int i) {
        double s = 0;
        for (int l = 0; l < g.length; l++) {
            if (l != i) {
                s += Math.abs(g[l]);
            }
        }
        return Math.abs(g[i]) * s;
    }

    /** M of every configuration, by adding one spin at a time (O(2^N)). */
    public double[] magnetisations() {
        int n = requireEnumerable();
        double[] m = new double[1 << n];
        m[0] = -Arrays.stream(g).sum();
        for (int s = 1; s < m.length; s++) {
            int low = Integer.numberOfTrailingZeros(s);
            m[s] = m[s & (s - 1)] + 2 * g[low];
        }
        return m;
    }

    /** E of every configuration. */
    public double[] energies() {
        double[] e = magnetisations();
        for (int s = 0; s < e.length; s++) {
            e[s] = energyFromMagnetisation(e[s]);
        }
        return e;
    }

    /** E_min, reached when every spin is aligned with its coupling (or every one against it). */
    public double groundEnergy() {
        double m = 0;
        for (double gi : g) {
            m += Math.abs(gi);
        }
        return energyFromMagnetisation(m);
    }

    /**
     * All ground configurations: σ_i g_i ≥ 0 for every i, or ≤ 0 for every i. Couplings equal to
     * zero leave their spin free, so there are 2 × 2^(number of zero couplings) of them.
     */
    public long[] groundStates() {
        long aligned = 0;
        long free = 0;
        for (int i = 0; i < g.length; i++) {
            if (g[i] > 0) {
                aligned |= 1L << i;
            } else if (g[i] == 0) {
                free |= 1L << i;
            }
        }
        long all = g.length == 64 ? -1L : (1L << g.length) - 1;
        long antiAligned = ~aligned & ~free & all;
        int freeCount = Long.bitCount(free);
        long[] states = new long[2 << freeCount];
        int k = 0;
        for (long sub = free; ; sub = (sub - 1) & free) {
            states[k++] = aligned | sub;
            states[k++] = antiAligned | sub;
            if (sub == 0) {
                break;
            }
        }
        Arrays.sort(states);
        return states;
    }

    /** Configuration with every spin reversed, σ → -σ (E is invariant). */
    public long flipAll(long configuration) {
        long all = (1L << g.length) - 1;
        return ~configuration & all;
    }

    /** Σ_σ p_σ E(σ). */
    public double meanEnergy(double[] p) {
        double[] e = energies();
        requireLength(p, e.length);
        double s = 0;
        for (int k = 0; k < p.length; k++) {
            s += p[k] * e[k];
        }
        return s;
    }

    /** Total probability of the ground configurations. */
    public double groundStatePopulation(double[] p) {
        requireLength(p, 1 << requireEnumerable());
        double s = 0;
        for (long k : groundStates()) {
            s += p[(int) k];
        }
        return s;
    }

    /**
     * Energy distribution: the probability in each of {@code bins} equal energy bins spanning
     * [lo, hi]; configurations outside the range go to the end bins.
     */
    public double[] energyHistogram(double[] p, double lo, double hi, int bins) {
        if (!(hi > lo) || bins < 1) {
            throw new IllegalArgumentException("energy histogram needs hi > lo and bins >= 1");
        }
        double[] e = energies();
        requireLength(p, e.length);
        double[] h = new double[bins];
        double width = (hi - lo) / bins;
        for (int k = 0; k < p.length; k++) {
            int b = (int) Math.floor((e[k] - lo) / width);
            h[Math.max(0, Math.min(bins - 1, b))] += p[k];
        }
        return h;
    }

    private int requireEnumerable() {
        if (g.length > MAX_ENUMERABLE_SPINS) {
            throw new IllegalStateException("N = " + g.length + " exceeds the enumerable limit "
                    + MAX_ENUMERABLE_SPINS + " for full configuration arrays");
        }
        return g.length;
    }

    private static void requireLength(double[] p, int n) {
        if (p.length != n) {
            throw new IllegalArgumentException("distribution has " + p.length + " entries, expected 2^N = " + n);
        }
    }
}
