package io.iontrap.model.master;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;

class KineticMonteCarloTest {
    static final double[] G5 = {0.9, -1.6, 0.4, 1.2, -0.7};
    static final double[] R5 = {0.3, 0.1, 0.5, 0.2, 0.4};
    static final SpinFlipRates W5 = Reference.asymmetric(R5, 0.9);

    /**
     * Pearson chi-square p-value of counts against probabilities, pooling the configurations with
     * expected count below 5 into one bin.
     */
    static double chiSquarePValue(long[] counts, double[] p, int samples) {
        double chi2 = 0;
        int bins = 0;
        double pooledExpected = 0;
        long pooledObserved = 0;
        for (int s = 0; s < p.length; s++) {
            double e = p[s] * samples;
            if (e < 5) {
                pooledExpected += e;
                pooledObserved += counts[s];
            } else {
                chi2 += (counts[s] - e) * (counts[s] - e) / e;
                bins++;
            }
        }
        if (pooledExpected > 0) {
            chi2 += (pooledObserved - pooledExpected) * (pooledObserved - pooledExpected) / pooledExpected;
            bins++;
        }
        return 1 - new ChiSquaredDistribution(bins - 1).cumulativeProbability(chi2);
    }

    @Test
    void populationsAndMeanEnergyAgreeWithTheExactMasterEquation() {
        double[] times = {0, 0.7, 4, 15, 80};
        int k = 20_000;
        KineticMonteCarlo kmc = new KineticMonteCarlo(new IsingLandscape(G5), W5);
        KineticMonteCarlo.Ensemble ens = kmc.run(kmc.configuration(0b10110), times, k, 20261125L);
        MasterEquation me = new MasterEquation(new IsingLandscape(G5), W5);
        double[][] exact = me.evolve(0b10110, times);
        double[] eExact = me.meanEnergies(exact);
        double[] eMc = ens.meanEnergy();
        double[] err = ens.meanEnergyError();
        for (int j = 1; j < times.length; j++) {
            double pv = chiSquarePValue(ens.counts(j), exact[j], k);
            // significance 1e-3 with a fixed seed; a wrong rate or sampling rule fails by far
            assertTrue(pv > 1e-3, "t = " + times[j] + ": chi-square p-value " + pv);
            assertTrue(Math.abs(eMc[j] - eExact[j]) < 4 * err[j],
                    "t = " + times[j] + ": <E> " + eMc[j] + " +- " + err[j] + " vs " + eExact[j]);
        }
        assertEquals(1.0, ens.populations(0)[0b10110]);
    }

    @Test
    void aWrongRateIsDetected() {
        // The same statistics against a master equation with one rate 20% off must reject: the
        // chi-square test above has power.
        double[] times = {4};
        int k = 20_000;
        KineticMonteCarlo kmc = new KineticMonteCarlo(new IsingLandscape(G5), W5);
        KineticMonteCarlo.Ensemble ens = kmc.run(kmc.configuration(0b10110), times, k, 20261125L);
        SpinFlipRates wrong = (i, dE) -> W5.rate(i, dE) * (i == 2 ? 1.2 : 1.0);
        double[][] p = new MasterEquation(new IsingLandscape(G5), wrong).evolve(0b10110, times);
        assertTrue(chiSquarePValue(ens.counts(0), p[0], k) < 1e-3);
    }

    @Test
    void reproducibleWithASeedAndIndependentOfThreads() throws Exception {
        double[] times = {1, 10};
        KineticMonteCarlo kmc = new KineticMonteCarlo(new IsingLandscape(G5), W5);
        KineticMonteCarlo.Ensemble a = new ForkJoinPool(1).submit(() -> kmc.run(times, 500, 99L)).get();
        KineticMonteCarlo.Ensemble b = new ForkJoinPool(4).submit(() -> kmc.run(times, 500, 99L)).get();
        KineticMonteCarlo.Ensemble c = kmc.run(times, 500, 100L);
        for (int j = 0; j < times.length; j++) {
            assertArrayEquals(a.configurations(j), b.configurations(j));
            assertArrayEquals(a.energies(j), b.energies(j));
        }
        assertFalse(Arrays.equals(a.configurations(1), c.configurations(1)));
    }

    @Test
    void manySpinsBeyondOneWordFollowIndependentFlips() {
        // Rates independent of Delta E: every spin flips on its own, P(up at t) = (1 - e^{-2 r_i t})/2
        // from all down. N = 130 spans three words.
        int n = 130;
        double[] g = Reference.uniformCouplings(n, 2, 5);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = 0.01 * (1 + i % 7);
        }
        KineticMonteCarlo kmc = new KineticMonteCarlo(g, (i, dE) -> r[i]);
        double t = 12;
        int k = 2000;
        SplittableRandom rnd = new SplittableRandom(1);
        long[] up = new long[n];
        for (int traj = 0; traj < k; traj++) {
            long[][] c = kmc.trajectory(kmc.allDown(), new double[] {t}, rnd.split());
            assertEquals(3, c[0].length);
            for (int i = 0; i < n; i++) {
                if (KineticMonteCarlo.spin(c[0], i) > 0) {
                    up[i]++;
                }
            }
        }
        double chi2 = 0;
        for (int i = 0; i < n; i++) {
            double p = 0.5 * (1 - Math.exp(-2 * r[i] * t));
            chi2 += (up[i] - k * p) * (up[i] - k * p) / (k * p * (1 - p));
        }
        double pv = 1 - new ChiSquaredDistribution(n).cumulativeProbability(chi2);
        assertTrue(pv > 1e-3, "chi-square p-value " + pv);
    }

    @Test
    void energyAndMagnetisationOfWordsMatchTheLandscape() {
        double[] g = Reference.uniformCouplings(40, 3, 8);
        KineticMonteCarlo kmc = new KineticMonteCarlo(g, (i, dE) -> 0.1);
        IsingLandscape l = new IsingLandscape(g);
        long[][] c = kmc.trajectory(kmc.allDown(), new double[] {50, 100}, new SplittableRandom(3));
        for (long[] words : c) {
            assertEquals(Reference.pairEnergy(g, words[0]), kmc.energy(words), 1e-9);
            assertEquals(l.magnetisation(words[0]), kmc.magnetisation(words), 1e-12);
        }
        KineticMonteCarlo.Ensemble ens = kmc.run(new double[] {50}, 3, 3L);
        assertThrows(IllegalStateException.class, () -> new KineticMonteCarlo(new double[31], (i, dE) -> 1)
                .run(new double[] {1}, 2, 1L).populations(0));
        assertEquals(3, ens.trajectories());
    }

    @Test
    void frozenChainStaysPut() {
        KineticMonteCarlo kmc = new KineticMonteCarlo(new double[] {1, 2}, (i, dE) -> 0);
        long[][] c = kmc.trajectory(kmc.configuration(2), new double[] {5, 0, 1e9}, new SplittableRandom(1));
        for (long[] w : c) {
            assertEquals(2, w[0]);
        }
    }
}
