package io.iontrap.hardware.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.trap.LambDicke;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.AngularFrequency;
import io.iontrap.hardware.units.CyclicFrequency;
import io.iontrap.hardware.units.ModelUnit;
import org.junit.jupiter.api.Test;

class FeasibilityTest {
    @Test
    void fastestScaleIsOnTheEdgeOfTheLimits() {
        TrapSpec trap = TrapFixtures.example();
        Feasibility.Result r = Feasibility.fastest(trap, DriveCompilerTest.FIG2A, ModelUnit.TWO_PI_KHZ);
        assertTrue(r.feasible());
        assertFalse(r.plan().refused());
        assertFalse(DriveCompiler.compile(trap, Feasibility.scale(DriveCompilerTest.FIG2A, r.scale()),
                ModelUnit.TWO_PI_KHZ).refused());
        assertTrue(DriveCompiler.compile(trap, Feasibility.scale(DriveCompilerTest.FIG2A, r.scale() * 1.00001),
                ModelUnit.TWO_PI_KHZ).refused());
        assertFalse(r.binding().isEmpty());
        // the engineered loss binds (physics.md §8): adiabatic elimination on the loss ion
        assertEquals("loss-c0", r.binding().get(0).where(), r.binding().toString());
        assertTrue(r.minimum() < r.scale());
        // ω lands at 2π × tens of Hz: spin flips at rates of order 1/s
        assertTrue(r.scaled().omega() > 0.02 && r.scaled().omega() < 0.2, "omega = " + r.scaled().omega());
    }

    @Test
    void physicsSheetLossRateEstimate() {
        // ν = 2π × 2 MHz, N_chain = 6, Ω_r = 0.1 ν, η_e Ω_r = 0.3 Γ_eff → γ = η_e² Ω_r²/Γ_eff ≈ 2π × 1.7 kHz
        AngularFrequency nu = CyclicFrequency.MHz(2).toAngular();
        double eta = LambDicke.singleIon(LambDicke.deltaK(729.147e-9, LambDicke.Geometry.SINGLE_BEAM, 0), 0,
                39.962591 * LambDicke.AMU, nu) * LambDicke.comParticipation(6);
        double rabi = 0.1 * nu.radPerSecond();
        double gammaEff = eta * rabi / 0.3;
        double gamma = eta * eta * rabi * rabi / gammaEff;
        assertEquals(1.7, AngularFrequency.radPerSecond(gamma).inTwoPiKHz(), 0.1);
        // which maps Fig. 2a (γ = 11 ω) to ω ≈ 2π × 150 Hz
        assertEquals(0.15, AngularFrequency.radPerSecond(gamma).inTwoPiKHz() / 11, 0.01);
    }
}
