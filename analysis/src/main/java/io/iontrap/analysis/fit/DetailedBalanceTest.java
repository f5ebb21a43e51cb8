package io.iontrap.analysis.fit;

import io.iontrap.analysis.estimate.DetectionCorrection;
import io.iontrap.analysis.estimate.Estimators;
import io.iontrap.analysis.estimate.ShotCounts;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.optim.PointValuePair;

/**
 * Detailed balance from relaxation data (small N): a likelihood-ratio test of the reversible
 * model against the general one, both fitted to the population time series through the master
 * equation.
 *
 * <ul>
 * <li>H1 (general): every spin i and every distinct energy change ±|ΔE| it can make has its own
 * rate, W_i(+|ΔE|) and W_i(−|ΔE|) free (the rates depend on σ only through ΔE_i, physics.md §3).
 * <li>H0 (reversible at one temperature): W_i(±|ΔE|) = a_{i,|ΔE|} exp(∓β|ΔE|/2), i.e.
 * R_i(ΔE) = W_i(ΔE)/W_i(−ΔE) = exp(−βΔE) for every spin, which is detailed balance with the
 * Boltzmann stationary state at β. For N = 2 it is exactly the Kolmogorov criterion
 * R_1(ΔE) = R_2(ΔE) of the one loop.
 * </ul>
 * Λ = 2(ℓ_H1 − ℓ_H0) is asymptotically χ² with (number of nonzero |ΔE| levels − 1) degrees of
 * freedom under H0 (Wilks). H0's β is the β_eff "from measured rate ratios"; H1 gives each R_i(ΔE)
 * and the Kolmogorov ratio of the loop on spins 0 and 1 with delta-method intervals.
 */
public final class DetailedBalanceTest {
    /** Largest number of free rates in H1 this test attempts. */
    public static final int MAX_RATES = 16;

    /** One measured rate ratio R_i(ΔE) at ΔE = +|ΔE| > 0, with its interval. */
    public record RateRatio(int spin, double deltaE, double ratio, double lo, double hi) {
    }

    /**
     * @param statistic  Λ = 2(ℓ_H1 − ℓ_H0)
     * @param kolmogorov ratio of the rate products of the loop (↑↑)→(↑↓)→(↓↓)→(↓↑)→(↑↑) of spins 0 and 1
     *                   (others down) to the reverse loop, as physics.md §5 and
     *                   {@code DetailedBalance.kolmogorovRatio}, with interval (NaN when not determined)
     */
    public record Result(double statistic, int dof, double pValue, ParameterEstimate betaFromRates,
                         double kolmogorov, double kolmogorovLo, double kolmogorovHi, List<RateRatio> ratios,
                         double logLikelihoodGeneral, double logLikelihoodReversible, List<String> warnings) {
        /** "detailed balance is broken at p < alpha". */
        public boolean broken(double alpha) {
            return pValue < alpha;
        }
    }

    private final IsingLandscape landscape;
    private final ShotCounts counts;
    private final double[] p0;
    private final DetectionCorrection detection;
    private final Propagator propagator;
    private final int n;
    // rate slots: per spin, per |ΔE| level
    private final List<double[]> levels = new ArrayList<>(); // {spin, |dE|}
    private final Map<Long, Integer> slotOf = new HashMap<>();
    private final double tol;

    public DetailedBalanceTest(IsingLandscape landscape, ShotCounts counts, double[] p0, DetectionCorrection detection,
                               Propagator propagator) {
        this.landscape = landscape;
        this.counts = counts;
        this.p0 = p0.clone();
        this.detection = detection;
        this.propagator = propagator;
        this.n = landscape.size();
        double[] m = landscape.magnetisations();
        double scale = 0;
        for (int i = 0; i < n; i++) {
            scale = Math.max(scale, landscape.maxAbsDeltaE(i));
        }
        this.tol = 1e-9 * Math.max(scale, 1e-300);
        for (int s = 0; s < (1 << n); s++) {
            for (int i = 0; i < n; i++) {
                double a = Math.abs(landscape.deltaE(i, IsingLandscape.spin(s, i), m[s]));
                long key = key(i, a);
                if (!slotOf.containsKey(key)) {
                    slotOf.put(key, levels.size());
                    levels.add(new double[] {i, a < tol ? 0 : a});
                }
            }
        }
    }

    /** Number of free rates of the general model. */
    public int generalParameterCount() {
        int k = 0;
        for (double[] l : levels) {
            k += l[1] == 0 ? 1 : 2;
        }
        return k;
    }

    private long key(int i, double absDeltaE) {
        return ((long) i << 40) ^ Math.round(absDeltaE / tol / 1e3);
    }

    private int slot(int i, double dE) {
        Integer s = slotOf.get(key(i, Math.abs(dE)));
        if (s == null) {
            throw new IllegalStateException("no rate slot for spin " + i + ", dE " + dE);
        }
        return s;
    }

    /**
     * @param start rates to start from (e.g. the nominal model's), or null for 1/t_max
     */
    public Result run(SpinFlipRates start, double level) {
        List<String> warnings = new ArrayList<>();
        int k1 = generalParameterCount();
        if (k1 > MAX_RATES) {
            throw new IllegalArgumentException("detailed-balance test: the general model has " + k1
                    + " free rates (N = " + n + "), more than " + MAX_RATES + "; run it on N <= 3 or on a pair of ions");
        }
        int slots = levels.size();
        double tMax = 0;
        for (double t : counts.times()) {
            tMax = Math.max(tMax, t);
        }
        double fallback = 1 / Math.max(tMax, 1e-300);
        // H0 start: a = sqrt(w+ w-), β = mean of -log(w+/w-)/|ΔE|
        double[] a0 = new double[slots];
        double betaSum = 0;
        int betaCount = 0;
        for (int q = 0; q < slots; q++) {
            int i = (int) levels.get(q)[0];
            double d = levels.get(q)[1];
            double wp = start == null ? fallback : start.rate(i, d);
            double wm = start == null ? fallback : start.rate(i, -d);
            wp = wp > 0 ? wp : fallback;
            wm = wm > 0 ? wm : fallback;
            a0[q] = Math.log(Math.sqrt(wp * wm));
            if (d > 0) {
                betaSum += -Math.log(wp / wm) / d;
                betaCount++;
            }
        }
        double beta0 = betaCount > 0 ? betaSum / betaCount : 0;
        double dMax = levels.stream().mapToDouble(l -> l[1]).max().orElse(1);
        // H0 coordinates: log a per slot, then β
        double[] u0 = new double[slots + 1];
        double[] lo0 = new double[slots + 1];
        double[] hi0 = new double[slots + 1];
        for (int q = 0; q < slots; q++) {
            u0[q] = a0[q];
            lo0[q] = a0[q] - 8;
            hi0[q] = a0[q] + 8;
        }
        u0[slots] = beta0;
        lo0[slots] = beta0 - 30 / Math.max(dMax, 1e-300);
        hi0[slots] = beta0 + 30 / Math.max(dMax, 1e-300);
        Likelihood h0 = new Likelihood(u -> logLikelihood(reversibleRates(u)), lo0, hi0);
        PointValuePair m0 = h0.maximise(u0);
        // H1 coordinates: per slot log w+ and (nonzero |ΔE|) log w-; start at the H0 optimum
        double[] u1 = new double[k1];
        double[] lo1 = new double[k1];
        double[] hi1 = new double[k1];
        int[] plusIndex = new int[slots];
        int[] minusIndex = new int[slots];
        int c = 0;
        for (int q = 0; q < slots; q++) {
            double d = levels.get(q)[1];
            double b = m0.getPoint()[slots];
            plusIndex[q] = c;
            u1[c++] = m0.getPoint()[q] - b * d / 2;
            if (d > 0) {
                minusIndex[q] = c;
                u1[c++] = m0.getPoint()[q] + b * d / 2;
            } else {
                minusIndex[q] = plusIndex[q];
            }
        }
        for (int j = 0; j < k1; j++) {
            lo1[j] = u1[j] - 8;
            hi1[j] = u1[j] + 8;
        }
        Likelihood h1 = new Likelihood(u -> logLikelihood(generalRates(u, plusIndex, minusIndex)), lo1, hi1);
        PointValuePair m1 = h1.maximise(u1);
        double l1 = Math.max(m1.getValue(), m0.getValue());
        double stat = Math.max(0, 2 * (l1 - m0.getValue()));
        int dof = k1 - (slots + 1);
        double p = dof > 0 ? 1 - new ChiSquaredDistribution(null, dof, 1e-12).cumulativeProbability(stat) : Double.NaN;
        if (dof <= 0) {
            warnings.add("detailed balance cannot be tested: every spin sees a single energy change");
        }
        // β from the reversible fit, profile interval
        double[] bci = h0.profileInterval(slots, m0, level);
        double beta = m0.getPoint()[slots];
        ParameterEstimate betaEst = new ParameterEstimate("betaEff", beta,
                bci[0] <= lo0[slots] + 1e-9 ? Double.NEGATIVE_INFINITY : Math.min(bci[0], beta),
                bci[1] >= hi0[slots] - 1e-9 ? Double.POSITIVE_INFINITY : Math.max(bci[1], beta), level, "profile",
                "1/unit^2");
        // R_i(ΔE) and the Kolmogorov ratio from the general fit, delta method
        double[] steps = new double[k1];
        java.util.Arrays.fill(steps, 1e-3);
        double[] uh = m1.getValue() >= m0.getValue() ? m1.getPoint() : u1;
        double[][] cov = h1.covariance(uh, steps);
        if (cov == null) {
            warnings.add("the general rate model is not fully determined by this schedule: "
                    + "rate-ratio and Kolmogorov intervals unavailable");
        }
        double z = Estimators.z(level);
        List<RateRatio> ratios = new ArrayList<>();
        for (int q = 0; q < slots; q++) {
            double d = levels.get(q)[1];
            if (d == 0) {
                continue;
            }
            double[] coef = new double[k1];
            coef[plusIndex[q]] = 1;
            coef[minusIndex[q]] = -1;
            double logR = uh[plusIndex[q]] - uh[minusIndex[q]];
            double se = cov == null ? Double.NaN : Math.sqrt(quadratic(coef, cov));
            ratios.add(new RateRatio((int) levels.get(q)[0], d, Math.exp(logR), Math.exp(logR - z * se),
                    Math.exp(logR + z * se)));
        }
        double kol = Double.NaN;
        double kLo = Double.NaN;
        double kHi = Double.NaN;
        if (n >= 2) {
            double[] coef = new double[k1];
            // the paper's loop (up,up) -> (up,down) -> (down,down) -> (down,up) for (spin 0, spin 1),
            // as io.iontrap.model.balance.DetailedBalance: from 00 flip 1, 0, 1, 0
            long s0 = 0;
            long[] path = {s0, s0 ^ 2, s0 ^ 3, s0 ^ 1};
            int[] flips = {1, 0, 1, 0};
            double[] mag = landscape.magnetisations();
            for (int step = 0; step < 4; step++) {
                long from = path[step];
                int i = flips[step];
                double dE = landscape.deltaE(i, IsingLandscape.spin(from, i), mag[(int) from]);
                addLogRate(coef, i, dE, plusIndex, minusIndex, +1);
                long back = path[(step + 1) % 4];
                double dEb = landscape.deltaE(i, IsingLandscape.spin(back, i), mag[(int) back]);
                addLogRate(coef, i, dEb, plusIndex, minusIndex, -1);
            }
            double logK = 0;
            for (int j = 0; j < k1; j++) {
                logK += coef[j] * uh[j];
            }
            kol = Math.exp(logK);
            if (cov != null) {
                double se = Math.sqrt(quadratic(coef, cov));
                kLo = Math.exp(logK - z * se);
                kHi = Math.exp(logK + z * se);
            }
        }
        return new Result(stat, dof, p, betaEst, kol, kLo, kHi, ratios, l1, m0.getValue(), warnings);
    }

    private void addLogRate(double[] coef, int i, double dE, int[] plus, int[] minus, double sign) {
        int q = slot(i, dE);
        coef[dE > tol ? plus[q] : dE < -tol ? minus[q] : plus[q]] += sign;
    }

    private static double quadratic(double[] c, double[][] cov) {
        double s = 0;
        for (int a = 0; a < c.length; a++) {
            for (int b = 0; b < c.length; b++) {
                s += c[a] * cov[a][b] * c[b];
            }
        }
        return Math.max(s, 0);
    }

    private SpinFlipRates reversibleRates(double[] u) {
        int slots = levels.size();
        double beta = u[slots];
        return (i, dE) -> {
            int q = slot(i, dE);
            double d = Math.abs(dE) < tol ? 0 : dE;
            return Math.exp(u[q] - beta * d / 2);
        };
    }

    private SpinFlipRates generalRates(double[] u, int[] plus, int[] minus) {
        return (i, dE) -> {
            int q = slot(i, dE);
            return Math.exp(dE < -tol ? u[minus[q]] : u[plus[q]]);
        };
    }

    private double logLikelihood(SpinFlipRates rates) {
        double[][] p = propagator.evolveAt(landscape, rates, p0, counts.times());
        double l = 0;
        for (int t = 0; t < p.length; t++) {
            double[] q = detection == null ? p[t] : detection.forward(p[t]);
            for (int s = 0; s < q.length; s++) {
                int k = counts.count(t, s);
                if (k > 0) {
                    l += k * Math.log(Math.max(q[s], 1e-300));
                }
            }
        }
        return l;
    }
}
