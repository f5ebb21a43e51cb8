package io.iontrap.model.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iontrap.model.Parameters;
import org.junit.jupiter.api.Test;

class RateAsymptoticsTest {

    @Test
    void betaEffTendsToFourEta() {
        for (double eta : new double[] {1e-3, 1e-2}) {
            assertEquals(4 * eta, RateAsymptotics.betaEff(1, 1, eta), 4 * eta * 2 * eta);
        }
    }

    @Test
    void smallJumpRatioIsBoltzmannWithBetaEff() {
        Parameters p = Parameters.withEta(1, 0.1, 1, 0.05, 2.0);
        double beta = RateAsymptotics.betaEff(p);
        for (double dE : new double[] {0.5, 1, 3}) {
            double ratio = RateAsymptotics.smallJump(p, 2.0, dE) / RateAsymptotics.smallJump(p, 2.0, -dE);
            assertEquals(-beta * dE, Math.log(ratio), 1e-12);
        }
    }

    @Test
    void scalingWithOmegaIsDimensional() {
        // Every frequency doubled: rates double, energies quadruple.
        Parameters p1 = Parameters.withEta(1, 0.1, 1, 0.3, 1.5);
        Parameters p2 = Parameters.withEta(2, 0.2, 2, 0.3, 3.0);
        assertEquals(2 * RateAsymptotics.smallJump(p1, 1.5, 0.7), RateAsymptotics.smallJump(p2, 3.0, 2.8), 1e-15);
        assertEquals(2 * RateAsymptotics.largeJump(p1, 1.5, 40), RateAsymptotics.largeJump(p2, 3.0, 160), 1e-18);
        assertEquals(RateAsymptotics.betaEff(p1) / 4, RateAsymptotics.betaEff(p2), 1e-15);
    }
}
