package io.iontrap.analysis.fit;

import io.iontrap.analysis.estimate.DetectionCorrection;
import io.iontrap.analysis.estimate.Estimators;
import io.iontrap.analysis.estimate.ShotCounts;
import io.iontrap.analysis.fit.FitSpec.Parameter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.optim.PointValuePair;

/**
 * Maximum-likelihood fit of the model's predicted populations at the measured hold times to
 * the multinomial shot counts: ℓ(θ) = Σ_t Σ_σ n_{tσ} log q_{tσ}(θ) with q = (⊗C)p(t; Ω, η) the
 * distribution of what the detector reports. Free parameters: Ω, η (log coordinates) and two
 * detection errors shared by all ions (logit coordinates, in (0, ½)); the rest stay nominal
 * (and the run's per-ion detection errors, when known and not fitted, enter C).
 */
public final class PopulationFit {
    private static final String[] NAMES = {"Omega", "eta", "e0", "e1"};

    private final ShotCounts counts;
    private final ModelPrediction model;
    private final double[][] knownDetection;
    private final double[] times;
    private double[] cacheKey;
    private double[][] cacheP;

    /**
     * @param knownDetection per-ion detection errors [i]{e0, e1} used when SPAM is not fitted, or null
     */
    public PopulationFit(ShotCounts counts, ModelPrediction model, double[][] knownDetection) {
        this.counts = counts;
        this.model = model;
        this.knownDetection = knownDetection;
        this.times = counts.times();
        if (counts.ions() != model.landscape().size()) {
            throw new IllegalArgumentException("counts have N = " + counts.ions() + ", the model has N = "
                    + model.landscape().size());
        }
    }

    public FitResult fit(FitSpec spec) {
        List<String> warnings = new ArrayList<>();
        double[] natural0 = {model.nominal().drive(), model.nominal().eta(), 0.01, 0.01};
        if (!(natural0[0] > 0)) {
            natural0[0] = 1;
            warnings.add("nominal Omega is 0: the fit starts from Omega = 1");
        }
        boolean spam = spec.frees(Parameter.SPAM);
        if (spam && knownDetection != null) {
            warnings.add("detection errors fitted as two rates shared by all ions; the run's per-ion calibration is not used");
        }
        boolean[] fitted = {spec.frees(Parameter.OMEGA), spec.frees(Parameter.ETA), spam, spam};
        int[] idx = java.util.stream.IntStream.range(0, 4).filter(j -> fitted[j]).toArray();
        int k = idx.length;
        double[] u0 = new double[k];
        double[] lo = new double[k];
        double[] hi = new double[k];
        for (int a = 0; a < k; a++) {
            int j = idx[a];
            u0[a] = toU(j, natural0[j]);
            lo[a] = j < 2 ? u0[a] - 4 : -14;
            hi[a] = j < 2 ? u0[a] + 4 : 6;
        }
        Likelihood like = new Likelihood(u -> logLikelihood(natural(u, idx, natural0), spam), lo, hi);
        PointValuePair mle = like.maximise(u0);
        double[] uHat = mle.getPoint();
        double[] nat = natural(uHat, idx, natural0);
        FitSpec.Intervals requested = spec.intervals();
        double[] steps = new double[k];
        Arrays.fill(steps, 1e-3);
        double[][] covU = k == 0 ? null : like.covariance(uHat, steps);
        Map<String, ParameterEstimate> params = new LinkedHashMap<>();
        List<String> fittedNames = new ArrayList<>();
        double z = Estimators.z(spec.level());
        String unit = "";
        for (int j = 0; j < 4; j++) {
            if (j >= 2 && !spam) {
                continue;
            }
            String u = j < 1 ? "angular frequency unit" : j == 1 ? "dimensionless" : "probability";
            if (!fitted[j]) {
                params.put(NAMES[j], new ParameterEstimate(NAMES[j], nat[j], nat[j], nat[j], spec.level(), "fixed", u));
                continue;
            }
            int a = indexOf(idx, j);
            fittedNames.add(NAMES[j]);
            FitSpec.Intervals method = requested;
            if (method == FitSpec.Intervals.AUTO) {
                // profile up to two parameters, except Omega next to a free eta: its profile
                // re-optimises eta (new rate tables) at every point, and its Wald interval is
                // calibrated where eta's is not (docs/analysis.md)
                method = k <= 2 && !(j == 0 && fitted[1]) ? FitSpec.Intervals.PROFILE : FitSpec.Intervals.FISHER;
            }
            double[] ci;
            String how;
            if (method == FitSpec.Intervals.PROFILE) {
                ci = like.profileInterval(a, mle, spec.level());
                how = "profile";
            } else if (covU != null) {
                double se = Math.sqrt(covU[a][a]);
                ci = new double[] {uHat[a] - z * se, uHat[a] + z * se};
                how = "fisher";
            } else {
                ci = like.profileInterval(a, mle, spec.level());
                how = "profile";
                warnings.add("Fisher information singular: " + NAMES[j] + " interval from the profile likelihood");
            }
            double cLo = fromU(j, ci[0]);
            double cHi = fromU(j, ci[1]);
            if (ci[0] <= lo[a] + 1e-9) {
                cLo = j < 2 ? fromU(j, lo[a]) : 0;
                warnings.add(NAMES[j] + ": lower end of the interval not reached inside the search range");
            }
            if (ci[1] >= hi[a] - 1e-9) {
                warnings.add(NAMES[j] + ": upper end of the interval not reached inside the search range");
            }
            params.put(NAMES[j], new ParameterEstimate(NAMES[j], nat[j], Math.min(cLo, nat[j]), Math.max(cHi, nat[j]),
                    spec.level(), how, u));
            if (Math.abs(uHat[a] - lo[a]) < 1e-6 || Math.abs(uHat[a] - hi[a]) < 1e-6) {
                warnings.add(NAMES[j] + ": the maximum lies on the edge of the search range (" + nat[j] + ")");
            }
        }
        double[][] covNat = null;
        if (covU != null) {
            covNat = new double[k][k];
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    covNat[a][b] = covU[a][b] * jacobian(idx[a], uHat[a]) * jacobian(idx[b], uHat[b]);
                }
            }
        } else if (k > 0) {
            warnings.add("Fisher information singular: some fitted parameter is not determined by the data");
        }
        double[][] truth = truePopulations(nat);
        double[][] predicted = observed(truth, nat, spam);
        int[][] c = new int[counts.timeCount()][];
        for (int t = 0; t < c.length; t++) {
            c[t] = counts.counts(t);
        }
        GoodnessOfFit gof = GoodnessOfFit.of(c, predicted, k);
        if (gof.dof() > 0 && gof.pValue() < 0.01) {
            warnings.add("the model does not describe the data well: " + gof.verdict());
        }
        return new FitResult(params, fittedNames, covNat, mle.getValue(), gof, predicted, truth, like.evaluations(),
                warnings);
    }

    /** ℓ at natural parameters {Ω, η, e0, e1}. */
    public double logLikelihood(double[] nat, boolean spam) {
        double[][] q = observed(truePopulations(nat), nat, spam);
        double l = 0;
        for (int t = 0; t < q.length; t++) {
            for (int s = 0; s < q[t].length; s++) {
                int n = counts.count(t, s);
                if (n > 0) {
                    l += n * Math.log(Math.max(q[t][s], 1e-300));
                }
            }
        }
        return l;
    }

    private double[][] truePopulations(double[] nat) {
        double[] key = {nat[0], nat[1]};
        if (cacheKey == null || !Arrays.equals(cacheKey, key)) {
            cacheP = model.populations(nat[0], nat[1], times);
            cacheKey = key;
        }
        return cacheP;
    }

    private double[][] observed(double[][] p, double[] nat, boolean spam) {
        DetectionCorrection dc = spam ? DetectionCorrection.uniform(counts.ions(), nat[2], nat[3])
                : knownDetection != null ? new DetectionCorrection(knownDetection) : null;
        if (dc == null) {
            return p;
        }
        double[][] q = new double[p.length][];
        for (int t = 0; t < p.length; t++) {
            q[t] = dc.forward(p[t]);
        }
        return q;
    }

    private static double[] natural(double[] u, int[] idx, double[] base) {
        double[] nat = base.clone();
        for (int a = 0; a < idx.length; a++) {
            nat[idx[a]] = fromU(idx[a], u[a]);
        }
        return nat;
    }

    private static double toU(int j, double v) {
        return j < 2 ? Math.log(v) : -Math.log(0.5 / v - 1);
    }

    private static double fromU(int j, double u) {
        return j < 2 ? Math.exp(u) : 0.5 / (1 + Math.exp(-u));
    }

    private static double jacobian(int j, double u) {
        if (j < 2) {
            return Math.exp(u);
        }
        double s = 1 / (1 + Math.exp(-u));
        return 0.5 * s * (1 - s);
    }

    private static int indexOf(int[] a, int v) {
        for (int k = 0; k < a.length; k++) {
            if (a[k] == v) {
                return k;
            }
        }
        return -1;
    }
}
