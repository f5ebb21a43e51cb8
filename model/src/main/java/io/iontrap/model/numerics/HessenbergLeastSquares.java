package io.iontrap.model.numerics;

/**
 * The small least-squares problem of a GMRES cycle: min_c ‖β·e₁ - H c‖ over the (k+1)×k upper
 * Hessenberg matrix H of the Arnoldi process, kept in QR form by Givens rotations as its columns
 * arrive (Saad, Iterative Methods for Sparse Linear Systems, §6.5.3), so that the residual norm is
 * known after every step without forming the iterate.
 */
public final class HessenbergLeastSquares {
    private final double[][] r;
    private final double[] cs;
    private final double[] sn;
    private final double[] g;
    private int columns;

    /** @param maxColumns the cycle length m (columns of H) */
    public HessenbergLeastSquares(int maxColumns) {
        this.r = new double[maxColumns][];
        this.cs = new double[maxColumns];
        this.sn = new double[maxColumns];
        this.g = new double[maxColumns + 1];
    }

    /** Starts a cycle whose initial residual has norm {@code beta}. */
    public void start(double beta) {
        java.util.Arrays.fill(g, 0);
        g[0] = beta;
        columns = 0;
    }

    /**
     * Adds Arnoldi column k = {@link #columns()}: h[0..k] the projections, h[k+1] the norm of the new
     * basis vector. The array is copied.
     *
     * @return the residual norm of the least-squares problem over the columns so far
     */
    public double add(double[] h) {
        int k = columns;
        double[] col = new double[k + 2];
        System.arraycopy(h, 0, col, 0, k + 2);
        for (int j = 0; j < k; j++) {
            double a = col[j];
            double b = col[j + 1];
            col[j] = cs[j] * a + sn[j] * b;
            col[j + 1] = -sn[j] * a + cs[j] * b;
        }
        double rr = Math.hypot(col[k], col[k + 1]);
        cs[k] = col[k] / rr;
        sn[k] = col[k + 1] / rr;
        col[k] = rr;
        g[k + 1] = -sn[k] * g[k];
        g[k] = cs[k] * g[k];
        r[k] = col;
        columns = k + 1;
        return Math.abs(g[k + 1]);
    }

    /** Columns added in this cycle. */
    public int columns() {
        return columns;
    }

    /** The coefficients c (one per column) that minimise ‖β·e₁ - H c‖. */
    public double[] solve() {
        double[] c = new double[columns];
        for (int i = columns - 1; i >= 0; i--) {
            double t = g[i];
            for (int j = i + 1; j < columns; j++) {
                t -= r[j][i] * c[j];
            }
            c[i] = t / r[i][i];
        }
        return c;
    }
}
