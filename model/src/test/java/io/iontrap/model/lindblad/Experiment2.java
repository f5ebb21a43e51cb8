package io.iontrap.model.lindblad;

import io.iontrap.model.Parameters;
import java.util.Arrays;

public class Experiment2 {
    public static void main(String[] a) throws Exception {
        double eta = Double.parseDouble(a[0]);
        int nmax = Integer.parseInt(a[1]);
        double shift = Double.parseDouble(a[2]);
        double tol = Double.parseDouble(a[3]);
        double tEnd = Double.parseDouble(a[4]);
        int nout = Integer.parseInt(a[5]);
        int reps = a.length > 6 ? Integer.parseInt(a[6]) : 1;
        Parameters p = Parameters.withEta(1, 0.1, 1, eta, 1.3, -2.2);
        for (int rep = 0; rep < reps; rep++) {
        LindbladOperator op = new LindbladOperator(p, nmax);
        double[] xr = new double[op.length()];
        double[] xi = new double[op.length()];
        xr[0] = 1;
        long t1 = System.nanoTime();
        ShiftedSolve ss = new ShiftedSolve(op, shift, 60);
        long t2 = System.nanoTime();
        ShiftInvertKrylov kr = new ShiftInvertKrylov(op, ss);
        double[] dts = new double[nout - 1];
        for (int k = 1; k < nout; k++) dts[k - 1] = tEnd * k / (nout - 1);
        boolean ok = kr.build(xr, xi, dts, tol, 4, 150, 1e-12);
        long t3 = System.nanoTime();
        double[] yr = new double[op.length()], yi = new double[op.length()];
        System.out.printf("precond %.3f s, krylov ok=%b dim %d maxerr %.2g gmres it %d solves %d inner %.2g  %.3f s%n", (t2 - t1) * 1e-9, ok, kr.dimension, Arrays.stream(kr.errors).max().getAsDouble(), ss.iterations, ss.solves, kr.innerResidual, (t3 - t2) * 1e-9);
        if (rep == reps - 1) for (int k = 0; k < dts.length; k++) {
            kr.state(k, yr, yi);
            System.out.println(dts[k] + " " + Arrays.toString(op.populations(yr)) + " " + op.bosonNumber(yr) + " top " + op.fockPopulations(yr)[nmax]);
        }
        }
    }
}
