package io.iontrap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.lindblad.BosonInit;
import io.iontrap.model.lindblad.LindbladEvolution;
import io.iontrap.model.lindblad.LindbladSolver;
import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.rates.FlipRates;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's N = 2, eta = 1 comparison (physics.md 7: g = (1.3, -2.2), omega = kappa = 1, Omega = 0.1, from 00 with
 * the mode in its vacuum). The demo used to report the device's shots there as "deviating from the device's own
 * full-model prediction by ~4 standard errors, an open question about the Lindblad engine". They do not: the
 * largest of 28 single-cell deviations is not a test, the G-test over every hold time is, and it accepts them;
 * what those shots reject is the effective model of Eq. (3), whose 0.0033 difference from the full model 4000
 * shots per hold time resolve (chiefly the 11 population, which the full model fills by a direct double flip).
 *
 * <p>References, independent of the device and of the automatic Fock cut-off: the full model solved with a
 * generous fixed cut-off n_max = 60 (the automatic choice is 66; n_max = 80 changes no population by more than
 * 1e-6, while n_max = 30 is off by 1e-3 and physics.md's n_max = 40 numbers at t = 2000 by 1.3e-3) and the effective master equation, both pinned to physics.md 7.
 */
class ShotComparisonTest {
    static final double[] HOLDS = {0, 10, 30, 100, 300, 1000, 2000};
    static final Parameters ETA1 = Parameters.withEta(1, 0.1, 1, 1, 1.3, -2.2);
    /** 1.3 x the hold times: a device whose clock (model time per lab second) is 30 % fast. */
    static final double CLOCK = 1.3;
    static double[][] full;
    static double[][] fullFastClock;
    static double[][] eff;

    /**
     * The shots of the demo's eta = 1 point (seed 2024, 4000 per hold time), configurations 00, 10, 01, 11 (bit i
     * = spin i): the data behind the old "open question" warning.
     */
    static final int[][] DEMO_SHOTS = {{4000, 0, 0, 0}, {3778, 142, 78, 2}, {3316, 423, 257, 4},
        {2080, 1240, 663, 17}, {614, 2119, 1243, 24}, {19, 2489, 1470, 22}, {18, 2411, 1557, 14}};

    @BeforeAll
    static void references() {
        double[] times = new double[2 * HOLDS.length];
        for (int k = 0; k < HOLDS.length; k++) {
            times[k] = HOLDS[k];
            times[HOLDS.length + k] = CLOCK * HOLDS[k];
        }
        double[] sorted = Arrays.stream(times).distinct().sorted().toArray();
        LindbladEvolution ev = LindbladSolver.evolve(ETA1, 0, BosonInit.VACUUM, sorted, 60, 1e-10, 1e-8);
        assertTrue(ev.warnings().isEmpty(), ev.warnings().toString());
        full = new double[HOLDS.length][];
        fullFastClock = new double[HOLDS.length][];
        for (int k = 0; k < HOLDS.length; k++) {
            full[k] = ev.populations()[Arrays.binarySearch(sorted, HOLDS[k])];
            fullFastClock[k] = ev.populations()[Arrays.binarySearch(sorted, CLOCK * HOLDS[k])];
        }
        eff = new MasterEquation(IsingLandscape.of(ETA1), new FlipRates(ETA1)).evolve(0, HOLDS);
    }

    @Test
    void referencesAreThoseOfPhysicsMd() {
        // physics.md 7, eta = 1: p_eff(t = 2000) = 0.0044 (00), 0.6047 (10), 0.3871 (01), 0.0038 (11)
        double[] paper = {0.0044, 0.6047, 0.3871, 0.0038};
        for (int q = 0; q < 4; q++) {
            assertEquals(paper[q], eff[HOLDS.length - 1][q], 2e-4, "p_eff(2000)[" + q + "]");
        }
        // max |p_eff - p_full| = 0.0034 over t in [0, 2000]; 99 % in the ground configurations at t = 2000
        double diff = 0;
        for (int t = 0; t < HOLDS.length; t++) {
            for (int q = 0; q < 4; q++) {
                diff = Math.max(diff, Math.abs(eff[t][q] - full[t][q]));
            }
        }
        assertEquals(0.0034, diff, 5e-4);
        double[] last = full[HOLDS.length - 1];
        assertTrue(last[1] + last[2] > 0.99, Arrays.toString(last));
        // the cell that matters: 11 at t = 100, full 0.0035 (n_max = 80: the same to 1e-8; an independent dense
        // scipy solve reproduces LindbladSolver's digits at n_max = 30 and 40), effective 0.0005
        assertEquals(0.0035, full[3][3], 2e-4);
        assertEquals(0.0005, eff[3][3], 1e-4);
    }

    @Test
    void theDemoShotsAgreeWithTheFullModelAndRejectTheEffectiveOne() {
        ShotComparison c = ShotComparison.of(DEMO_SHOTS, full, eff);
        // the "~4 standard errors": the largest of 28 cells, reached by the full model itself in ~1 % of samples
        assertEquals(3.8, c.maxZFull(), 0.2);
        assertEquals(3, c.maxZTime());
        assertTrue(c.maxZChance() > 1e-3 && c.maxZChance() < 0.05, "look-elsewhere chance " + c.maxZChance());
        assertTrue(c.agreesWithFull(), "G-test against the full model: p = " + c.full().pValue());
        assertTrue(c.effectiveRejected(), "G-test against the effective model: p = " + c.effective().pValue());
        assertEquals(3, c.worstTime());
        assertEquals(3, c.worstConfig(), "the effective model misses the 11 population");
        String v = c.verdict(HOLDS, 2, "1.303 [1.174, 1.407]", 1.0, 9.4e-5);
        assertTrue(v.contains("agree with the full model"), v);
        assertTrue(v.contains("effective model of Eq. (3) is rejected"), v);
        assertTrue(v.contains("not a device error"), v);
        assertTrue(v.contains("biased"), v);
        assertFalse(v.contains("DISAGREE"), v);
    }

    @Test
    void samplesOfTheFullModelPassItsTestAndRejectTheEffectiveModel() {
        // at 4000 shots per hold time the effective model's rejection depends on the sample (the demo's: p = 1e-4,
        // others ~1e-2); with 16000 it is certain
        Random r = new Random(11);
        for (int rep = 0; rep < 2; rep++) {
            ShotComparison c = ShotComparison.of(sample(full, 16000, r), full, eff);
            assertTrue(c.agreesWithFull(), "replica " + rep + ": p = " + c.full().pValue());
            assertTrue(c.effectiveRejected(), "replica " + rep + ": p = " + c.effective().pValue());
        }
    }

    @Test
    void aDeviceThatSamplesAnotherModelIsFlagged() {
        // the kind of defect the old warning suspected: a time-unit mismatch between device and prediction
        ShotComparison c = ShotComparison.of(sample(fullFastClock, 4000, new Random(12)), full, eff);
        assertFalse(c.agreesWithFull(), "p = " + c.full().pValue());
        assertTrue(c.verdict(HOLDS, 2, null, 1.0, Double.NaN).contains("DISAGREE"));
        // and the effective model's own samples are not flagged as rejecting it
        ShotComparison e = ShotComparison.of(sample(eff, 4000, new Random(13)), eff, eff);
        assertTrue(e.agreesWithFull() && !e.effectiveRejected(), "p = " + e.full().pValue());
    }

    static int[][] sample(double[][] p, int shots, Random r) {
        int[][] c = new int[p.length][p[0].length];
        for (int t = 0; t < p.length; t++) {
            for (int k = 0; k < shots; k++) {
                double u = r.nextDouble();
                double s = 0;
                int q = 0;
                for (; q < p[t].length - 1; q++) {
                    s += Math.max(0, p[t][q]);
                    if (u < s) {
                        break;
                    }
                }
                c[t][q]++;
            }
        }
        return c;
    }
}
