package io.iontrap.model.lindblad;

/** Dense real helpers for the small projected matrices of the Krylov methods. */
final class SmallMatrix {
    private SmallMatrix() {
    }

    static double[][] scale(double[][] a, double s) {
        int n = a.length;
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                r[i][j] = a[i][j] * s;
            }
        }
        return r;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                if (aik == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    r[i][j] += aik * b[k][j];
                }
            }
        }
        return r;
    }

    /** A⁻¹ B by Gaussian elimination with partial pivoting. */
    static double[][] solve(double[][] a0, double[][] b0) {
        int n = a0.length;
        int m = b0[0].length;
        double[][] a = new double[n][];
        double[][] b = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
            b[i] = b0[i].clone();
        }
        for (int p = 0; p < n; p++) {
            int piv = p;
            for (int i = p + 1; i < n; i++) {
                if (Math.abs(a[i][p]) > Math.abs(a[piv][p])) {
                    piv = i;
                }
            }
            double[] t = a[p];
            a[p] = a[piv];
            a[piv] = t;
            t = b[p];
            b[p] = b[piv];
            b[piv] = t;
            double d = a[p][p];
            if (d == 0) {
                throw new ArithmeticException("singular projected matrix");
            }
            for (int i = p + 1; i < n; i++) {
                double f = a[i][p] / d;
                if (f == 0) {
                    continue;
                }
                for (int j = p; j < n; j++) {
                    a[i][j] -= f * a[p][j];
                }
                for (int j = 0; j < m; j++) {
                    b[i][j] -= f * b[p][j];
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            for (int j = 0; j < m; j++) {
                double s = b[i][j];
                for (int k = i + 1; k < n; k++) {
                    s -= a[i][k] * b[k][j];
                }
                b[i][j] = s / a[i][i];
            }
        }
        return b;
    }

    static double[][] identity(int n) {
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            r[i][i] = 1;
        }
        return r;
    }

    static double[][] inverse(double[][] a) {
        return solve(a, identity(a.length));
    }

    static double norm1(double[][] a) {
        int n = a.length;
        double best = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(a[i][j]);
            }
            best = Math.max(best, s);
        }
        return best;
    }

    private static final double[] B = {64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
        1187353796428800.0, 129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0,
        1323241920.0, 40840800.0, 960960.0, 16380.0, 182.0, 1.0};
    private static final double THETA13 = 5.371920351148152;

    /** exp(A) by scaling and squaring with the [13/13] Padé approximant (Higham 2005). */
    static double[][] expm(double[][] a0) {
        int n = a0.length;
        double nrm = norm1(a0);
        int s = 0;
        if (nrm > THETA13) {
            s = (int) Math.ceil(Math.log(nrm / THETA13) / Math.log(2));
        }
        double[][] a = scale(a0, Math.pow(2, -s));
        double[][] a2 = multiply(a, a);
        double[][] a4 = multiply(a2, a2);
        double[][] a6 = multiply(a4, a2);
        double[][] u1 = new double[n][n];
        double[][] u2 = new double[n][n];
        double[][] v1 = new double[n][n];
        double[][] v2 = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                u1[i][j] = B[13] * a6[i][j] + B[11] * a4[i][j] + B[9] * a2[i][j];
                v1[i][j] = B[12] * a6[i][j] + B[10] * a4[i][j] + B[8] * a2[i][j];
                double id = i == j ? 1 : 0;
                u2[i][j] = B[7] * a6[i][j] + B[5] * a4[i][j] + B[3] * a2[i][j] + B[1] * id;
                v2[i][j] = B[6] * a6[i][j] + B[4] * a4[i][j] + B[2] * a2[i][j] + B[0] * id;
            }
        }
        double[][] u = multiply(a6, u1);
        double[][] v = multiply(a6, v1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                u[i][j] += u2[i][j];
                v[i][j] += v2[i][j];
            }
        }
        u = multiply(a, u);
        double[][] p = new double[n][n];
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i][j] = v[i][j] + u[i][j];
                q[i][j] = v[i][j] - u[i][j];
            }
        }
        double[][] r = solve(q, p);
        for (int k = 0; k < s; k++) {
            r = multiply(r, r);
        }
        return r;
    }
}
