package io.iontrap.model.lindblad;

import io.iontrap.model.Parameters;
import java.util.Arrays;

public class Experiment {
    public static void main(String[] a) {
        double eta = Double.parseDouble(a[0]);
        int nmax = Integer.parseInt(a[1]);
        double tSwitch = Double.parseDouble(a[2]);
        double shift = Double.parseDouble(a[3]);
        double tol = Double.parseDouble(a[4]);
        double tEnd = Double.parseDouble(a[5]);
        Parameters p = Parameters.withEta(1, 0.1, 1, eta, 1.3, -2.2);
        LindbladOperator op = new LindbladOperator(p, nmax);
        double[] xr = new double[op.length()];
        double[] xi = new double[op.length()];
        xr[0] = 1;
        long t0 = System.nanoTime();
        Dopri5 rk = new Dopri5(op, tol, tol * 100);
        if (tSwitch > 0) rk.integrate(xr, xi, 0, tSwitch);
        long t1 = System.nanoTime();
        System.out.printf("rk to %g: steps %d rej %d evals %d  %.3f s  p=%s%n", tSwitch, rk.steps, rk.rejected, rk.evaluations, (t1 - t0) * 1e-9, Arrays.toString(op.populations(xr)));
        ShiftedSolve ss = new ShiftedSolve(op, shift, 60);
        long t2 = System.nanoTime();
        ShiftInvertKrylov kr = new ShiftInvertKrylov(op, ss);
        double[] dts = {tEnd - tSwitch};
        boolean ok = kr.build(xr, xi, dts, tol, 4, 80, 1e-12);
        long t3 = System.nanoTime();
        double[] yr = new double[op.length()], yi = new double[op.length()];
        kr.state(0, yr, yi);
        System.out.printf("precond %.3f s, krylov ok=%b dim %d err %s gmres it %d solves %d inner %.2g  %.3f s%n", (t2 - t1) * 1e-9, ok, kr.dimension, Arrays.toString(kr.errors), ss.iterations, ss.solves, kr.innerResidual, (t3 - t2) * 1e-9);
        System.out.println("p(tEnd) = " + Arrays.toString(op.populations(yr)) + " n=" + op.bosonNumber(yr) + " minpiv " + ss.preconditioner().minPivotRatio());
    }
}
