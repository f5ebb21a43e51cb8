package io.iontrap.hardware.drive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.hardware.TrapFixtures;
import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.Parameters;
import org.junit.jupiter.api.Test;

class DriveCompilerTest {
    static final ModelUnit KHZ = ModelUnit.TWO_PI_KHZ;
    /** Fig. 2a of the paper (η = 10, κ = ω) with four couplings in [-3, 3], ω = 1. */
    static final Parameters FIG2A = Parameters.withEta(1, 0.1, 1, 10, 2.1, -1.4, 2.9, -0.6);

    @Test
    void handComputedSettings() {
        TrapSpec trap = TrapFixtures.handTrap();
        Parameters p = Parameters.of(0.5, 0.05, 0.5, 2.0, 1.0, -0.5, 0.25, 0.0);
        DrivePlan plan = DriveCompiler.compile(trap, p, KHZ);
        DriveSettings s = plan.ideal();
        // |g| = η Ω/2 → Ω/2π = 2|g|/η = 40 kHz for g = 1 (2π kHz), η = 0.05; linear calibration 250 kHz full scale
        assertEquals(40e3 / 250e3, s.get("force-red-s0").amplitude(), 1e-12);
        assertEquals(40e3 / 250e3, s.get("force-blue-s0").amplitude(), 1e-12);
        assertEquals(20e3 / 250e3, s.get("force-red-s1").amplitude(), 1e-12);
        assertEquals(10e3 / 250e3, s.get("force-blue-s2").amplitude(), 1e-12);
        // red tone at -ν + δ, blue at +ν - δ, δ = ω = 2π × 500 Hz, AOM +1 order around 80 MHz
        assertEquals(80e6 - 2e6 + 500, s.get("force-red-s0").frequency().hz(), 1e-6);
        assertEquals(80e6 + 2e6 - 500, s.get("force-blue-s0").frequency().hz(), 1e-6);
        // sign of g as a half turn on both tones
        assertEquals(0.0, s.get("force-red-s0").phaseTurns());
        assertEquals(0.5, s.get("force-red-s1").phaseTurns());
        assertEquals(0.5, s.get("force-blue-s1").phaseTurns());
        // g = 0: both tones off
        assertFalse(s.get("force-red-s3").on());
        assertEquals(0.0, s.get("force-blue-s3").amplitude());
        // Ω = Ω_c/2: Ω_c/2π = 100 Hz of a 2 kHz full scale; resonant (110 MHz), phase ¼ turn
        assertEquals(0.05, s.get("carrier").amplitude(), 1e-12);
        assertEquals(110e6, s.get("carrier").frequency().hz(), 0);
        assertEquals(0.25, s.get("carrier").phaseTurns());
        // γ = η_e² Ω_r² / Γ_eff: Ω_r/2π = sqrt(2 · 2π·1e3 · 1e5)/0.03/2π = 188063.1945 Hz; κ = 0.5 → 94031.5973 Hz
        assertEquals(188063.19451591876 / 250e3, s.get("loss-c0").amplitude(), 1e-12);
        assertEquals(80e6 - 2e6, s.get("loss-c0").frequency().hz(), 1e-6);
        assertEquals(94031.59725795938 / 250e3, s.get("gain-c1").amplitude(), 1e-12);
        assertEquals(80e6 + 2e6, s.get("gain-c1").frequency().hz(), 1e-6);
        // n̄ = |α|² + n_th, η = (γ-κ)/ω = 3: 4·1.75²/(0.5²·(4+9)) + 0.5/1.5
        assertEquals(4 * 1.75 * 1.75 / (0.25 * 13) + 1.0 / 3, plan.occupation(), 1e-12);
    }

    @Test
    void heatingAddsToBothLossAndGain() {
        TrapSpec trap = TrapFixtures.edited(t -> t.put("heatingRatePhononsPerSecond", 100.0));
        Parameters p = Feasibility.scale(FIG2A, 0.05);
        DrivePlan plan = DriveCompiler.compile(trap, p, KHZ);
        double gammaPerS = p.gamma() * 2 * Math.PI * 1e3;
        double kappaPerS = p.kappa() * 2 * Math.PI * 1e3;
        TrapSpec.Ion c0 = trap.ion("c0");
        double rabiLoss = plan.channels().stream().filter(c -> c.channel().equals("loss-c0")).findFirst()
                .orElseThrow().rabi().toAngular().radPerSecond();
        double rabiGain = plan.channels().stream().filter(c -> c.channel().equals("gain-c1")).findFirst()
                .orElseThrow().rabi().toAngular().radPerSecond();
        double eta = c0.lambDicke();
        assertEquals(gammaPerS - 100, eta * eta * rabiLoss * rabiLoss / c0.repumpRatePerSecond(), 1e-9 * gammaPerS);
        assertEquals(kappaPerS - 100, eta * eta * rabiGain * rabiGain / c0.repumpRatePerSecond(), 1e-9 * kappaPerS);
        // and the decoder adds it back
        DriveDecoder.Decoded d = DriveDecoder.decode(trap, plan.ideal(), KHZ);
        assertEquals(p.gamma(), d.parameters().gamma(), 1e-9 * p.gamma());
        assertEquals(p.kappa(), d.parameters().kappa(), 1e-9 * p.kappa());
    }

    @Test
    void roundTripIdealSettingsIsExact() {
        TrapSpec trap = TrapFixtures.example();
        for (double s : new double[]{0.01, 0.03, 0.05}) {
            Parameters p = Feasibility.scale(FIG2A, s);
            DrivePlan plan = DriveCompiler.compile(trap, p, KHZ);
            Parameters back = DriveDecoder.decode(trap, plan.ideal(), KHZ).parameters();
            assertClose(p, back, 1e-9);
        }
    }

    @Test
    void roundTripThroughDdsWordsStaysWithinTheQuantisationBound() {
        TrapSpec trap = TrapFixtures.example();
        Parameters p = Feasibility.scale(FIG2A, 0.03);
        DrivePlan plan = DriveCompiler.compile(trap, p, KHZ);
        assertFalse(plan.refused(), () -> plan.violations().toString());
        assertNotNull(plan.achieved());
        assertClose(p, plan.achieved(), trap.validity().quantisation());
        // the words decode to exactly the quantised settings, and re-quantising changes nothing
        DriveSettings again = plan.quantised().quantised(trap.dds());
        assertEquals(plan.quantised(), again);
        assertEquals(plan.achieved().omega(), DriveDecoder.decode(trap, again, KHZ).parameters().omega(), 0);
    }

    @Test
    void phaseOffsetsAndAomOrdersRoundTrip() {
        TrapSpec trap = TrapFixtures.edited(t -> {
            for (var ch : t.withArray("channels")) {
                var c = (com.fasterxml.jackson.databind.node.ObjectNode) ch;
                c.put("phaseOffsetTurns", 0.137 + 0.01 * c.get("name").asText().length());
                if (c.get("role").asText().equals("force-blue")) {
                    // double pass, -1st order around 41 MHz: optical +2 MHz is RF -1 MHz
                    c.put("detuningPerHz", -2.0);
                    c.put("carrierFrequencyHz", 41e6);
                    c.put("minFrequencyHz", 35e6);
                    c.put("maxFrequencyHz", 45e6);
                }
            }
        });
        Parameters p = Feasibility.scale(FIG2A, 0.03);
        DrivePlan plan = DriveCompiler.compile(trap, p, KHZ);
        assertFalse(plan.refused(), () -> plan.violations().toString());
        assertEquals(41e6 - (2e6 - 0.03e3) / 2, plan.ideal().get("force-blue-s0").frequency().hz(), 1e-6);
        // optical phase 0 (g > 0) and ½ (g < 0) after subtracting the offset
        double off = 0.137 + 0.01 * "force-red-s1".length();
        assertEquals(0.5 - off, plan.ideal().get("force-red-s1").phaseTurns(), 1e-15);
        assertClose(p, DriveDecoder.decode(trap, plan.ideal(), KHZ).parameters(), 1e-9);
        assertClose(p, plan.achieved(), trap.validity().quantisation());
    }

    @Test
    void noDriveIsAcceptedWithAWarningAboutTheResidualField() {
        Parameters p = Parameters.withEta(0.03, 0, 0.03, 10, 0.063, -0.042, 0.087, -0.018);
        DrivePlan plan = DriveCompiler.compile(TrapFixtures.example(), p, KHZ);
        assertFalse(plan.refused(), () -> plan.violations().toString());
        assertFalse(plan.quantised().get("carrier").on());
        assertTrue(plan.achieved().drive() < 1e-3 * p.omega(), "residual " + plan.achieved().drive());
    }

    @Test
    void modelPerturbativeWarningsAreCarried() {
        TrapSpec trap = TrapFixtures.example();
        Parameters strongDrive = Parameters.withEta(0.03, 0.02, 0.03, 10, 0.06, -0.04, 0.08, -0.02);
        DrivePlan plan = DriveCompiler.compile(trap, strongDrive, KHZ);
        assertTrue(plan.warnings().stream().anyMatch(w -> w.contains("weak-drive")), plan.warnings().toString());
    }

    @Test
    void couplingCountMustMatchSpinIons() {
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> DriveCompiler.compile(TrapFixtures.example(), Parameters.withEta(1, 0.1, 1, 1, 1, 2), KHZ));
        assertEquals("g", e.field());
        assertTrue(e.getMessage().contains("4 spin ions"));
    }

    @Test
    void refusedPlanCannotBeSent() {
        DrivePlan plan = DriveCompiler.compile(TrapFixtures.example(), FIG2A, KHZ);
        assertTrue(plan.refused());
        PlanRefusedException e = assertThrows(PlanRefusedException.class, plan::settingsToSend);
        assertEquals(plan.violations().size(), e.violations().size());
        assertEquals(plan.violations().size() + 1, e.getMessage().split("\n").length);
    }

    static void assertClose(Parameters want, Parameters got, double rel) {
        double floor = 1e-3 * want.omega();
        assertEquals(want.omega(), got.omega(), rel * want.omega(), "omega");
        assertEquals(want.drive(), got.drive(), rel * Math.max(want.drive(), floor), "Omega");
        assertEquals(want.kappa(), got.kappa(), rel * Math.max(want.kappa(), floor), "kappa");
        assertEquals(want.gamma(), got.gamma(), rel * want.gamma(), "gamma");
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.g(i), got.g(i), rel * Math.max(Math.abs(want.g(i)), floor), "g[" + i + "]");
        }
    }
}
