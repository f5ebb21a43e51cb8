package io.iontrap.model.lindblad;

import io.iontrap.model.numerics.HessenbergLeastSquares;

/**
 * Solves (L - s) x = b by restarted GMRES, right-preconditioned with the block-diagonal
 * (L0 - s)⁻¹ of {@link BlockShiftSolver}: the preconditioned operator is I + L1 (L0 - s)⁻¹, a
 * weak perturbation of the identity except on the few slow (trace) directions, so a handful of
 * iterations suffice. Real arithmetic on the Hermitian-reduced layout with the weighted inner
 * product of {@link LindbladOperator#dot}.
 */
final class ShiftedSolve {
    private final LindbladOperator op;
    private final BlockShiftSolver pre;
    private final int restart;
    private final int len;
    private final double[][] vr;
    private final double[][] vi;
    private final double[] h;
    private final HessenbergLeastSquares ls;
    private final double[] tr;
    private final double[] ti;
    private final double[] ur;
    private final double[] ui;
    long iterations;
    long solves;

    /** Shift of the operator itself: solves (L - opShift) x = b with preconditioner (L0 - shift)⁻¹. */
    private final double opShift;

    ShiftedSolve(LindbladOperator op, double shift, int restart) {
        this(op, shift, shift, restart);
    }

    ShiftedSolve(LindbladOperator op, double shift, double opShift, int restart) {
        this.op = op;
        this.opShift = opShift;
        this.pre = new BlockShiftSolver(op, shift);
        this.restart = restart;
        this.len = op.length();
        this.vr = new double[restart + 1][];
        this.vi = new double[restart + 1][];
        this.h = new double[restart + 1];
        this.ls = new HessenbergLeastSquares(restart);
        this.tr = new double[len];
        this.ti = new double[len];
        this.ur = new double[len];
        this.ui = new double[len];
    }

    /** The shift s of the operator L - s this solver inverts. */
    double shift() {
        return opShift;
    }

    BlockShiftSolver preconditioner() {
        return pre;
    }

    /** y = (L - s) x. */
    void applyShifted(double[] xr, double[] xi, double[] yr, double[] yi) {
        op.apply(xr, xi, yr, yi);
        double s = opShift;
        for (int q = 0; q < len; q++) {
            yr[q] -= s * xr[q];
            yi[q] -= s * xi[q];
        }
    }

    /**
     * x ← (L - s)⁻¹ b to relative residual {@code tol} (‖b - (L-s)x‖ ≤ tol‖b‖); x holds the
     * initial guess on entry (zeros are fine).
     *
     * @return the final relative residual
     */
    double solve(double[] br, double[] bi, double[] xr, double[] xi, double tol, int maxIterations) {
        solves++;
        double bnorm = op.norm(br, bi);
        if (bnorm == 0) {
            java.util.Arrays.fill(xr, 0);
            java.util.Arrays.fill(xi, 0);
            return 0;
        }
        int total = 0;
        double rel = Double.NaN;
        while (true) {
            // r = b - A x
            ensure(0);
            applyShifted(xr, xi, tr, ti);
            double[] r0r = vr[0];
            double[] r0i = vi[0];
            for (int q = 0; q < len; q++) {
                r0r[q] = br[q] - tr[q];
                r0i[q] = bi[q] - ti[q];
            }
            double beta = op.norm(r0r, r0i);
            rel = beta / bnorm;
            if (rel <= tol || total >= maxIterations) {
                return rel;
            }
            scale(r0r, r0i, 1 / beta);
            ls.start(beta);
            for (int k = 0; k < restart && total < maxIterations; k++) {
                total++;
                iterations++;
                ensure(k + 1);
                // w = A P⁻¹ v_k = v_k + (L1 + s_pre - s_op) P⁻¹ v_k
                pre.solve(vr[k], vi[k], ur, ui);
                double[] wr = vr[k + 1];
                double[] wi = vi[k + 1];
                System.arraycopy(vr[k], 0, wr, 0, len);
                System.arraycopy(vi[k], 0, wi, 0, len);
                op.addL1(ur, ui, wr, wi, 1.0);
                double extra = pre.shift() - opShift;
                if (extra != 0) {
                    axpy(extra, ur, ui, wr, wi);
                }
                for (int j = 0; j <= k; j++) {
                    h[j] = op.dot(vr[j], vi[j], wr, wi);
                    axpy(-h[j], vr[j], vi[j], wr, wi);
                }
                // one re-orthogonalisation pass for safety
                for (int j = 0; j <= k; j++) {
                    double hj = op.dot(vr[j], vi[j], wr, wi);
                    h[j] += hj;
                    axpy(-hj, vr[j], vi[j], wr, wi);
                }
                double hn = op.norm(wr, wi);
                h[k + 1] = hn;
                if (hn > 0) {
                    scale(wr, wi, 1 / hn);
                }
                if (ls.add(h) / bnorm <= tol * 0.5 || hn == 0) {
                    break;
                }
            }
            // solve the triangular system and update x += P⁻¹ V y
            double[] y = ls.solve();
            int k = y.length;
            java.util.Arrays.fill(tr, 0);
            java.util.Arrays.fill(ti, 0);
            for (int j = 0; j < k; j++) {
                axpy(y[j], vr[j], vi[j], tr, ti);
            }
            pre.solve(tr, ti, ur, ui);
            axpy(1.0, ur, ui, xr, xi);
        }
    }

    private void ensure(int k) {
        if (vr[k] == null) {
            vr[k] = new double[len];
            vi[k] = new double[len];
        }
    }

    static void axpy(double a, double[] xr, double[] xi, double[] yr, double[] yi) {
        for (int q = 0; q < xr.length; q++) {
            yr[q] += a * xr[q];
            yi[q] += a * xi[q];
        }
    }

    static void scale(double[] xr, double[] xi, double a) {
        for (int q = 0; q < xr.length; q++) {
            xr[q] *= a;
            xi[q] *= a;
        }
    }
}
