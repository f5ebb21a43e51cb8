package io.iontrap.analysis.fit;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;
import java.util.HashMap;
import java.util.Map;

/**
 * A small, exact-to-tolerance master-equation propagator by uniformisation:
 * p(t) = Σ_k Poisson(k; Λt) P^k p(0) with P = 1 + Q/Λ, Λ ≥ the largest exit rate, and a
 * matrix-free pull-form matvec over the 2^N configurations (O(N 2^N) per step); once P^k p stops
 * changing (stationary state reached) the remaining Poisson mass is added at once. Every term is
 * non-negative, so the result is a distribution to rounding. The cost grows with Λ·t, which is
 * fine for fits of moderate N; the model's {@code MasterEquation} is the production solver.
 */
public final class Uniformization implements Propagator {
    private static final double TAIL = 1e-13;
    private static final double STATIONARY = 1e-15;

    @Override
    public double[][] evolve(IsingLandscape landscape, SpinFlipRates rates, double[] p0, double[] times) {
        int n = landscape.size();
        int states = 1 << n;
        if (p0.length != states) {
            throw new IllegalArgumentException("p0 has " + p0.length + " entries, expected 2^N = " + states);
        }
        double[] table = rateTable(landscape, rates);
        double[] out = new double[states];
        double lambda = 0;
        for (int s = 0; s < states; s++) {
            double o = 0;
            for (int i = 0; i < n; i++) {
                o += table[s * n + i];
            }
            out[s] = o;
            lambda = Math.max(lambda, o);
        }
        double[][] result = new double[times.length][];
        double[] p = p0.clone();
        double now = 0;
        if (lambda == 0) {
            for (int k = 0; k < times.length; k++) {
                result[k] = p.clone();
            }
            return result;
        }
        lambda *= 1.0001;
        double[] diag = new double[states];
        for (int s = 0; s < states; s++) {
            diag[s] = 1 - out[s] / lambda;
        }
        for (int k = 0; k < times.length; k++) {
            double dt = times[k] - now;
            if (dt < 0 || !Double.isFinite(times[k])) {
                throw new IllegalArgumentException("times must be finite and ascending, got " + times[k] + " after " + now);
            }
            if (dt > 0) {
                p = step(p, lambda * dt, table, diag, lambda, n);
                now = times[k];
            }
            result[k] = p.clone();
        }
        return result;
    }

    private static double[] step(double[] p, double mu, double[] table, double[] diag, double lambda, int n) {
        int states = p.length;
        double[] v = p.clone();
        double[] next = new double[states];
        double[] acc = new double[states];
        // Poisson weights by recurrence in log space, started at k = 0
        double logW = -mu;
        double cumulative = 0;
        int kmax = (int) Math.ceil(mu + 10 * Math.sqrt(mu) + 30);
        for (int k = 0; k <= kmax; k++) {
            if (k > 0) {
                logW += Math.log(mu / k);
                // v <- P v
                for (int s = 0; s < states; s++) {
                    double x = diag[s] * v[s];
                    for (int i = 0; i < n; i++) {
                        int from = s ^ (1 << i);
                        x += table[from * n + i] / lambda * v[from];
                    }
                    next[s] = x;
                }
                double change = 0;
                for (int s = 0; s < states; s++) {
                    change += Math.abs(next[s] - v[s]);
                }
                double[] tmp = v;
                v = next;
                next = tmp;
                if (change < STATIONARY) {
                    // P^k p no longer moves: every remaining Poisson term adds the same vector
                    double rest = Math.max(0, 1 - cumulative);
                    for (int s = 0; s < states; s++) {
                        acc[s] += rest * v[s];
                    }
                    return acc;
                }
            }
            double w = Math.exp(logW);
            if (w > 0) {
                for (int s = 0; s < states; s++) {
                    acc[s] += w * v[s];
                }
                cumulative += w;
            }
            if (k > mu && 1 - cumulative < TAIL) {
                break;
            }
        }
        return acc;
    }

    /** table[s·N + i] = rate of flipping spin i out of configuration s. */
    static double[] rateTable(IsingLandscape landscape, SpinFlipRates rates) {
        int n = landscape.size();
        int states = 1 << n;
        double[] m = landscape.magnetisations();
        double[] table = new double[states * n];
        Map<Long, Double> memo = new HashMap<>();
        for (int s = 0; s < states; s++) {
            for (int i = 0; i < n; i++) {
                double dE = landscape.deltaE(i, IsingLandscape.spin(s, i), m[s]);
                long key = ((long) i << 58) ^ Double.doubleToLongBits(dE);
                final int spin = i;
                double w = memo.computeIfAbsent(key, kk -> rates.rate(spin, dE));
                if (!(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("rate of spin " + i + " at dE = " + dE + " is " + w);
                }
                table[s * n + i] = w;
            }
        }
        return table;
    }
}
