package io.iontrap.analysis.fit;

import io.iontrap.analysis.estimate.DetectionCorrection;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.optim.PointValuePair;

/**
 * β_eff from (late-time) configuration counts: maximum likelihood of the multinomial model
 * π_σ(β) = exp(−βE_σ)/Z (seen through the detection errors when they are known). Zero counts
 * are fine, unlike a least-squares fit of log counts. The interval is the likelihood-ratio
 * (profile) interval; if the data push β to the edge of the search range (e.g. every shot in a
 * ground state), that end is reported open. The goodness of fit says whether the populations
 * are Boltzmann at all (they need not be: the dynamics is out of equilibrium, physics.md §5).
 */
public final class BoltzmannFit {
    /** β with interval, the fitted distribution, goodness of fit and remarks. */
    public record Result(ParameterEstimate beta, double[] fitted, GoodnessOfFit goodness, List<String> warnings) {
    }

    private BoltzmannFit() {
    }

    /**
     * @param counts   counts per configuration (pooled over the late times)
     * @param energies E(σ) per configuration
     * @param detection known detection errors, or null
     */
    public static Result fit(int[] counts, double[] energies, DetectionCorrection detection, double level) {
        int[] identity = new int[counts.length];
        for (int s = 0; s < identity.length; s++) {
            identity[s] = s;
        }
        return fit(counts, energies, detection, identity, counts.length, level);
    }

    /**
     * As {@link #fit(int[], double[], DetectionCorrection, double)} with the likelihood and the
     * goodness of fit on groups of configurations (e.g. energy levels: {@code groupOf[σ]} is the
     * level of σ), so only the distribution over the groups has to be Boltzmann, P(level) ∝
     * degeneracy·exp(−βE). This is robust to slow equilibration inside a degenerate level (the two
     * ground configurations σ and −σ exchange population only through high-energy states).
     */
    public static Result fit(int[] counts, double[] energies, DetectionCorrection detection, int[] groupOf,
                             int groups, double level) {
        int[] grouped = new int[groups];
        for (int s = 0; s < counts.length; s++) {
            grouped[groupOf[s]] += counts[s];
        }
        double eMin = Double.POSITIVE_INFINITY;
        double eMax = Double.NEGATIVE_INFINITY;
        for (double e : energies) {
            eMin = Math.min(eMin, e);
            eMax = Math.max(eMax, e);
        }
        List<String> warnings = new ArrayList<>();
        long total = 0;
        for (int c : counts) {
            total += c;
        }
        if (total == 0 || !(eMax > eMin)) {
            warnings.add(total == 0 ? "no shots to fit a Boltzmann law to" : "all configurations have the same energy");
            return new Result(new ParameterEstimate("betaEff", Double.NaN, Double.NaN, Double.NaN, level, "none",
                    "1/unit^2"), null, null, warnings);
        }
        double bound = 60 / (eMax - eMin);
        final double e0 = eMin;
        Likelihood like = new Likelihood(u -> {
            double[] q = group(observed(boltzmann(u[0], energies, e0), detection), groupOf, groups);
            double l = 0;
            for (int g = 0; g < groups; g++) {
                if (grouped[g] > 0) {
                    l += grouped[g] * Math.log(Math.max(q[g], 1e-300));
                }
            }
            return l;
        }, new double[] {-bound}, new double[] {bound});
        PointValuePair mle = like.maximise(new double[] {0});
        double[] ci = like.profileInterval(0, mle, level);
        double b = mle.getPoint()[0];
        double lo = ci[0];
        double hi = ci[1];
        if (hi >= bound - 1e-9) {
            hi = Double.POSITIVE_INFINITY;
            warnings.add("betaEff: no upper limit (the shots sit in the lowest levels)");
        }
        if (lo <= -bound + 1e-9) {
            lo = Double.NEGATIVE_INFINITY;
            warnings.add("betaEff: no lower limit (the shots sit in the highest levels)");
        }
        double[] fitted = boltzmann(b, energies, eMin);
        double[] observedFit = group(observed(fitted, detection), groupOf, groups);
        GoodnessOfFit gof = GoodnessOfFit.of(new int[][] {grouped}, new double[][] {observedFit}, 1);
        if (gof.dof() > 0 && gof.pValue() < 0.01) {
            warnings.add("late-time populations are not Boltzmann: " + gof.verdict());
        }
        return new Result(new ParameterEstimate("betaEff", b, Math.min(lo, b), Math.max(hi, b), level, "profile",
                "1/unit^2"), fitted, gof, warnings);
    }

    private static double[] observed(double[] p, DetectionCorrection detection) {
        return detection == null ? p : detection.forward(p);
    }

    private static double[] group(double[] p, int[] groupOf, int groups) {
        double[] out = new double[groups];
        for (int s = 0; s < p.length; s++) {
            out[groupOf[s]] += p[s];
        }
        return out;
    }

    static double[] boltzmann(double beta, double[] energies, double eMin) {
        double[] q = new double[energies.length];
        double z = 0;
        for (int s = 0; s < q.length; s++) {
            q[s] = Math.exp(-beta * (energies[s] - eMin));
            z += q[s];
        }
        for (int s = 0; s < q.length; s++) {
            q[s] /= z;
        }
        return q;
    }
}
