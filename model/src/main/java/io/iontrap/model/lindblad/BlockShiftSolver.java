package io.iontrap.model.lindblad;

import java.util.HashMap;
import java.util.Map;

/**
 * (L0 - s)⁻¹ for the block-diagonal part of the Liouvillian: one banded LU per distinct pair
 * (M_σ, M_σ') (blocks with equal magnetisations share it).
 *
 * <p>A block operator on X[r][c] (row-major index q = r(nmax+1) + c) couples q to q±1, q±(nmax+1)
 * and q±(nmax+2), so it is banded with half-bandwidth nmax+2; LU without pivoting costs
 * d·(nmax+2)² per block (d = (nmax+1)²) and a solve 2d·(nmax+2). No pivoting: the factors serve as
 * a preconditioner of GMRES, which checks the residual against the true operator, so a poor
 * pivot would cost iterations, never accuracy; {@link #minPivotRatio()} reports the smallest
 * |pivot| relative to the largest diagonal entry for diagnostics.
 */
final class BlockShiftSolver {
    private final LindbladOperator op;
    private final double shift;
    private final BandLu[] factorOfBlock;
    private double minPivotRatio = Double.POSITIVE_INFINITY;

    BlockShiftSolver(LindbladOperator op, double shift) {
        this.op = op;
        this.shift = shift;
        this.factorOfBlock = new BandLu[op.pairs];
        Map<String, BandLu> cache = new HashMap<>();
        for (int b = 0; b < op.pairs; b++) {
            double ms = op.m[op.rowOf[b]];
            double mt = op.m[op.colOf[b]];
            String key = Double.doubleToLongBits(ms) + ":" + Double.doubleToLongBits(mt);
            BandLu f = cache.get(key);
            if (f == null) {
                f = new BandLu(op, ms, mt, shift);
                cache.put(key, f);
                minPivotRatio = Math.min(minPivotRatio, f.minPivotRatio);
            }
            factorOfBlock[b] = f;
        }
    }

    double shift() {
        return shift;
    }

    double minPivotRatio() {
        return minPivotRatio;
    }

    /** y = (L0 - s)⁻¹ x (x and y may be the same arrays). */
    void solve(double[] xr, double[] xi, double[] yr, double[] yi) {
        for (int b = 0; b < op.pairs; b++) {
            factorOfBlock[b].solve(xr, xi, yr, yi, b * op.d);
        }
    }

    /** Solve for a single block. */
    void solveBlock(int b, double[] xr, double[] xi, double[] yr, double[] yi) {
        factorOfBlock[b].solve(xr, xi, yr, yi, b * op.d);
    }

    /** Banded complex LU of L0(M_s, M_t) - shift, no pivoting. */
    static final class BandLu {
        final int d;
        final int w;
        final int width;
        final double[] ar;
        final double[] ai;
        final double[] invr;
        final double[] invi;
        final double minPivotRatio;

        BandLu(LindbladOperator op, double ms, double mt, double shift) {
            final int nb = op.nb;
            final int n = op.nmax;
            this.d = op.d;
            this.w = nb + 1;
            this.width = 2 * w + 1;
            this.ar = new double[d * width];
            this.ai = new double[d * width];
            double maxDiag = 0;
            for (int r = 0; r <= n; r++) {
                for (int c = 0; c <= n; c++) {
                    int q = r * nb + c;
                    int base = q * width + w; // column q
                    ar[base] = -0.5 * (op.decay[r] + op.decay[c]) - shift;
                    ai[base] = -op.omega * (r - c);
                    maxDiag = Math.max(maxDiag, Math.hypot(ar[base], ai[base]));
                    if (r < n) {
                        ai[base + nb] = -ms * op.sqrt[r + 1];
                    }
                    if (r > 0) {
                        ai[base - nb] = -ms * op.sqrt[r];
                    }
                    if (c < n) {
                        ai[base + 1] = mt * op.sqrt[c + 1];
                    }
                    if (c > 0) {
                        ai[base - 1] = mt * op.sqrt[c];
                    }
                    if (r < n && c < n) {
                        ar[base + nb + 1] = op.gamma * op.sqrt[r + 1] * op.sqrt[c + 1];
                    }
                    if (r > 0 && c > 0) {
                        ar[base - nb - 1] = op.kappa * op.sqrt[r] * op.sqrt[c];
                    }
                }
            }
            this.invr = new double[d];
            this.invi = new double[d];
            double minPivot = Double.POSITIVE_INFINITY;
            for (int p = 0; p < d; p++) {
                int pp = p * width + w;
                double pr = ar[pp];
                double pi = ai[pp];
                double mag2 = pr * pr + pi * pi;
                minPivot = Math.min(minPivot, Math.sqrt(mag2));
                if (mag2 == 0) {
                    throw new ArithmeticException("zero pivot in block LU (shift " + shift + ")");
                }
                double ir = pr / mag2;
                double ii = -pi / mag2;
                invr[p] = ir;
                invi[p] = ii;
                int last = Math.min(p + w, d - 1);
                for (int r = p + 1; r <= last; r++) {
                    int rp = r * width + (p - r + w);
                    double lr0 = ar[rp];
                    double li0 = ai[rp];
                    if (lr0 == 0 && li0 == 0) {
                        continue;
                    }
                    double lr = lr0 * ir - li0 * ii;
                    double li = lr0 * ii + li0 * ir;
                    ar[rp] = lr;
                    ai[rp] = li;
                    // row r, columns p+1..last: A[r][c] -= l * A[p][c]
                    int rowR = r * width - r + w;
                    int rowP = p * width - p + w;
                    for (int c = p + 1; c <= last; c++) {
                        double ur = ar[rowP + c];
                        double ui = ai[rowP + c];
                        ar[rowR + c] -= lr * ur - li * ui;
                        ai[rowR + c] -= lr * ui + li * ur;
                    }
                }
            }
            this.minPivotRatio = maxDiag == 0 ? 0 : minPivot / maxDiag;
        }

        void solve(double[] xr, double[] xi, double[] yr, double[] yi, int off) {
            // forward substitution (unit lower), written into y
            for (int r = 0; r < d; r++) {
                double sr = xr[off + r];
                double si = xi[off + r];
                int first = Math.max(0, r - w);
                int row = r * width - r + w;
                for (int c = first; c < r; c++) {
                    double lr = ar[row + c];
                    double li = ai[row + c];
                    double vr = yr[off + c];
                    double vi = yi[off + c];
                    sr -= lr * vr - li * vi;
                    si -= lr * vi + li * vr;
                }
                yr[off + r] = sr;
                yi[off + r] = si;
            }
            for (int r = d - 1; r >= 0; r--) {
                double sr = yr[off + r];
                double si = yi[off + r];
                int last = Math.min(d - 1, r + w);
                int row = r * width - r + w;
                for (int c = r + 1; c <= last; c++) {
                    double ur = ar[row + c];
                    double ui = ai[row + c];
                    double vr = yr[off + c];
                    double vi = yi[off + c];
                    sr -= ur * vr - ui * vi;
                    si -= ur * vi + ui * vr;
                }
                yr[off + r] = sr * invr[r] - si * invi[r];
                yi[off + r] = sr * invi[r] + si * invr[r];
            }
        }
    }
}
