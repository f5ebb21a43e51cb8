package io.iontrap.model.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.master.Reference;
import org.junit.jupiter.api.Test;

class DetailedBalanceTest {
    static final double[] G8 = {0.83, -1.41, 2.27, -0.35, 1.92, -2.64, 0.57, 1.18};
    static final double[] R8 = {0.010, 0.030, 0.002, 0.020, 0.007, 0.015, 0.025, 0.004};

    @Test
    void glauberAndMetropolisRatesAreBalancedOnEveryCycleAndProduceNoEntropy() {
        IsingLandscape l = new IsingLandscape(G8);
        SpinFlipRates metropolis = Reference.metropolis(R8, 0.7);
        assertTrue(DetailedBalance.maxAbsLogKolmogorovRatio(l, metropolis) < 1e-12);
        assertEquals(0, DetailedBalance.stationaryEntropyProductionRate(new MasterEquation(l, metropolis)), 1e-14);
        SpinFlipRates w = Reference.glauber(R8, 0.7);
        DetailedBalance.WorstCycle worst = DetailedBalance.worstCycle(l, w);
        assertEquals(28L * 64, worst.cycles());
        assertTrue(Math.abs(worst.logRatio()) < 1e-12, "worst ln ratio " + worst.logRatio());
        MasterEquation me = new MasterEquation(l, w);
        double sigma = DetailedBalance.stationaryEntropyProductionRate(me);
        assertEquals(0, sigma, 1e-14);
        // ... but not of an arbitrary distribution: the uniform one relaxes and produces entropy
        double[] uniform = new double[256];
        java.util.Arrays.fill(uniform, 1.0 / 256);
        assertTrue(DetailedBalance.entropyProductionRate(me, uniform) > 1e-3);
    }

    /**
     * N = 2, g = (1.3, -2.2), D = g1 g2 = -2.86. From (↑↑) and (↓↓) a flip changes E by D, from (↑↓)
     * and (↓↑) by -D. With W_i(ΔE) = a_i exp(-b_i ΔE / 2) the cycle (↑↑)→(↑↓)→(↓↓)→(↓↑)→(↑↑) has
     * forward rates W2(D) W1(-D) W2(D) W1(-D) and reverse W1(D) W2(-D) W1(D) W2(-D): ratio
     * exp(-2 (b2 - b1) D).
     */
    @Test
    void twoSpinKolmogorovRatioAndEntropyByHand() {
        double g1 = 1.3;
        double g2 = -2.2;
        double d = g1 * g2;
        double a1 = 0.02;
        double a2 = 0.05;
        double b1 = 0.3;
        double b2 = 0.8;
        SpinFlipRates w = (i, dE) -> i == 0 ? a1 * Math.exp(-b1 * dE / 2) : a2 * Math.exp(-b2 * dE / 2);
        IsingLandscape l = new IsingLandscape(g1, g2);
        double expected = Math.exp(-2 * (b2 - b1) * d);
        for (long c = 0; c < 4; c++) { // the other spins are none: every corner gives the same cycle
            assertEquals(expected, DetailedBalance.kolmogorovRatio(l, w, c, 0, 1), 1e-12 * expected);
        }
        assertEquals(Math.log(expected), DetailedBalance.worstCycle(l, w).logRatio(), 1e-12);

        // stationary by hand: lump A = {↑↑, ↓↓} (flips change E by D) and B = {↑↓, ↓↑}
        double w1p = a1 * Math.exp(-b1 * d / 2);
        double w1m = a1 * Math.exp(b1 * d / 2);
        double w2p = a2 * Math.exp(-b2 * d / 2);
        double w2m = a2 * Math.exp(b2 * d / 2);
        double ratio = (w1m + w2m) / (w1p + w2p); // pi_A / pi_B per configuration
        double y = 1 / (2 * ratio + 2);
        double x = ratio * y;
        MasterEquation me = new MasterEquation(l, w);
        double[] pi = me.stationary();
        assertEquals(x, pi[0b00], 1e-14);
        assertEquals(x, pi[0b11], 1e-14);
        assertEquals(y, pi[0b01], 1e-14);
        assertEquals(y, pi[0b10], 1e-14);
        // four edges, two of each kind
        double sigma = 2 * ((x * w2p - y * w2m) * Math.log(x * w2p / (y * w2m))
                + (y * w1m - x * w1p) * Math.log(y * w1m / (x * w1p)));
        assertTrue(sigma > 1e-3, "entropy production " + sigma);
        assertEquals(sigma, DetailedBalance.stationaryEntropyProductionRate(me), 1e-12 * sigma);
    }

    @Test
    void threeSpinCycleFromTheDenseRateMatrix() {
        double[] g = {0.9, -1.7, 1.1};
        double[] r = {0.2, 0.3, 0.1};
        SpinFlipRates w = Reference.asymmetric(r, 0.6);
        double[][] q = Reference.rateMatrix(g, w);
        IsingLandscape l = new IsingLandscape(g);
        // spins i = 0, j = 2, spin 1 up: corners (σ0 σ2) = ↑↑ 0b111, ↑↓ 0b011, ↓↓ 0b010, ↓↑ 0b110
        int uu = 0b111;
        int ud = 0b011;
        int dd = 0b010;
        int du = 0b110;
        double forward = q[uu][ud] * q[ud][dd] * q[dd][du] * q[du][uu];
        double reverse = q[uu][du] * q[du][dd] * q[dd][ud] * q[ud][uu];
        assertEquals(forward / reverse, DetailedBalance.kolmogorovRatio(l, w, dd, 0, 2), 1e-12);
        assertEquals(forward / reverse, DetailedBalance.kolmogorovRatio(l, w, uu, 0, 2), 1e-12);
        assertTrue(Math.abs(Math.log(forward / reverse)) > 1e-3);
        // the worst cycle is at least as bad as this one
        assertTrue(DetailedBalance.maxAbsLogKolmogorovRatio(l, w) >= Math.abs(Math.log(forward / reverse)) - 1e-12);
    }

    @Test
    void smallJumpRatesAreBalancedAndTheTailBreaksIt() {
        // S14 has R_i = exp(-beta_eff dE) for every spin: Kolmogorov 1 on every cycle. The power-law
        // tail breaks it and the stiff stationary state then produces entropy.
        double[] g = Reference.uniformCouplings(10, 3, 42);
        Parameters p = Reference.paper(0.1, g);
        IsingLandscape l = new IsingLandscape(g);
        assertTrue(DetailedBalance.maxAbsLogKolmogorovRatio(l, Reference.smallJump(p)) < 1e-9);
        SpinFlipRates tail = Reference.smallJumpWithTail(p);
        DetailedBalance.WorstCycle worst = DetailedBalance.worstCycle(l, tail);
        assertTrue(Math.abs(worst.logRatio()) > 0.1, "worst ln ratio " + worst.logRatio());
        MasterEquation me = new MasterEquation(l, tail);
        double sigma = DetailedBalance.stationaryEntropyProductionRate(me);
        double[] ref = Reference.gth(Reference.rateMatrix(g, tail));
        assertEquals(DetailedBalance.entropyProductionRate(me, ref), sigma, 1e-8 * sigma);
        assertTrue(sigma > 0);
        assertEquals(0, DetailedBalance.stationaryEntropyProductionRate(
                new MasterEquation(l, Reference.smallJump(p))), 1e-13);
    }
}
