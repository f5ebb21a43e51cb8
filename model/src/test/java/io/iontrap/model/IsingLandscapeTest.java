package io.iontrap.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IsingLandscapeTest {
    static final double[] G8 = {0.83, -1.41, 2.27, -0.35, 1.92, -2.64, 0.57, 1.18};

    /** Eq. (4) written as the pair sum, independent of the M shortcut. */
    static double pairSum(double[] g, long s) {
        double e = 0;
        for (int i = 0; i < g.length; i++) {
            for (int j = 0; j < g.length; j++) {
                if (i != j) {
                    e -= 0.25 * g[i] * g[j] * IsingLandscape.spin(s, i) * IsingLandscape.spin(s, j);
                }
            }
        }
        return e;
    }

    @Test
    void energyMatchesThePairSumAndDeltaEMatchesTheDifference() {
        IsingLandscape l = new IsingLandscape(G8);
        double[] e = l.energies();
        for (int s = 0; s < e.length; s++) {
            assertEquals(pairSum(G8, s), e[s], 1e-12);
            assertEquals(e[s], e[(int) l.flipAll(s)], 1e-12, "E(sigma) = E(-sigma)");
            for (int i = 0; i < G8.length; i++) {
                assertEquals(e[s ^ (1 << i)] - e[s], l.deltaE(i, s), 1e-12);
            }
        }
    }

    @Test
    void groundEnergyOfPhysicsSheet() {
        IsingLandscape l = new IsingLandscape(G8);
        assertEquals(-26.1108, l.groundEnergy(), 5e-5); // physics.md §7
        double min = Double.POSITIVE_INFINITY;
        for (double x : l.energies()) {
            min = Math.min(min, x);
        }
        assertEquals(min, l.groundEnergy(), 1e-12);
        long[] gs = l.groundStates();
        assertEquals(2, gs.length);
        for (long s : gs) {
            assertEquals(min, l.energy(s), 1e-12);
        }
    }

    @Test
    void zeroCouplingsLeaveTheirSpinFree() {
        IsingLandscape l = new IsingLandscape(1.0, 0.0, -2.0);
        // aligned: spin0 up, spin2 down -> 0b001; anti-aligned 0b100; spin1 free.
        assertArrayEquals(new long[] {0b001, 0b011, 0b100, 0b110}, l.groundStates());
    }

    @Test
    void histogramConservesProbability() {
        IsingLandscape l = new IsingLandscape(G8);
        double[] p = new double[256];
        java.util.Arrays.fill(p, 1.0 / 256);
        double[] h = l.energyHistogram(p, -30, 10, 8);
        assertEquals(1.0, java.util.Arrays.stream(h).sum(), 1e-14);
        assertEquals(2.0 / 256, l.groundStatePopulation(p), 1e-15);
    }

    @Test
    void configurationStringsPutSpinIAtCharacterI() {
        assertEquals(2L, IsingLandscape.configuration("01", 2));
        assertEquals(0b1101L, IsingLandscape.configuration("1011", 4));
        assertEquals("1011", IsingLandscape.bits(0b1101L, 4));
        org.junit.jupiter.api.Assertions.assertThrows(InvalidParameterException.class,
                () -> IsingLandscape.configuration("012", 3));
        org.junit.jupiter.api.Assertions.assertThrows(InvalidParameterException.class,
                () -> IsingLandscape.configuration("01", 3));
    }
}
