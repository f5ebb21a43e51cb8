package io.iontrap.model.crosscheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.lindblad.BosonInit;
import io.iontrap.model.lindblad.LindbladEvolution;
import io.iontrap.model.lindblad.LindbladSolver;
import io.iontrap.model.master.KineticMonteCarlo;
import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.rates.FlipRates;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The whole effective model (Eq. 3 rates in the exact master equation) against the checked numbers
 * of physics.md §7, and the three methods against one another: exact master equation, kinetic
 * Monte Carlo, and the full Lindblad model of Eqs. (1)-(2).
 */
class PhysicsSheetTest {
    static final double[] G8 = {0.83, -1.41, 2.27, -0.35, 1.92, -2.64, 0.57, 1.18};
    static final double[] G2 = {1.3, -2.2};

    @ParameterizedTest(name = "eta = {0}")
    @CsvSource({"0.1, -22.80, 0.516", "1, -15.17, 0.154", "10, -0.756, 0.0122"})
    void coolingTableOfTheN8Chain(double eta, double meanEnergy, double groundPopulation) {
        Parameters p = Parameters.withEta(1, 0.1, 1, eta, G8);
        IsingLandscape landscape = IsingLandscape.of(p);
        MasterEquation me = new MasterEquation(landscape, new FlipRates(p));
        double[] pi = me.stationary();
        // half a unit of the last printed digit
        double eTol = eta == 10 ? 5e-4 : 5e-3;
        double gTol = eta == 10 ? 5e-5 : 5e-4;
        assertEquals(meanEnergy, me.meanEnergy(pi), eTol);
        assertEquals(groundPopulation, landscape.groundStatePopulation(pi), gTol);
        double sum = 0;
        for (int s = 0; s < pi.length; s++) {
            assertTrue(pi[s] >= 0);
            assertEquals(pi[s], pi[(int) landscape.flipAll(s)], 1e-12 * (pi[s] + 1e-300), "pi(sigma) = pi(-sigma)");
            sum += pi[s];
        }
        assertEquals(1, sum, 1e-12);
    }

    @Test
    void publishedEffectivePopulationsAtT2000() {
        Parameters p = Parameters.withEta(1, 0.1, 1, 1, G2);
        double[] pt = new MasterEquation(IsingLandscape.of(p), new FlipRates(p)).evolve(0, new double[] {2000})[0];
        // (dd, du, ud, uu) = indices (0, 2, 1, 3)
        assertEquals(0.0044, pt[0], 5e-5);
        assertEquals(0.3871, pt[2], 5e-5);
        assertEquals(0.6047, pt[1], 5e-5);
        assertEquals(0.0038, pt[3], 5e-5);
    }

    @ParameterizedTest(name = "eta = {0}, nmax = {1}, t up to {2}")
    @CsvSource({"10, 15, 300, 0.0078", "1, 40, 2000, 0.0034"})
    void effectiveModelAgreesWithTheFullModel(double eta, int nmax, double tEnd, double published) {
        Parameters p = Parameters.withEta(1, 0.1, 1, eta, G2);
        double[] times = new double[31];
        for (int k = 0; k < times.length; k++) {
            times[k] = tEnd * k / (times.length - 1);
        }
        double[][] eff = new MasterEquation(IsingLandscape.of(p), new FlipRates(p)).evolve(0, times);
        LindbladEvolution full = LindbladSolver.evolve(p, 0, BosonInit.VACUUM, times, nmax, 1e-10, 1e-8);
        double worst = 0;
        for (int k = 0; k < times.length; k++) {
            for (int s = 0; s < 4; s++) {
                worst = Math.max(worst, Math.abs(eff[k][s] - full.populations()[k][s]));
            }
        }
        System.out.printf("eta = %s: max |p_eff - p_full| = %.5f (published %.4f)%n", eta, worst, published);
        assertEquals(published, worst, 6e-5, "the printed digits of physics.md §7");
    }

    @Test
    void kineticMonteCarloSamplesTheExactDistribution() {
        double[] g = {1.1, -0.7, 2.0, -1.6, 0.9};
        Parameters p = Parameters.withEta(1, 0.1, 1, 1, g);
        FlipRates rates = new FlipRates(p);
        IsingLandscape landscape = IsingLandscape.of(p);
        double[] times = {200};
        double[] exact = new MasterEquation(landscape, rates).evolve(0, times)[0];
        int trajectories = 20000;
        KineticMonteCarlo.Ensemble ens = new KineticMonteCarlo(landscape, rates).run(times, trajectories, 7L);
        long[] counts = ens.counts(0);
        // Pearson chi-square over configurations with expected count >= 5, the rest pooled.
        double chi2 = 0;
        int bins = 0;
        double pooledExpected = 0;
        double pooledObserved = 0;
        for (int s = 0; s < exact.length; s++) {
            double expected = trajectories * exact[s];
            if (expected >= 5) {
                chi2 += Math.pow(counts[s] - expected, 2) / expected;
                bins++;
            } else {
                pooledExpected += expected;
                pooledObserved += counts[s];
            }
        }
        if (pooledExpected > 0) {
            chi2 += Math.pow(pooledObserved - pooledExpected, 2) / pooledExpected;
            bins++;
        }
        double pValue = 1 - new ChiSquaredDistribution(bins - 1).cumulativeProbability(chi2);
        assertTrue(pValue > 1e-3, "chi2 = " + chi2 + " on " + (bins - 1) + " dof, p = " + pValue);
    }
}
