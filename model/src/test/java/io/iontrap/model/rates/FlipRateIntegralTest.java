package io.iontrap.model.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.Parameters;
import org.junit.jupiter.api.Test;

class FlipRateIntegralTest {

    /** physics.md §7: Eq. (3) at ω = 1, Ω = 0.1, κ = 1, checked independently to ~1e-12. */
    static final double[][] CHECKED = {
        {10, 0.5, -2, 0.03304238095428962},
        {10, 1.0, 0, 0.025071813689220093},
        {10, 3.0, 2, 0.004617857163490386},
        {1, 0.5, 2, 2.4197431920186956e-05},
        {1, 1.0, -2, 0.004495225864855252},
        {1, 3.0, 0, 4.885693064421592e-05},
        {0.1, 0.5, 0, 0.005392375790058706},
        {0.1, 1.0, 0, 0.002495310792700887},
        {0.1, 3.0, 2, 0.000254720245653927},
    };

    @Test
    void reproducesTheCheckedRatesOfPhysicsSheet() {
        for (double[] c : CHECKED) {
            Parameters p = Parameters.withEta(1, 0.1, 1, c[0], c[1]);
            assertEquals(c[3], new FlipRateIntegral(p, c[1]).rate(c[2]), 1e-9 * c[3], () -> "eta=" + c[0] + " g=" + c[1]);
            assertEquals(c[3], FlipRates.exact(p, c[1], c[2]), 1e-9 * c[3]);
            assertEquals(c[3], FlipRates.exact(p, -c[1], c[2]), 1e-9 * c[3], "W depends on g only through g^2");
            FlipRates fast = new FlipRates(Parameters.withEta(1, 0.1, 1, c[0], c[1], 4.0)); // |ΔE| ≤ 4|g| tabulated
            assertTrue(fast.table(0).maxAbsDeltaE() >= Math.abs(c[2]));
            assertEquals(c[3], fast.rate(0, c[2]), 1e-9 * c[3], () -> "table, eta=" + c[0] + " g=" + c[1]);
        }
    }

    @Test
    void scalesDimensionallyWithOmega() {
        // W = ω F(g/ω, κ/ω, Ω/ω, ΔE/ω², η): doubling every frequency doubles W at 4ΔE.
        for (double[] c : CHECKED) {
            double w1 = new FlipRateIntegral(1, 0.1, 1, c[0], c[1]).rate(c[2]);
            double w2 = new FlipRateIntegral(2, 0.2, 2, c[0], 2 * c[1]).rate(4 * c[2]);
            assertEquals(2 * w1, w2, 1e-13 * w2);
        }
    }

    @Test
    void endpointSeriesAgreesWithQuadratureWhereItIsUsed() {
        // The reference switches to the S21 endpoint series at large |ΔE + g²|; just past the switch
        // both methods are accurate, so they must agree.
        double[][] couplings = {{0.01, 0, 1}, {0.01, 10, 3}, {0.1, 1, 0.5}, {1, 1, 1}, {1, 10, 10}, {10, 0, 3},
            {0.01, 0, 3}, {0.01, 0, 10}, {0.01, 1, 0.3}, {0.01, 0, 0.3}, {0.1, 0, 1}, {100, 0, 10}, {0.03, 0.3, 2}};
        int compared = 0;
        for (double[] c : couplings) {
            FlipRateIntegral f = new FlipRateIntegral(1, 0.1, c[1], c[0], c[2]);
            RateKernel k = f.kernel();
            for (double sign : new double[] {1, -1}) {
                // walk out to the first x where the series is accepted
                double x = sign * (k.cg2 + 1);
                while (Double.isNaN(f.asymptotic(x)) && Math.abs(x) < 1e6) {
                    x *= 1.1;
                }
                for (int step = 0; step < 4; step++, x *= 1.7) { // the first accepted x and beyond
                    double series = f.asymptotic(x);
                    if (Double.isNaN(series)) {
                        continue;
                    }
                    double quad = f.quadratureForTest(x);
                    // quadrature there is limited by cancellation, ~1e-16 of ∫|h| (the scale)
                    final double xx = x;
                    assertEquals(series, quad, 1e-8 * series + 3e-15 * f.scale(),
                            () -> java.util.Arrays.toString(c) + " x=" + xx);
                }
                compared++;
            }
        }
        assertTrue(compared >= 8, "series never reached: " + compared);
    }

    @Test
    void revivalsMatterAtSmallEtaAndAreIncluded() {
        // η = 0.01, κ = 0, g = 1: the revival peaks at τ = 2πk are damped only slowly; the rate at
        // ΔE = 0 must differ clearly from the first peak alone. Independent value: mpmath (bench/reference).
        FlipRateIntegral f = new FlipRateIntegral(1, 0.1, 0, 0.01, 1);
        assertEquals(0.01833871041610452623, f.rate(0), 1e-10 * 0.0183387);
    }

    @Test
    void ratesArePositiveAndSpanManyDecades() {
        FlipRateIntegral f = new FlipRateIntegral(1, 0.1, 1, 0.1, 3);
        double peak = f.rate(-9);
        double tail = f.rate(300);
        assertTrue(tail > 0 && tail < 1e-8 * peak, "tail " + tail + " peak " + peak);
        assertFalse(Double.isNaN(f.rate(1e8)));
        assertTrue(f.rate(1e8) > 0);
    }

    @Test
    void rejectsUnphysicalInput() {
        assertThrows(InvalidParameterException.class, () -> new FlipRateIntegral(1, 0.1, 1, 0.1, 0));
        assertThrows(InvalidParameterException.class, () -> new FlipRateIntegral(1, 0.1, 1, -1, 1));
        assertThrows(InvalidParameterException.class, () -> new FlipRateIntegral(0, 0.1, 1, 1, 1));
        assertThrows(InvalidParameterException.class, () -> new FlipRateIntegral(1, 0.1, -1, 1, 1));
        FlipRateIntegral f = new FlipRateIntegral(1, 0.1, 1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> f.rate(Double.NaN));
    }
}
