package io.iontrap.model.master;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.rates.RateAsymptotics;
import java.util.Random;

/**
 * Independent references for the master-equation tests: a dense generator built from the pair-sum
 * energy (not the M shortcut, not the rate table of MasterEquation), the GTH (Grassmann-Taksar-Heyman)
 * elimination for the stationary state (subtraction-free, accurate for rates spanning many decades),
 * closed-form Boltzmann weights, and the rate functions used across the tests.
 */
public final class Reference {
    private Reference() {
    }

    /** E(σ) = -¼ Σ_{i≠j} g_i g_j σ_i σ_j, written out as the pair sum. */
    public static double pairEnergy(double[] g, long s) {
        double e = 0;
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g.length; j++) {
                if (i != j) {
                    e -= 0.25 * g[i] * g[j] * IsingLandscape.spin(s, i) * IsingLandscape.spin(s, j);
                }
            }
        }
        return e;
    }

    /** q[a][b] = rate a → b (a ≠ b), diagonal zero; ΔE from the pair-sum energies of both ends. */
    public static double[][] rateMatrix(double[] g, SpinFlipRates w) {
        int size = 1 << g.length;
        double[] e = new double[size];
        for (int s = 0; s < size; s++) {
            e[s] = pairEnergy(g, s);
        }
        double[][] q = new double[size][size];
        for (int s = 0; s < size; s++) {
            for (int i = 0; i < g.length; i++) {
                int t = s ^ (1 << i);
                q[s][t] = w.rate(i, e[t] - e[s]);
            }
        }
        return q;
    }

    /** Stationary distribution of the chain with off-diagonal rates q by GTH elimination (O(n³)). */
    public static double[] gth(double[][] q) {
        int n = q.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = q[i].clone();
            a[i][i] = 0;
        }
        for (int k = n - 1; k > 0; k--) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += a[k][j];
            }
            for (int i = 0; i < k; i++) {
                double f = a[i][k] / s;
                if (f == 0) {
                    continue;
                }
                double[] ai = a[i];
                double[] ak = a[k];
                for (int j = 0; j < k; j++) {
                    if (j != i) {
                        ai[j] += f * ak[j];
                    }
                }
            }
        }
        double[] pi = new double[n];
        pi[0] = 1;
        for (int k = 1; k < n; k++) {
            double num = 0;
            for (int i = 0; i < k; i++) {
                num += pi[i] * a[i][k];
            }
            double den = 0;
            for (int j = 0; j < k; j++) {
                den += a[k][j];
            }
            pi[k] = num / den;
        }
        double t = 0;
        for (double x : pi) {
            t += x;
        }
        for (int i = 0; i < n; i++) {
            pi[i] /= t;
        }
        return pi;
    }

    /** exp(-βE)/Z with E from the pair sum, shifted by E_min so nothing overflows. */
    public static double[] boltzmann(double[] g, double beta) {
        int size = 1 << g.length;
        double[] e = new double[size];
        double min = Double.POSITIVE_INFINITY;
        for (int s = 0; s < size; s++) {
            e[s] = pairEnergy(g, s);
            min = Math.min(min, e[s]);
        }
        double z = 0;
        double[] p = new double[size];
        for (int s = 0; s < size; s++) {
            p[s] = Math.exp(-beta * (e[s] - min));
            z += p[s];
        }
        for (int s = 0; s < size; s++) {
            p[s] /= z;
        }
        return p;
    }

    /** Glauber rates r_i/(1 + e^{βΔE}): detailed balance with exp(-βE). */
    public static SpinFlipRates glauber(double[] r, double beta) {
        return (i, dE) -> r[i] / (1 + Math.exp(beta * dE));
    }

    /** Metropolis rates r_i min(1, e^{-βΔE}): detailed balance with exp(-βE). */
    public static SpinFlipRates metropolis(double[] r, double beta) {
        return (i, dE) -> r[i] * Math.min(1, Math.exp(-beta * dE));
    }

    /**
     * Rates that break detailed balance: a Glauber core with a spin-dependent, sign-asymmetric factor
     * so R_i(ΔE) = W_i(ΔE)/W_i(-ΔE) differs from spin to spin.
     */
    public static SpinFlipRates asymmetric(double[] r, double beta) {
        return (i, dE) -> r[i] * (1 + 0.6 * Math.sin(0.7 * dE + i)) / (1 + Math.exp(beta * dE));
    }

    /** g_i uniform in [-a, a] from a fixed seed. */
    public static double[] uniformCouplings(int n, double a, long seed) {
        Random r = new Random(seed);
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = -a + 2 * a * r.nextDouble();
        }
        return g;
    }

    /** Parameters ω = κ = 1, Ω = 0.1 with the given η (physics.md §6). */
    public static Parameters paper(double eta, double[] g) {
        return Parameters.withEta(1, 0.1, 1, eta, g);
    }

    /** The Gaussian small-jump rate (S14): exactly detailed-balanced with β_eff. */
    public static SpinFlipRates smallJump(Parameters p) {
        double[] g = p.g();
        return (i, dE) -> RateAsymptotics.smallJump(p, g[i], dE);
    }

    /**
     * Small-jump Gaussian plus a regularised power-law tail like (S21): not detailed-balanced and, at
     * η = 0.1, spanning many decades; a stand-in for the full Eq. (3) rates.
     */
    public static SpinFlipRates smallJumpWithTail(Parameters p) {
        double[] g = p.g();
        double eta = p.eta();
        double k = 2 * p.kappa() + eta;
        double q = (eta * eta + 4) / 16;
        double q4 = q * q * q * q;
        double d2 = p.drive() * p.drive();
        return (i, dE) -> {
            double x = dE + g[i] * g[i];
            return RateAsymptotics.smallJump(p, g[i], dE) + 4 * d2 * g[i] * g[i] * k * q4 / (x * x * x * x + 1);
        };
    }
}
