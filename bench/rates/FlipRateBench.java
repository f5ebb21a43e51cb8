import io.iontrap.model.Parameters;
import io.iontrap.model.rates.FlipRateIntegral;
import io.iontrap.model.rates.FlipRateTable;
import io.iontrap.model.rates.FlipRates;

/**
 * Quick single-thread timings of the flip rates (not a unit test, no JMH: indicative only).
 *
 * <pre>
 * mvn -B -q -pl model compile
 * javac -cp model/target/classes -d /tmp/bench bench/rates/FlipRateBench.java
 * java -cp model/target/classes:/tmp/bench FlipRateBench
 * </pre>
 */
public class FlipRateBench {
    public static void main(String[] args) {
        double[][] couplings = {{0.01, 0, 0.1}, {0.01, 0, 3}, {0.01, 1, 0.1}, {0.1, 1, 1}, {1, 1, 3}, {10, 1, 3},
            {100, 10, 10}, {1, 10, 10}};
        for (double[] c : couplings) {
            FlipRateIntegral ref = new FlipRateIntegral(1, 0.1, c[1], c[0], c[2]);
            double emax = 30 * c[2];
            for (int w = 0; w < 2; w++) { // warm-up
                new FlipRateTable(ref, emax);
            }
            long t0 = System.nanoTime();
            FlipRateTable table = new FlipRateTable(ref, emax);
            long t1 = System.nanoTime();
            int nRef = 200;
            double sink = 0;
            for (int k = 0; k < nRef; k++) {
                sink += ref.rate(-emax + 2 * emax * k / nRef);
            }
            long t2 = System.nanoTime();
            System.out.printf("eta=%-5s kappa=%-4s g=%-4s build %7.1f ms (%d pieces)  reference %.3f ms/eval%n",
                    c[0], c[1], c[2], (t1 - t0) / 1e6, table.pieces(), (t2 - t1) / 1e6 / nRef);
            if (sink == 42) {
                System.out.println();
            }
        }
        Parameters p = Parameters.withEta(1, 0.1, 1, 0.1, 0.83, -1.41, 2.27, -0.35, 1.92, -2.64, 0.57, 1.18);
        long tb = System.nanoTime();
        FlipRates rates = new FlipRates(p);
        System.out.printf("FlipRates for N = 8 (8 tables): %.1f ms%n", (System.nanoTime() - tb) / 1e6);
        int n = p.size();
        io.iontrap.model.IsingLandscape land = io.iontrap.model.IsingLandscape.of(p);
        double[] dE = new double[1 << 16];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int k = 0; k < dE.length; k++) { // ΔE_i of random configurations, spin i = k mod N
            dE[k] = land.deltaE(k & (n - 1), r.nextLong() & 0xff);
        }
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            double s = 0;
            int calls = 0;
            for (int loop = 0; loop < 200; loop++) {
                for (int k = 0; k < dE.length; k++) {
                    s += rates.rate(k & (n - 1), dE[k]);
                    calls++;
                }
            }
            long t1 = System.nanoTime();
            System.out.printf("FlipRates.rate: %.1f ns/call, %.2e calls/s single thread (sum %.3g)%n",
                    (t1 - t0) / (double) calls, calls / ((t1 - t0) / 1e9), s);
        }
    }
}
