package io.iontrap.model.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast table against the adaptive reference at random ΔE over the parameter box
 * η ∈ [1e-2, 1e2], κ/ω ∈ [0, 10], |g|/ω ∈ [0.1, 10], |ΔE| ≤ 30|g|ω: relative error ≤ 1e-8
 * where W ≥ 1e-6 of the spin's largest rate, ≤ 1e-4 in the far tail.
 */
class FlipRateTableTest {
    private static final double[][] BOX = {
        // eta, kappa, g
        {0.01, 0, 0.1}, {0.01, 0, 1}, {0.01, 0, 10}, {0.01, 10, 0.1}, {0.01, 10, 1}, {0.01, 10, 10},
        {0.01, 0, 3}, {0.01, 1, 0.1}, {0.01, 1, 0.3}, // revival trains, many sidebands
        {0.1, 0, 0.1}, {0.1, 0, 1}, {0.1, 10, 10}, {0.1, 1, 0.3},
        {1, 0, 0.1}, {1, 0, 10}, {1, 10, 1}, {1, 10, 10}, {1, 1, -3},
        {10, 0, 0.1}, {10, 10, 10}, {10, 1, 3},
        {100, 0, 0.1}, {100, 10, 10}, {100, 1, 1},
    };

    @Test
    void tableMatchesReferenceAtRandomDeltaE() {
        SplittableRandom random = new SplittableRandom(20261125);
        for (double[] c : BOX) {
            double omega = c[0] == 1 ? 2 : 1; // one family at ω = 2 to exercise the unit scaling
            double g = c[2] * omega;
            FlipRateIntegral ref = new FlipRateIntegral(omega, 0.1 * omega, c[1] * omega, c[0], g);
            double emax = 30 * Math.abs(g) * omega;
            FlipRateTable table = new FlipRateTable(ref, emax);
            double max = 0;
            for (int k = 0; k <= 4000; k++) { // largest rate over ΔE, from the (already checked) table
                max = Math.max(max, table.rate(-emax + 2 * emax * k / 4000.0));
            }
            max = Math.max(max, Math.max(ref.rate(-g * g), ref.rate(0)));
            final double wMax = max;
            for (int k = 0; k < 40; k++) {
                double dE = k == 0 ? -g * g : k == 1 ? emax : k == 2 ? -emax : emax * (2 * random.nextDouble() - 1);
                double exact = ref.rate(dE);
                double tol = exact >= 1e-6 * wMax ? 1e-8 : 1e-4;
                assertEquals(exact, table.rate(dE), tol * exact,
                        () -> java.util.Arrays.toString(c) + " dE=" + dE + " W/Wmax=" + exact / wMax);
            }
        }
    }

    @Test
    void lookupIsExactlyReproducibleAndMonotoneInTheS21Tail() {
        FlipRateIntegral ref = new FlipRateIntegral(1, 0.1, 1, 1, 1);
        FlipRateTable table = new FlipRateTable(ref, 100);
        double prev = Double.POSITIVE_INFINITY;
        for (double dE = 20; dE <= 100; dE += 0.37) { // W ∝ (ΔE+g²)^-4 there: strictly decreasing
            double w = table.rate(dE);
            assertTrue(w < prev, "not decreasing at " + dE);
            assertEquals(w, table.rate(dE), 0.0);
            prev = w;
        }
    }
}
