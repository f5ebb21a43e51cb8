package io.iontrap.analysis.fit;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.apache.commons.math3.exception.NoBracketingException;
import org.apache.commons.math3.exception.TooManyEvaluationsException;
import org.apache.commons.math3.exception.TooManyIterationsException;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;
import org.apache.commons.math3.optim.univariate.UnivariatePointValuePair;

/**
 * Maximises a log-likelihood ℓ(u) over a box in unconstrained coordinates u (logs, logits), and
 * gives intervals from the profile likelihood (where 2(ℓ̂ − ℓ_prof) crosses the χ²₁ quantile) or
 * from the observed Fisher information (numerical Hessian). Derivative-free: Brent with a grid
 * scan in one dimension, BOBYQA (restarted once) in more; every optimiser has explicit
 * evaluation and iteration limits (Commons Math defaults them to 0).
 */
public final class Likelihood {
    private static final int MAX_EVAL = 20_000;

    private final ToDoubleFunction<double[]> logLikelihood;
    private final double[] lower;
    private final double[] upper;
    private int evaluations;

    public Likelihood(ToDoubleFunction<double[]> logLikelihood, double[] lower, double[] upper) {
        this.logLikelihood = logLikelihood;
        this.lower = lower.clone();
        this.upper = upper.clone();
    }

    public int evaluations() {
        return evaluations;
    }

    public double value(double[] u) {
        evaluations++;
        double v = logLikelihood.applyAsDouble(u);
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    /** Maximum over the box from a start point. */
    public PointValuePair maximise(double[] start) {
        return maximise(start, new boolean[start.length], true);
    }

    /**
     * Maximum over the free coordinates ({@code fixed[j]} false), the others held at their start
     * values. {@code scan}: in one dimension, scan a grid first (for a cold start).
     */
    PointValuePair maximise(double[] start, boolean[] fixed, boolean scan) {
        int[] free = freeIndices(fixed);
        double[] x = clamp(start.clone());
        if (free.length == 0) {
            return new PointValuePair(x, value(x));
        }
        if (free.length == 1) {
            int j = free[0];
            double lo = lower[j];
            double hi = upper[j];
            if (scan) {
                int grid = 40;
                double best = Double.NEGATIVE_INFINITY;
                int bestK = 0;
                for (int k = 0; k <= grid; k++) {
                    x[j] = lower[j] + (upper[j] - lower[j]) * k / grid;
                    double v = value(x);
                    if (v > best) {
                        best = v;
                        bestK = k;
                    }
                }
                lo = lower[j] + (upper[j] - lower[j]) * Math.max(0, bestK - 1) / grid;
                hi = lower[j] + (upper[j] - lower[j]) * Math.min(grid, bestK + 1) / grid;
                x[j] = lower[j] + (upper[j] - lower[j]) * bestK / grid;
            } else {
                double w = Math.max(1.0, 0.1 * (upper[j] - lower[j]));
                lo = Math.max(lower[j], x[j] - w);
                hi = Math.min(upper[j], x[j] + w);
            }
            double[] y = x.clone();
            double[] best = {x[j], Double.NEGATIVE_INFINITY};
            try {
                UnivariatePointValuePair r = new BrentOptimizer(1e-8, 1e-9).optimize(new MaxEval(MAX_EVAL),
                        new UnivariateObjectiveFunction(v -> {
                            y[j] = v;
                            double f = value(y);
                            if (f > best[1]) {
                                best[0] = v;
                                best[1] = f;
                            }
                            return f;
                        }), GoalType.MAXIMIZE, new SearchInterval(lo, hi, Math.min(hi, Math.max(lo, x[j]))));
                x[j] = r.getPoint();
            } catch (TooManyEvaluationsException e) {
                x[j] = best[0];
            }
            double v = value(x);
            return new PointValuePair(x, v);
        }
        double[] lo = new double[free.length];
        double[] hi = new double[free.length];
        double[] s = new double[free.length];
        double radius = Double.POSITIVE_INFINITY;
        for (int k = 0; k < free.length; k++) {
            lo[k] = lower[free[k]];
            hi[k] = upper[free[k]];
            s[k] = x[free[k]];
            radius = Math.min(radius, (hi[k] - lo[k]) / 4);
        }
        double[] full = x.clone();
        PointValuePair[] seen = {null};
        ObjectiveFunction f = new ObjectiveFunction(v -> {
            double[] y = full.clone();
            for (int k = 0; k < free.length; k++) {
                y[free[k]] = v[k];
            }
            double val = value(y);
            if (seen[0] == null || val > seen[0].getValue()) {
                seen[0] = new PointValuePair(v.clone(), val);
            }
            return val;
        });
        PointValuePair best = null;
        for (int pass = 0; pass < 2; pass++) {
            PointValuePair r;
            try {
                BOBYQAOptimizer opt = new BOBYQAOptimizer(2 * free.length + 1, Math.min(0.5, radius), 1e-6);
                r = opt.optimize(new MaxEval(MAX_EVAL), new MaxIter(MAX_EVAL), f, GoalType.MAXIMIZE,
                        new InitialGuess(s), new SimpleBounds(lo, hi));
            } catch (TooManyEvaluationsException | TooManyIterationsException e) {
                r = seen[0]; // the best point evaluated so far
            }
            if (best == null || r.getValue() >= best.getValue()) {
                best = r;
            }
            s = best.getPoint();
        }
        double[] y = x.clone();
        for (int k = 0; k < free.length; k++) {
            y[free[k]] = best.getPoint()[k];
        }
        return new PointValuePair(y, best.getValue());
    }

    /** The profile ℓ_prof(u_j = value): maximum over the other coordinates, warm-started at {@code from}. */
    public PointValuePair profile(int j, double value, double[] from) {
        double[] s = from.clone();
        s[j] = value;
        boolean[] fixed = new boolean[s.length];
        fixed[j] = true;
        return maximise(s, fixed, false);
    }

    /**
     * Profile-likelihood interval of coordinate j at {@code level}: the u_j where
     * 2(ℓ̂ − ℓ_prof(u_j)) = χ²₁(level). An end that is not reached inside the box is the box bound.
     */
    public double[] profileInterval(int j, PointValuePair mle, double level) {
        double threshold = mle.getValue() - new ChiSquaredDistribution(null, 1, 1e-12)
                .inverseCumulativeProbability(level) / 2;
        double[] out = new double[2];
        for (int side = 0; side < 2; side++) {
            double dir = side == 0 ? -1 : 1;
            double bound = side == 0 ? lower[j] : upper[j];
            double inside = mle.getPoint()[j];
            double[] warm = mle.getPoint();
            double step = 0.05;
            double outside = Double.NaN;
            while (true) {
                double x = inside + dir * step;
                if ((dir < 0 && x <= bound) || (dir > 0 && x >= bound)) {
                    PointValuePair pb = profile(j, bound, warm);
                    if (pb.getValue() > threshold) {
                        out[side] = bound;
                    } else {
                        outside = bound;
                    }
                    break;
                }
                PointValuePair p = profile(j, x, warm);
                if (p.getValue() < threshold) {
                    outside = x;
                    break;
                }
                inside = x;
                warm = p.getPoint();
                step *= 2;
            }
            if (!Double.isNaN(outside)) {
                final double[] w = warm;
                double a = Math.min(inside, outside);
                double b = Math.max(inside, outside);
                try {
                    out[side] = new BrentSolver(1e-5).solve(200, v -> profile(j, v, w).getValue() - threshold, a, b);
                } catch (NoBracketingException | TooManyEvaluationsException e) {
                    // the profile is not monotone between the points (warm starts differ): take the
                    // outer point, which errs on the side of a wider interval
                    out[side] = outside;
                }
            }
        }
        return out;
    }

    /**
     * Covariance of u from the observed Fisher information, (−∇²ℓ)⁻¹ at the maximum, by central
     * differences; null when the information matrix is singular (a parameter not identified).
     */
    public double[][] covariance(double[] u, double[] steps) {
        int k = u.length;
        double f0 = value(u);
        double[][] h = new double[k][k];
        for (int a = 0; a < k; a++) {
            for (int b = a; b < k; b++) {
                double v;
                if (a == b) {
                    v = (value(shift(u, a, steps[a], -1, 0, 0)) - 2 * f0 + value(shift(u, a, -steps[a], -1, 0, 0)))
                            / (steps[a] * steps[a]);
                } else {
                    v = (value(shift(u, a, steps[a], b, steps[b], 1)) - value(shift(u, a, steps[a], b, -steps[b], 1))
                            - value(shift(u, a, -steps[a], b, steps[b], 1))
                            + value(shift(u, a, -steps[a], b, -steps[b], 1))) / (4 * steps[a] * steps[b]);
                }
                h[a][b] = -v;
                h[b][a] = -v;
            }
        }
        RealMatrix info = new Array2DRowRealMatrix(h);
        LUDecomposition lu = new LUDecomposition(info, 1e-14);
        if (!lu.getSolver().isNonSingular()) {
            return null;
        }
        double[][] cov = lu.getSolver().getInverse().getData();
        for (int a = 0; a < k; a++) {
            if (!(cov[a][a] > 0) || !Double.isFinite(cov[a][a])) {
                return null;
            }
        }
        return cov;
    }

    private static double[] shift(double[] u, int a, double da, int b, double db, int both) {
        double[] y = u.clone();
        y[a] += da;
        if (both == 1) {
            y[b] += db;
        }
        return y;
    }

    private double[] clamp(double[] x) {
        for (int j = 0; j < x.length; j++) {
            x[j] = Math.max(lower[j], Math.min(upper[j], x[j]));
        }
        return x;
    }

    private static int[] freeIndices(boolean[] fixed) {
        return java.util.stream.IntStream.range(0, fixed.length).filter(j -> !fixed[j]).toArray();
    }

    @Override
    public String toString() {
        return "Likelihood{box=" + Arrays.toString(lower) + ".." + Arrays.toString(upper) + "}";
    }
}
