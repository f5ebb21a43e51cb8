package io.iontrap.hardware.trap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.units.CyclicFrequency;
import org.junit.jupiter.api.Test;

class LambDickeTest {
    private static final double CA40 = 39.962591 * LambDicke.AMU;

    private static double ca729(double nuMHz) {
        return LambDicke.singleIon(LambDicke.deltaK(729.147e-9, LambDicke.Geometry.SINGLE_BEAM, 0), 0, CA40,
                CyclicFrequency.MHz(nuMHz).toAngular());
    }

    @Test
    void calcium729AxialMatchesPhysicsSheet() {
        // physics.md §8: 0.097 / 0.069 / 0.056 at 1 / 2 / 3 MHz
        assertEquals(0.097, ca729(1), 5e-4);
        assertEquals(0.069, ca729(2), 5e-4);
        assertEquals(0.056, ca729(3), 5e-4);
        assertEquals(0.0969051, ca729(1), 1e-6);
    }

    @Test
    void ytterbiumRaman90() {
        double dk = LambDicke.deltaK(355e-9, LambDicke.Geometry.RAMAN_90, 0);
        assertEquals(0.136, LambDicke.singleIon(dk, 0, 170.936 * LambDicke.AMU, CyclicFrequency.MHz(1).toAngular()),
                5e-4);
        // a Raman pair at 90° is the general formula at α = 90°
        assertEquals(dk, LambDicke.deltaK(355e-9, LambDicke.Geometry.RAMAN, Math.PI / 2), 1e-9 * dk);
    }

    @Test
    void exampleTrapUsesComParticipationOfTheWholeChain() {
        TrapSpec t = TrapFixtures.example();
        assertEquals(6, t.ions().size());
        for (TrapSpec.Ion ion : t.ions()) {
            assertEquals(ca729(2) / Math.sqrt(6), ion.lambDicke(), 1e-12);
        }
    }
}
