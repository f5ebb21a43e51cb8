package io.iontrap.model.lindblad;

import java.util.ArrayList;
import java.util.List;

/**
 * e^{tL} v for many t from one shift-and-invert Krylov space K_m((L - s)⁻¹, v): with the Arnoldi
 * relation (L - s)⁻¹ V_m = V_m H_m + h v_{m+1} e_mᵀ, e^{tL} v ≈ ‖v‖ V_m exp(t (H_m⁻¹ + s)) e_1.
 *
 * <p>Once the fast boson transients have decayed, v lies (to tolerance) in the slow invariant
 * subspace of L, spanned by the 2^N configuration modes, and the space of dimension about 2^N
 * plus a few captures it whatever t is: one basis serves all later output times. The dimension
 * grows until the coefficient vectors for every requested t change by less than {@code tol}
 * (in the Hilbert-Schmidt norm) over two consecutive steps.
 */
final class ShiftInvertKrylov {
    private final LindbladOperator op;
    private final ShiftedSolve solver;
    final List<double[]> basisR = new ArrayList<>();
    final List<double[]> basisI = new ArrayList<>();
    private double beta;
    /** coefficient vectors per time (in the basis) after the last {@link #build}. */
    double[][] coefficients;
    /** estimated error per time. */
    double[] errors;
    int dimension;
    double innerResidual;

    ShiftInvertKrylov(LindbladOperator op, ShiftedSolve solver) {
        this.op = op;
        this.solver = solver;
    }

    /**
     * Builds the space from v until every t in {@code dts} has converged, {@code maxDim} is
     * reached or the GMRES iterations exceed {@code gmresBudget}; {@link #errors} then tells which
     * times did converge.
     *
     * @return true when all times converged
     */
    boolean build(double[] vr0, double[] vi0, double[] dts, double tol, int minDim, int maxDim, double innerTol,
            long gmresBudget) {
        basisR.clear();
        errors = null;
        coefficients = null;
        dimension = 0;
        basisI.clear();
        int len = op.length();
        beta = op.norm(vr0, vi0);
        double[] v0r = vr0.clone();
        double[] v0i = vi0.clone();
        ShiftedSolve.scale(v0r, v0i, 1 / beta);
        basisR.add(v0r);
        basisI.add(v0i);
        double[][] hess = new double[maxDim + 1][maxDim];
        double[][] previous = null;
        int quiet = 0;
        innerResidual = 0;
        long startIterations = solver.iterations;
        for (int j = 0; j < maxDim; j++) {
            if (solver.iterations - startIterations > gmresBudget) {
                break;
            }
            double[] wr = new double[len];
            double[] wi = new double[len];
            // initial guess zero
            double res = solver.solve(basisR.get(j), basisI.get(j), wr, wi, innerTol, 400);
            innerResidual = Math.max(innerResidual, res);
            for (int pass = 0; pass < 2; pass++) {
                for (int i = 0; i <= j; i++) {
                    double hij = op.dot(basisR.get(i), basisI.get(i), wr, wi);
                    hess[i][j] += hij;
                    ShiftedSolve.axpy(-hij, basisR.get(i), basisI.get(i), wr, wi);
                }
            }
            double hn = op.norm(wr, wi);
            hess[j + 1][j] = hn;
            int dim = j + 1;
            boolean breakdown = hn <= 1e-14 * Math.abs(hess[0][0]);
            if (!breakdown) {
                ShiftedSolve.scale(wr, wi, 1 / hn);
                basisR.add(wr);
                basisI.add(wi);
            }
            if (dim >= minDim || breakdown) {
                double[][] coeff = evaluate(hess, dim, dts);
                double[] err = new double[dts.length];
                boolean ok = true;
                for (int k = 0; k < dts.length; k++) {
                    double e2 = 0;
                    for (int i = 0; i < dim; i++) {
                        double prev = previous == null || i >= previous[k].length ? 0 : previous[k][i];
                        double diff = coeff[k][i] - prev;
                        e2 += diff * diff;
                    }
                    err[k] = Math.sqrt(e2);
                    if (!(err[k] <= tol)) {
                        ok = false;
                    }
                }
                coefficients = coeff;
                errors = err;
                dimension = dim;
                if (breakdown) {
                    return true;
                }
                if (ok && previous != null) {
                    quiet++;
                    if (quiet >= 2) {
                        return true;
                    }
                } else {
                    quiet = 0;
                }
                previous = coeff;
            }
        }
        return false;
    }

    /** state at dts[k] into (xr, xi). */
    void state(int k, double[] xr, double[] xi) {
        java.util.Arrays.fill(xr, 0);
        java.util.Arrays.fill(xi, 0);
        double[] c = coefficients[k];
        for (int i = 0; i < c.length; i++) {
            ShiftedSolve.axpy(c[i], basisR.get(i), basisI.get(i), xr, xi);
        }
    }

    private double[][] evaluate(double[][] hess, int dim, double[] dts) {
        double[][] hm = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            System.arraycopy(hess[i], 0, hm[i], 0, dim);
        }
        double[][] s = SmallMatrix.inverse(hm);
        double shift = solver.shift();
        for (int i = 0; i < dim; i++) {
            s[i][i] += shift;
        }
        double[][] out = new double[dts.length][];
        for (int k = 0; k < dts.length; k++) {
            double[][] e = SmallMatrix.expm(SmallMatrix.scale(s, dts[k]));
            double[] c = new double[dim];
            for (int i = 0; i < dim; i++) {
                c[i] = beta * e[i][0];
            }
            out[k] = c;
        }
        return out;
    }
}
