package io.iontrap.model.lindblad;

/**
 * Adaptive Dormand-Prince 5(4) for dρ/dt = Lρ, in place on the Hermitian-reduced layout. Used for
 * the fast initial transient only (the step is bounded by the boson's fastest scale there anyway);
 * the slow phase goes to {@link ShiftInvertKrylov}. Error norm: weighted RMS over the stored
 * components, err/(atol + rtol·|y|), as in ZVODE/SciPy.
 */
final class Dopri5 {
    private static final double C2 = 1.0 / 5, C3 = 3.0 / 10, C4 = 4.0 / 5, C5 = 8.0 / 9;
    private static final double A21 = 1.0 / 5;
    private static final double A31 = 3.0 / 40, A32 = 9.0 / 40;
    private static final double A41 = 44.0 / 45, A42 = -56.0 / 15, A43 = 32.0 / 9;
    private static final double A51 = 19372.0 / 6561, A52 = -25360.0 / 2187, A53 = 64448.0 / 6561,
            A54 = -212.0 / 729;
    private static final double A61 = 9017.0 / 3168, A62 = -355.0 / 33, A63 = 46732.0 / 5247,
            A64 = 49.0 / 176, A65 = -5103.0 / 18656;
    private static final double A71 = 35.0 / 384, A73 = 500.0 / 1113, A74 = 125.0 / 192,
            A75 = -2187.0 / 6784, A76 = 11.0 / 84;
    private static final double E1 = 71.0 / 57600, E3 = -71.0 / 16695, E4 = 71.0 / 1920,
            E5 = -17253.0 / 339200, E6 = 22.0 / 525, E7 = -1.0 / 40;

    private final LindbladOperator op;
    private final int len;
    private final double[][] kr = new double[8][];
    private final double[][] ki = new double[8][];
    private final double[] yr;
    private final double[] yi;
    private boolean fsalValid;
    double h;
    long steps;
    long rejected;
    long evaluations;
    final double atol;
    final double rtol;

    Dopri5(LindbladOperator op, double atol, double rtol) {
        this.op = op;
        this.len = op.length();
        for (int i = 1; i <= 7; i++) {
            kr[i] = new double[len];
            ki[i] = new double[len];
        }
        this.yr = new double[len];
        this.yi = new double[len];
        this.atol = atol;
        this.rtol = rtol;
    }

    private void f(double[] xr, double[] xi, int k) {
        op.apply(xr, xi, kr[k], ki[k]);
        evaluations++;
    }

    private void stage(double[] xr, double[] xi, double hh, double[] a, int upto) {
        for (int q = 0; q < len; q++) {
            double sr = xr[q];
            double si = xi[q];
            for (int j = 1; j <= upto; j++) {
                double c = a[j];
                if (c != 0) {
                    sr += hh * c * kr[j][q];
                    si += hh * c * ki[j][q];
                }
            }
            yr[q] = sr;
            yi[q] = si;
        }
    }

    /** Advances (xr, xi) from t0 to t1 exactly (the last step is clipped). */
    void integrate(double[] xr, double[] xi, double t0, double t1) {
        double t = t0;
        if (!fsalValid) {
            f(xr, xi, 1);
            fsalValid = true;
        }
        if (h <= 0) {
            double n0 = op.norm(xr, xi);
            double n1 = op.norm(kr[1], ki[1]);
            h = n1 > 0 ? 0.01 * Math.max(n0, 1e-3) / n1 : 1e-3;
            h = Math.min(h, 1e-2);
        }
        double[] a2 = {0, A21};
        double[] a3 = {0, A31, A32};
        double[] a4 = {0, A41, A42, A43};
        double[] a5 = {0, A51, A52, A53, A54};
        double[] a6 = {0, A61, A62, A63, A64, A65};
        double[] a7 = {0, A71, 0, A73, A74, A75, A76};
        while (t < t1) {
            boolean last = false;
            double hh = h;
            if (t + hh >= t1 - 1e-12 * Math.max(1, Math.abs(t1))) {
                hh = t1 - t;
                last = true;
            }
            stage(xr, xi, hh, a2, 1);
            f(yr, yi, 2);
            stage(xr, xi, hh, a3, 2);
            f(yr, yi, 3);
            stage(xr, xi, hh, a4, 3);
            f(yr, yi, 4);
            stage(xr, xi, hh, a5, 4);
            f(yr, yi, 5);
            stage(xr, xi, hh, a6, 5);
            f(yr, yi, 6);
            stage(xr, xi, hh, a7, 6);
            f(yr, yi, 7);
            // error estimate
            double s = 0;
            for (int q = 0; q < len; q++) {
                double er = hh * (E1 * kr[1][q] + E3 * kr[3][q] + E4 * kr[4][q] + E5 * kr[5][q]
                        + E6 * kr[6][q] + E7 * kr[7][q]);
                double ei = hh * (E1 * ki[1][q] + E3 * ki[3][q] + E4 * ki[4][q] + E5 * ki[5][q]
                        + E6 * ki[6][q] + E7 * ki[7][q]);
                double scR = atol + rtol * Math.max(Math.abs(xr[q]), Math.abs(yr[q]));
                double scI = atol + rtol * Math.max(Math.abs(xi[q]), Math.abs(yi[q]));
                s += (er / scR) * (er / scR) + (ei / scI) * (ei / scI);
            }
            double err = Math.sqrt(s / (2.0 * len));
            if (err <= 1) {
                t = last ? t1 : t + hh;
                System.arraycopy(yr, 0, xr, 0, len);
                System.arraycopy(yi, 0, xi, 0, len);
                double[] tr = kr[1];
                kr[1] = kr[7];
                kr[7] = tr;
                double[] ti = ki[1];
                ki[1] = ki[7];
                ki[7] = ti;
                steps++;
                double fac = err == 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * Math.pow(err, -0.2)));
                if (!last || hh >= h) {
                    h = hh * fac;
                }
            } else {
                rejected++;
                double fac = Double.isFinite(err) ? Math.max(0.1, 0.9 * Math.pow(err, -0.2)) : 0.1;
                h = hh * fac;
            }
        }
    }
}
