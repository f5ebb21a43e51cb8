package io.iontrap.model.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FlipRatesTest {
    private static final Parameters P = Parameters.withEta(1, 0.1, 1, 1, 1.3, -2.2, 0.7, 1.9, -1.3);

    @Test
    void spinsWithEqualCouplingSquaredShareOneTable() {
        FlipRates rates = new FlipRates(P);
        assertSame(rates.table(0), rates.table(4));
        assertNotSame(rates.table(0), rates.table(1));
        assertNotSame(rates.table(1), rates.table(3));
    }

    @Test
    void everyDeltaEOfTheLandscapeIsTabulatedAndAccurate() {
        FlipRates rates = new FlipRates(P);
        IsingLandscape land = IsingLandscape.of(P);
        for (int i = 0; i < P.size(); i++) {
            assertTrue(rates.table(i).maxAbsDeltaE() >= land.maxAbsDeltaE(i));
            double peak = rates.exact(i, -P.g(i) * P.g(i));
            for (long s = 0; s < (1L << P.size()); s++) {
                double dE = land.deltaE(i, s);
                double exact = rates.exact(i, dE);
                double tol = exact >= 1e-6 * peak ? 1e-8 : 1e-4;
                assertEquals(exact, rates.rate(i, dE), tol * exact, "spin " + i + " config " + s);
                assertEquals(exact, FlipRates.exact(P, P.g(i), dE), 1e-12 * exact);
            }
        }
    }

    @Test
    void ratioIsForwardOverBackwardRate() {
        FlipRates rates = new FlipRates(P);
        for (double dE : new double[] {0.3, 1.7, -2.5}) {
            double r = rates.exact(1, dE) / rates.exact(1, -dE);
            assertEquals(r, rates.ratio(1, dE), 3e-8 * r);
        }
        assertEquals(1, rates.ratio(2, 0), 1e-15);
        double far = 3 * rates.table(1).maxAbsDeltaE(); // outside the table: reference
        double r = rates.exact(1, far) / rates.exact(1, -far);
        assertEquals(r, rates.ratio(1, far), 1e-8 * r);
    }

    @Test
    void ratioNeedsNoDrive() {
        // R = W(ΔE)/W(-ΔE) does not depend on Ω; with Ω = 0 every rate is 0 but R stays defined.
        Parameters undriven = Parameters.withEta(1, 0, 1, 1, 1.3, -2.2, 0.7);
        Parameters driven = Parameters.withEta(1, 0.1, 1, 1, 1.3, -2.2, 0.7);
        FlipRates a = new FlipRates(undriven);
        FlipRates b = new FlipRates(driven);
        assertEquals(0, a.rate(0, 1.0), 0.0);
        assertEquals(b.ratio(0, 1.0), a.ratio(0, 1.0), 1e-12 * b.ratio(0, 1.0));
    }

    @Test
    void parallelLookupsAgreeWithSequential() {
        FlipRates rates = new FlipRates(P);
        double[] seq = IntStream.range(0, 20000).mapToDouble(k -> rates.rate(k % 5, (k % 997) * 0.01 - 5)).toArray();
        double[] par = IntStream.range(0, 20000).parallel().mapToDouble(k -> rates.rate(k % 5, (k % 997) * 0.01 - 5)).toArray();
        for (int k = 0; k < seq.length; k++) {
            assertEquals(seq[k], par[k], 0.0);
        }
    }

    @Test
    void outsideTheTableTheReferenceIsUsed() {
        FlipRates rates = new FlipRates(P);
        double far = 10 * rates.table(0).maxAbsDeltaE();
        assertEquals(rates.exact(0, far), rates.rate(0, far), 0.0);
    }

    @Test
    void zeroCouplingIsRejectedWithItsIndex() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> new FlipRates(Parameters.withEta(1, 0.1, 1, 1, 1.0, 0.0)));
        assertEquals("g[1]", e.field());
    }
}
