package io.iontrap.model.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

class CategoricalTest {
    @Test
    void frequenciesFollowTheWeightsAndZeroWeightsAreNeverDrawn() {
        // unnormalised weights with zeros at both ends and inside, and a rounding-size negative one
        double[] w = {0, 2, 0, 5, -1e-17, 1, 0, 2, 0};
        int n = 200_000;
        int[] c = new Categorical(w).counts(n, new SplittableRandom(11));
        int total = 0;
        for (int k = 0; k < w.length; k++) {
            if (!(w[k] > 0)) {
                assertEquals(0, c[k], "category " + k + " has no weight");
            }
            total += c[k];
        }
        assertEquals(n, total);
        // Pearson chi-square of the positive categories against the closed-form probabilities w/10
        int[] pos = {1, 3, 5, 7};
        double[] expected = new double[pos.length];
        long[] observed = new long[pos.length];
        for (int j = 0; j < pos.length; j++) {
            expected[j] = n * w[pos[j]] / 10.0;
            observed[j] = c[pos[j]];
        }
        double p = new ChiSquareTest().chiSquareTest(expected, observed);
        assertTrue(p > 1e-3, "chi-square p = " + p);
        // and a wrong law is rejected by the same test
        double[] wrong = {n * 0.25, n * 0.45, n * 0.1, n * 0.2};
        assertTrue(new ChiSquareTest().chiSquareTest(wrong, observed) < 1e-6);
    }

    @Test
    void refusesADistributionWithoutMass() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Categorical(new double[] {0, -0.0, 0}));
        assertTrue(e.getMessage().contains("no positive probability"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Categorical(new double[] {0.5, Double.NaN}));
        assertTrue(e.getMessage().contains("category 1"), e.getMessage());
    }
}
