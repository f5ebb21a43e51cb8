package io.iontrap.model.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FourierGridTest {

    @Test
    void fftMatchesNaiveSum() {
        SplittableRandom r = new SplittableRandom(7);
        int n = 256;
        double[] re = new double[n];
        double[] im = new double[n];
        for (int j = 0; j < n; j++) {
            re[j] = r.nextDouble() - 0.5;
            im[j] = r.nextDouble() - 0.5;
        }
        double[] fr = re.clone();
        double[] fi = im.clone();
        Fft.inverseUnscaled(fr, fi);
        for (int k = 0; k < n; k += 17) {
            double sr = 0;
            double si = 0;
            for (int j = 0; j < n; j++) { // Σ x_j e^{+2πi jk/n}
                double a = 2 * Math.PI * ((long) j * k % n) / n;
                sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
            }
            assertEquals(sr, fr[k], 1e-13);
            assertEquals(si, fi[k], 1e-13);
        }
    }

    @Test
    void gridAgreesWithAdaptiveQuadratureToRoundingLevel() {
        // (eta, kappa, g): revival train with exponential-series tail; truncated revival train;
        // Gaussian peak with large x range; large eta.
        double[][] couplings = {{0.01, 1, 0.1}, {0.01, 0, 3}, {0.1, 10, 10}, {10, 0, 10}, {1, 1, 1}};
        SplittableRandom r = new SplittableRandom(11);
        for (double[] c : couplings) {
            FlipRateIntegral ref = new FlipRateIntegral(1, 0.1, c[1], c[0], c[2]);
            RateKernel k = ref.kernel();
            double xMax = k.x(30 * c[2]);
            FourierGrid grid = FourierGrid.build(k, ref.endpoint(), ref.scale(), xMax);
            assertNotNull(grid);
            for (int i = 0; i < 15; i++) {
                double x = xMax * (2 * r.nextDouble() - 1);
                double exact = ref.quadratureForTest(x);
                assertEquals(exact, grid.realPart(x), 1e-14 * ref.scale(), java.util.Arrays.toString(c) + " x=" + x);
            }
        }
    }
}
