package io.iontrap.model.lindblad;

import io.iontrap.model.Parameters;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Benchmark driver for bench/lindblad_bench.py: runs one problem and prints one JSON line.
 *
 * <p>Usage: LindbladBench evolve|steady g1,g2,.. omega Omega kappa gamma nmax tEnd nOut atol rtol [reps]
 * (times = linspace(0, tEnd, nOut)). The first repetitions warm the JIT; the last one is reported,
 * together with the minimum wall time over repetitions, CPU time and the peak heap.
 */
public final class LindbladBench {
    public static void main(String[] a) {
        Locale.setDefault(Locale.ROOT);
        String mode = a[0];
        double[] g = Arrays.stream(a[1].split(",")).mapToDouble(Double::parseDouble).toArray();
        double omega = Double.parseDouble(a[2]);
        double drive = Double.parseDouble(a[3]);
        double kappa = Double.parseDouble(a[4]);
        double gamma = Double.parseDouble(a[5]);
        int nmax = Integer.parseInt(a[6]);
        double tEnd = Double.parseDouble(a[7]);
        int nOut = Integer.parseInt(a[8]);
        double atol = Double.parseDouble(a[9]);
        double rtol = Double.parseDouble(a[10]);
        int reps = a.length > 11 ? Integer.parseInt(a[11]) : 1;
        Parameters p = Parameters.of(omega, drive, kappa, gamma, g);
        double[] times = new double[nOut];
        for (int k = 0; k < nOut; k++) {
            times[k] = nOut == 1 ? tEnd : tEnd * k / (nOut - 1);
        }
        var threads = ManagementFactory.getThreadMXBean();
        double best = Double.POSITIVE_INFINITY;
        double cpu = 0;
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < reps; r++) {
            long c0 = threads.getCurrentThreadCpuTime();
            long w0 = System.nanoTime();
            out.setLength(0);
            if (mode.equals("evolve")) {
                LindbladEvolution e = LindbladSolver.evolve(p, 0, BosonInit.VACUUM, times, nmax, atol, rtol);
                out.append("\"times\": ").append(Arrays.toString(e.times()))
                        .append(", \"p\": ").append(Arrays.deepToString(e.populations()))
                        .append(", \"n\": ").append(Arrays.toString(e.bosonNumber()))
                        .append(", \"truncation\": ").append(Arrays.toString(e.truncation()))
                        .append(", \"krylovDim\": ").append(e.statistics().krylovDimension())
                        .append(", \"gmres\": ").append(e.statistics().gmresIterations())
                        .append(", \"rkOutputs\": ").append(e.statistics().outputsFromRk())
                        .append(", \"warnings\": ").append(e.warnings().size());
            } else {
                LindbladSteadyState s = LindbladSolver.steadyState(p, nmax, atol);
                out.append("\"p\": ").append(Arrays.toString(s.populations()))
                        .append(", \"n\": ").append(s.bosonNumber())
                        .append(", \"residual\": ").append(s.residual())
                        .append(", \"iterations\": ").append(s.iterations())
                        .append(", \"gmres\": ").append(s.gmresIterations());
            }
            double wall = (System.nanoTime() - w0) * 1e-9;
            cpu = (threads.getCurrentThreadCpuTime() - c0) * 1e-9;
            best = Math.min(best, wall);
        }
        var heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(m -> m.getType() == java.lang.management.MemoryType.HEAP)
                .mapToLong(m -> m.getPeakUsage().getUsed()).sum();
        System.out.println("{" + out + ", \"seconds\": " + best + ", \"cpuSeconds\": " + cpu
                + ", \"peakHeapMB\": " + heap / 1048576.0 + "}");
    }
}
