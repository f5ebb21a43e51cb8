package io.iontrap.model.lindblad;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.Parameters;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The block Liouvillian against a dense, independently written -i[H,ρ] + D[ρ]. */
class LindbladOperatorTest {
    static final Parameters P3 = Parameters.of(1.0, 0.3, 0.5, 3.0, 0.9, -0.6, 1.4);

    /** Dense complex matrices as [re][im] arrays, basis index (σ, m) → σ(nmax+1) + m. */
    static double[][][] denseLiouvillian(Parameters p, int nmax, double[][] rr, double[][] ri) {
        int nb = nmax + 1;
        int n = p.size();
        int dim = (1 << n) * nb;
        double[][] hr = new double[dim][dim];
        double[][] ar = new double[dim][dim];
        for (int s = 0; s < (1 << n); s++) {
            double mz = 0;
            for (int i = 0; i < n; i++) {
                mz += p.g(i) * (((s >> i) & 1) == 1 ? 1 : -1);
            }
            for (int m = 0; m < nb; m++) {
                int a = s * nb + m;
                hr[a][a] += p.omega() * m;
                if (m + 1 < nb) {
                    hr[a][a + 1] += mz * Math.sqrt(m + 1);
                    hr[a + 1][a] += mz * Math.sqrt(m + 1);
                    ar[a][a + 1] = Math.sqrt(m + 1); // a|m+1> = sqrt(m+1)|m>
                }
                for (int i = 0; i < n; i++) {
                    hr[a][(s ^ (1 << i)) * nb + m] += p.drive();
                }
            }
        }
        double[][] adag = transpose(ar);
        // L ρ = -i(Hρ - ρH) + γ(aρa† - ½{a†a,ρ}) + κ(a†ρa - ½{aa†,ρ})
        double[][] hrR = mul(hr, rr);
        double[][] hrI = mul(hr, ri);
        double[][] rHR = mul(rr, hr);
        double[][] rHI = mul(ri, hr);
        double[][] outR = new double[dim][dim];
        double[][] outI = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                outR[i][j] = hrI[i][j] - rHI[i][j];
                outI[i][j] = -(hrR[i][j] - rHR[i][j]);
            }
        }
        addDissipator(p.gamma(), ar, adag, rr, ri, outR, outI);
        addDissipator(p.kappa(), adag, ar, rr, ri, outR, outI);
        return new double[][][] {outR, outI};
    }

    static void addDissipator(double rate, double[][] l, double[][] ldag, double[][] rr, double[][] ri,
            double[][] outR, double[][] outI) {
        double[][] ll = mul(ldag, l);
        double[][] jR = mul(mul(l, rr), ldag);
        double[][] jI = mul(mul(l, ri), ldag);
        double[][] aR = mul(ll, rr);
        double[][] aI = mul(ll, ri);
        double[][] bR = mul(rr, ll);
        double[][] bI = mul(ri, ll);
        for (int i = 0; i < rr.length; i++) {
            for (int j = 0; j < rr.length; j++) {
                outR[i][j] += rate * (jR[i][j] - 0.5 * (aR[i][j] + bR[i][j]));
                outI[i][j] += rate * (jI[i][j] - 0.5 * (aI[i][j] + bI[i][j]));
            }
        }
    }

    static double[][] mul(double[][] a, double[][] b) {
        return SmallMatrix.multiply(a, b);
    }

    static double[][] transpose(double[][] a) {
        double[][] t = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a.length; j++) {
                t[j][i] = a[i][j];
            }
        }
        return t;
    }

    static void toBlocks(LindbladOperator op, double[][] rr, double[][] ri, double[] xr, double[] xi) {
        for (int b = 0; b < op.pairs; b++) {
            int s = op.rowOf[b];
            int t = op.colOf[b];
            for (int m = 0; m < op.nb; m++) {
                for (int k = 0; k < op.nb; k++) {
                    xr[b * op.d + m * op.nb + k] = rr[s * op.nb + m][t * op.nb + k];
                    xi[b * op.d + m * op.nb + k] = ri[s * op.nb + m][t * op.nb + k];
                }
            }
        }
    }

    static double[][][] randomHermitian(int dim, long seed) {
        Random rnd = new Random(seed);
        double[][] rr = new double[dim][dim];
        double[][] ri = new double[dim][dim];
        for (int i = 0; i < dim; i++) {
            rr[i][i] = rnd.nextGaussian();
            for (int j = i + 1; j < dim; j++) {
                rr[i][j] = rnd.nextGaussian();
                ri[i][j] = rnd.nextGaussian();
                rr[j][i] = rr[i][j];
                ri[j][i] = -ri[i][j];
            }
        }
        return new double[][][] {rr, ri};
    }

    @Test
    void blockLiouvillianEqualsTheDenseMasterEquation() {
        int nmax = 4;
        LindbladOperator op = new LindbladOperator(P3, nmax);
        int dim = 8 * (nmax + 1);
        double[][][] rho = randomHermitian(dim, 7);
        double[][][] expected = denseLiouvillian(P3, nmax, rho[0], rho[1]);
        double[] xr = new double[op.length()];
        double[] xi = new double[op.length()];
        toBlocks(op, rho[0], rho[1], xr, xi);
        double[] yr = new double[op.length()];
        double[] yi = new double[op.length()];
        op.apply(xr, xi, yr, yi);
        double[] er = new double[op.length()];
        double[] ei = new double[op.length()];
        toBlocks(op, expected[0], expected[1], er, ei);
        double worst = 0;
        for (int q = 0; q < er.length; q++) {
            worst = Math.max(worst, Math.abs(er[q] - yr[q]) + Math.abs(ei[q] - yi[q]));
        }
        assertEquals(0, worst, 1e-11, "block L vs dense L");
        assertEquals(0, op.trace(yr), 1e-11, "L is traceless");
    }

    @Test
    void weightedInnerProductIsTheHilbertSchmidtOne() {
        int nmax = 3;
        LindbladOperator op = new LindbladOperator(P3, nmax);
        int dim = 8 * (nmax + 1);
        double[][][] a = randomHermitian(dim, 1);
        double[][][] b = randomHermitian(dim, 2);
        double expected = 0;
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                expected += a[0][i][j] * b[0][i][j] + a[1][i][j] * b[1][i][j];
            }
        }
        double[] ar = new double[op.length()];
        double[] ai = new double[op.length()];
        double[] br = new double[op.length()];
        double[] bi = new double[op.length()];
        toBlocks(op, a[0], a[1], ar, ai);
        toBlocks(op, b[0], b[1], br, bi);
        assertEquals(expected, op.dot(ar, ai, br, bi), 1e-10 * Math.abs(expected) + 1e-10);
    }

    @Test
    void bandedBlockLuInvertsTheShiftedBlockOperator() {
        int nmax = 9;
        LindbladOperator op = new LindbladOperator(P3, nmax);
        BlockShiftSolver solver = new BlockShiftSolver(op, 0.37);
        Random rnd = new Random(3);
        double[] xr = new double[op.length()];
        double[] xi = new double[op.length()];
        for (int q = 0; q < xr.length; q++) {
            xr[q] = rnd.nextGaussian();
            xi[q] = rnd.nextGaussian();
        }
        double[] yr = new double[op.length()];
        double[] yi = new double[op.length()];
        for (int b = 0; b < op.pairs; b++) {
            op.applyL0Block(b, xr, xi, yr, yi);
        }
        for (int q = 0; q < yr.length; q++) {
            yr[q] -= 0.37 * xr[q];
            yi[q] -= 0.37 * xi[q];
        }
        solver.solve(yr, yi, yr, yi);
        double worst = 0;
        for (int q = 0; q < yr.length; q++) {
            worst = Math.max(worst, Math.abs(yr[q] - xr[q]) + Math.abs(yi[q] - xi[q]));
        }
        assertTrue(worst < 1e-9, "LU solve error " + worst);
    }

    @Test
    void shiftedGmresSolvesTheCoupledSystem() {
        int nmax = 6;
        LindbladOperator op = new LindbladOperator(P3, nmax);
        ShiftedSolve solve = new ShiftedSolve(op, 0.1, 40);
        double[] br = new double[op.length()];
        double[] bi = new double[op.length()];
        LindbladSolver.initialState(op, 0, BosonInit.VACUUM, br, bi);
        double[] xr = new double[op.length()];
        double[] xi = new double[op.length()];
        double rel = solve.solve(br, bi, xr, xi, 1e-12, 400);
        assertTrue(rel <= 1e-12, "relative residual " + rel);
        double[] yr = new double[op.length()];
        double[] yi = new double[op.length()];
        solve.applyShifted(xr, xi, yr, yi);
        double worst = 0;
        for (int q = 0; q < yr.length; q++) {
            worst = Math.max(worst, Math.abs(yr[q] - br[q]) + Math.abs(yi[q] - bi[q]));
        }
        assertTrue(worst < 1e-10, "residual " + worst);
    }

    @Test
    void smallMatrixExponentialMatchesARotationAndADecay() {
        double[][] a = {{-0.5, 3.0}, {-3.0, -0.5}};
        double[][] e = SmallMatrix.expm(SmallMatrix.scale(a, 2.0));
        double f = Math.exp(-1.0);
        assertEquals(f * Math.cos(6.0), e[0][0], 1e-13);
        assertEquals(f * Math.sin(6.0), e[0][1], 1e-13);
        assertEquals(-f * Math.sin(6.0), e[1][0], 1e-13);
    }
}
