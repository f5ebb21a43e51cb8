package io.iontrap.model.balance;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.master.MasterEquation;
import java.util.stream.IntStream;

/**
 * Measures of the departure from detailed balance (physics.md §5).
 *
 * <p><b>Kolmogorov ratio</b> of the elementary 4-cycle of spins i and j (every other spin fixed):
 * the product of the four rates around (↑↑)→(↑↓)→(↓↓)→(↓↑)→(↑↑), written (σ_i σ_j), divided by the
 * product of the four rates of the reverse cycle. It is 1 on every cycle iff the rates satisfy
 * detailed balance (Kolmogorov's criterion); for N = 2 it is the quantity of the paper's Fig. 3. The
 * other spins enter only through M_rest = Σ_{l≠i,j} g_l σ_l.
 *
 * <p><b>Entropy production</b> of a distribution p: Σ_{σ,i} p_σ W_i(σ) ln(p_σ W_i(σ) / (p_σ' W_i(σ'))),
 * σ' = σ with spin i flipped; evaluated as Σ over unordered pairs of (J - J') ln(J/J'), J = p_σ W_i(σ),
 * J' = p_σ' W_i(σ'), every term ≥ 0. At the stationary state it is zero iff detailed balance holds.
 */
public final class DetailedBalance {
    private DetailedBalance() {
    }

    /**
     * ln of the Kolmogorov ratio of the cycle of spins i, j with the others contributing M_rest.
     * Works for any N: only g_i, g_j and M_rest enter. NaN when a rate of each direction is zero;
     * ±∞ when only one direction has a zero rate.
     */
    public static double logKolmogorovRatio(SpinFlipRates rates, int i, double gi, int j, double gj, double mRest) {
        // states (σ_i, σ_j); M = mRest + gi σ_i + gj σ_j; rate of flipping spin k out of the state.
        double uu = mRest + gi + gj;
        double ud = mRest + gi - gj;
        double dd = mRest - gi - gj;
        double du = mRest - gi + gj;
        // forward: (↑↑)→(↑↓) flips j (σ_j=+1 at M=uu); (↑↓)→(↓↓) flips i (σ_i=+1 at ud);
        //          (↓↓)→(↓↑) flips j (σ_j=-1 at dd); (↓↑)→(↑↑) flips i (σ_i=-1 at du)
        double f1 = rate(rates, j, gj, +1, uu);
        double f2 = rate(rates, i, gi, +1, ud);
        double f3 = rate(rates, j, gj, -1, dd);
        double f4 = rate(rates, i, gi, -1, du);
        // reverse: (↑↑)→(↓↑) flips i at uu; (↓↑)→(↓↓) flips j at du; (↓↓)→(↑↓) flips i at dd;
        //          (↑↓)→(↑↑) flips j at ud
        double r1 = rate(rates, i, gi, +1, uu);
        double r2 = rate(rates, j, gj, +1, du);
        double r3 = rate(rates, i, gi, -1, dd);
        double r4 = rate(rates, j, gj, -1, ud);
        return Math.log(f1) + Math.log(f2) + Math.log(f3) + Math.log(f4)
                - (Math.log(r1) + Math.log(r2) + Math.log(r3) + Math.log(r4));
    }

    private static double rate(SpinFlipRates rates, int k, double gk, int sigma, double m) {
        return rates.rate(k, gk * sigma * m - gk * gk);
    }

    /** ln Kolmogorov ratio of spins i ≠ j, the other spins taken from {@code configuration}. */
    public static double logKolmogorovRatio(IsingLandscape landscape, SpinFlipRates rates, long configuration,
            int i, int j) {
        int n = landscape.size();
        if (i == j || i < 0 || j < 0 || i >= n || j >= n) {
            throw new IllegalArgumentException("needs two distinct spins in 0.." + (n - 1) + ", got " + i + ", " + j);
        }
        double m = landscape.magnetisation(configuration);
        double mRest = m - landscape.g(i) * IsingLandscape.spin(configuration, i)
                - landscape.g(j) * IsingLandscape.spin(configuration, j);
        return logKolmogorovRatio(rates, i, landscape.g(i), j, landscape.g(j), mRest);
    }

    /** The Kolmogorov ratio itself (exp of {@link #logKolmogorovRatio}). */
    public static double kolmogorovRatio(IsingLandscape landscape, SpinFlipRates rates, long configuration,
            int i, int j) {
        return Math.exp(logKolmogorovRatio(landscape, rates, configuration, i, j));
    }

    /** The cycle with the largest |ln Kolmogorov ratio|. */
    public static final class WorstCycle {
        private final int i;
        private final int j;
        private final long configuration;
        private final double logRatio;
        private final long cycles;

        WorstCycle(int i, int j, long configuration, double logRatio, long cycles) {
            this.i = i;
            this.j = j;
            this.configuration = configuration;
            this.logRatio = logRatio;
            this.cycles = cycles;
        }

        public int spinI() {
            return i;
        }

        public int spinJ() {
            return j;
        }

        /** A configuration of the cycle (spins i and j down) fixing the other spins. */
        public long configuration() {
            return configuration;
        }

        /** ln of the worst ratio (signed); |logRatio()| is the measure. */
        public double logRatio() {
            return logRatio;
        }

        /** Number of elementary 4-cycles of the system, all examined: C(N,2)·2^(N-2). */
        public long cycles() {
            return cycles;
        }
    }

    /** Largest N for which every elementary 4-cycle is enumerated (C(22,2)·2^20 ≈ 2.4e8 cycles). */
    public static final int MAX_ENUMERATED_SPINS = 22;

    /**
     * Largest |ln Kolmogorov ratio| over all C(N,2)·2^(N-2) elementary 4-cycles (8 rate evaluations
     * each), in parallel over spin pairs; ties go to the first pair (i, j) and configuration in
     * order, so the answer does not depend on the threads. A NaN cycle (zero rates both ways) is the
     * worst of all.
     */
    public static WorstCycle worstCycle(IsingLandscape landscape, SpinFlipRates rates) {
        int n = landscape.size();
        if (n < 2) {
            throw new IllegalArgumentException("a 4-cycle needs N >= 2 spins, got N = " + n);
        }
        if (n > MAX_ENUMERATED_SPINS) {
            throw new IllegalArgumentException("enumerating all 4-cycles: N = " + n + " exceeds the limit "
                    + MAX_ENUMERATED_SPINS);
        }
        double[] m = landscape.magnetisations();
        int pairs = n * (n - 1) / 2;
        int[] pi = new int[pairs];
        int[] pj = new int[pairs];
        for (int i = 0, k = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++, k++) {
                pi[k] = i;
                pj[k] = j;
            }
        }
        WorstCycle[] perPair = new WorstCycle[pairs];
        IntStream.range(0, pairs).parallel().forEach(k -> {
            int i = pi[k];
            int j = pj[k];
            int pair = (1 << i) | (1 << j);
            double gi = landscape.g(i);
            double gj = landscape.g(j);
            double best = 0;
            long bc = 0;
            for (int s = 0; s < m.length; s++) {
                if ((s & pair) != 0) {
                    continue; // each cycle once: its (↓↓) corner
                }
                double lr = logKolmogorovRatio(rates, i, gi, j, gj, m[s] + gi + gj);
                if (Double.isNaN(lr)) {
                    best = lr;
                    bc = s;
                    break;
                }
                if (Math.abs(lr) > Math.abs(best)) {
                    best = lr;
                    bc = s;
                }
            }
            perPair[k] = new WorstCycle(i, j, bc, best, 0);
        });
        WorstCycle worst = perPair[0];
        for (WorstCycle c : perPair) {
            if (Double.isNaN(c.logRatio)) {
                worst = c;
                break;
            }
            if (Math.abs(c.logRatio) > Math.abs(worst.logRatio)) {
                worst = c;
            }
        }
        long cycles = (long) pairs << (n - 2);
        return new WorstCycle(worst.i, worst.j, worst.configuration, worst.logRatio, cycles);
    }

    /** max |ln Kolmogorov ratio| over all elementary 4-cycles (see {@link #worstCycle}). */
    public static double maxAbsLogKolmogorovRatio(IsingLandscape landscape, SpinFlipRates rates) {
        return Math.abs(worstCycle(landscape, rates).logRatio());
    }

    /**
     * Entropy production rate of distribution p under the master equation's rates. Pairs whose
     * probabilities both underflowed to 0 contribute 0; a pair with a positive flow one way and a
     * zero rate back gives +∞. A pair where one probability underflowed to 0 but both rates are
     * positive is skipped: its flow is below the double range.
     */
    public static double entropyProductionRate(MasterEquation master, double[] p) {
        int size = master.states();
        if (p.length != size) {
            throw new IllegalArgumentException("distribution has " + p.length + " entries, expected 2^N = " + size);
        }
        int n = master.spins();
        int block = Math.min(size, 1 << 12);
        double[] partial = new double[size / block];
        IntStream.range(0, partial.length).parallel().forEach(k -> {
            double total = 0;
            for (int s = k * block; s < (k + 1) * block; s++) {
                for (int i = 0; i < n; i++) {
                    int t = s ^ (1 << i);
                    if (t < s) {
                        continue; // unordered pairs once
                    }
                    double wf = master.flipRate(s, i);
                    double wb = master.flipRate(t, i);
                    double jf = p[s] * wf;
                    double jb = p[t] * wb;
                    if (jf == jb) {
                        continue;
                    }
                    if (jf > 0 && jb > 0) {
                        total += (jf - jb) * (Math.log(p[s]) - Math.log(p[t]) + Math.log(wf) - Math.log(wb));
                    } else if ((jf > 0 && wb == 0) || (jb > 0 && wf == 0)) {
                        total = Double.POSITIVE_INFINITY;
                    }
                }
            }
            partial[k] = total;
        });
        double total = 0;
        for (double x : partial) {
            total += x; // in block order: independent of the threads
        }
        return total;
    }

    /** Entropy production rate of the stationary state, zero iff detailed balance holds. */
    public static double stationaryEntropyProductionRate(MasterEquation master) {
        return entropyProductionRate(master, master.stationary());
    }
}
