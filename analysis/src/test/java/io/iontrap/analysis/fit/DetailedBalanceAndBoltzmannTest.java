package io.iontrap.analysis.fit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.analysis.Synthetic;
import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.estimate.ShotCounts;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.balance.DetailedBalance;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DetailedBalanceAndBoltzmannTest {
    static final IsingLandscape PAIR = new IsingLandscape(1.3, -2.2);
    static final double[] TIMES = {10, 30, 60, 100, 200, 400, 800};

    /**
     * Glauber rates with spin-dependent prefactors (as Eq. 3 has through g_i; with identical
     * spins, starting from 00, only W_0(+|J|) + W_1(+|J|) would be identified) and temperatures.
     */
    static SpinFlipRates glauber(double beta0, double beta1) {
        return (i, dE) -> (i == 0 ? 0.02 : 0.007) / (1 + Math.exp((i == 0 ? beta0 : beta1) * dE));
    }

    static RunData relax(SpinFlipRates rates, int shots, long seed) {
        double[][] p = new MasterEquationPropagator().evolve(PAIR, rates, new double[] {1, 0, 0, 0}, TIMES);
        Parameters model = Parameters.withEta(1, 0.1, 1, 1, 1.3, -2.2);
        return Synthetic.run(model, TIMES, p, shots, 0, null, seed);
    }

    @Test
    void brokenDetailedBalanceIsDetected() {
        SpinFlipRates truth = glauber(0.2, 1.0);
        RunData run = relax(truth, 2000, 5);
        DetailedBalanceTest test = new DetailedBalanceTest(PAIR, ShotCounts.of(run), new double[] {1, 0, 0, 0}, null,
                new MasterEquationPropagator());
        assertEquals(4, test.generalParameterCount());
        DetailedBalanceTest.Result r = test.run(null, 0.95);
        // loop (up,up) -> (up,down) -> (down,down) -> (down,up): K = [R_1(J)/R_0(J)]^2 with J = g0 g1
        double j = 1.3 * -2.2;
        double trueK = Math.pow(Math.exp(-1.0 * j) / Math.exp(-0.2 * j), 2);
        assertEquals(trueK, DetailedBalance.kolmogorovRatio(PAIR, truth, 0, 0, 1), 1e-9 * trueK);
        System.out.println("broken: " + r);
        assertEquals(1, r.dof());
        assertTrue(r.broken(0.01), "p = " + r.pValue());
        assertTrue(r.kolmogorovLo() <= trueK && trueK <= r.kolmogorovHi(),
                "K = " + r.kolmogorov() + " [" + r.kolmogorovLo() + ", " + r.kolmogorovHi() + "], true " + trueK);
    }

    @Test
    void reversibleDynamicsPassesAndGivesBeta() {
        SpinFlipRates truth = glauber(0.5, 0.5);
        RunData run = relax(truth, 2000, 6);
        DetailedBalanceTest.Result r = new DetailedBalanceTest(PAIR, ShotCounts.of(run), new double[] {1, 0, 0, 0},
                null, new MasterEquationPropagator()).run(truth, 0.95);
        System.out.println("reversible: " + r);
        assertTrue(r.pValue() > 0.01, "p = " + r.pValue());
        assertTrue(r.betaFromRates().covers(0.5), r.betaFromRates().toString());
        assertTrue(r.kolmogorovLo() <= 1 && 1 <= r.kolmogorovHi(), "K = " + r.kolmogorov());
        for (DetailedBalanceTest.RateRatio rr : r.ratios()) {
            double t = Math.exp(-0.5 * rr.deltaE());
            assertTrue(rr.lo() <= t && t <= rr.hi(), rr + " vs " + t);
        }
    }

    @Test
    void boltzmannBetaFromStationaryCountsIsCalibrated() {
        IsingLandscape l = new IsingLandscape(0.9, -1.4, 0.6);
        double beta = 0.8;
        double[] e = l.energies();
        double[] p = BoltzmannFit.boltzmann(beta, e, l.groundEnergy());
        SplittableRandom rnd = new SplittableRandom(11);
        int reps = 400;
        int covered = 0;
        for (int r = 0; r < reps; r++) {
            long[] shots = Synthetic.sample(p, 200, null, rnd);
            int[] c = new int[8];
            for (long s : shots) {
                c[(int) s]++;
            }
            BoltzmannFit.Result res = BoltzmannFit.fit(c, e, null, 0.95);
            covered += res.beta().covers(beta) ? 1 : 0;
        }
        double cov = covered / (double) reps;
        System.out.printf("coverage of the 95%% profile interval of beta (Boltzmann fit): %.4f over %d%n", cov, reps);
        assertEquals(0.95, cov, 3.5 * Math.sqrt(0.0475 / reps));
    }

    @Test
    void groundStateOnlyGivesAnOpenUpperLimit() {
        IsingLandscape l = new IsingLandscape(0.9, -1.4);
        int[] c = new int[4];
        for (long g : l.groundStates()) {
            c[(int) g] = 100;
        }
        BoltzmannFit.Result res = BoltzmannFit.fit(c, l.energies(), null, 0.95);
        assertEquals(Double.POSITIVE_INFINITY, res.beta().hi());
        assertTrue(res.beta().lo() > 0);
        assertTrue(res.warnings().get(0).contains("no upper limit"));
    }

    @Test
    void stationarityPoolsOnlyHomogeneousLateTimes() {
        int[][] c = {{500, 0, 0, 0}, {100, 200, 200, 0}, {10, 245, 240, 5}, {12, 238, 246, 4}};
        ShotCounts counts = new ShotCounts(2, new double[] {0, 10, 100, 200}, c);
        assertArrayEquals(new int[] {3, 2}, Stationarity.lateTimes(counts, 0.05));
        assertTrue(Stationarity.homogeneityPValue(c[1], c[2]) < 1e-6);
    }

    @Test
    void boltzmannOnEnergyLevelsIgnoresTheSplitBetweenDegenerateConfigurations() {
        IsingLandscape l = new IsingLandscape(0.9, -1.4);
        double beta = 0.6;
        double[] p = BoltzmannFit.boltzmann(beta, l.energies(), l.groundEnergy());
        // move population between the two ground configurations: same energy distribution
        long[] g = l.groundStates();
        double shift = 0.2 * p[(int) g[0]];
        p[(int) g[0]] -= shift;
        p[(int) g[1]] += shift;
        int[] counts = new int[4];
        for (int s = 0; s < 4; s++) {
            counts[s] = (int) Math.round(p[s] * 1e5);
        }
        io.iontrap.analysis.estimate.Estimators.EnergyLevels lev = io.iontrap.analysis.estimate.Estimators.EnergyLevels.of(l);
        BoltzmannFit.Result r = BoltzmannFit.fit(counts, l.energies(), null, lev.levelOf(), lev.size(), 0.95);
        assertEquals(beta, r.beta().value(), 2e-3);
        BoltzmannFit.Result conf = BoltzmannFit.fit(counts, l.energies(), null, 0.95);
        assertTrue(conf.goodness().pValue() < 1e-6, "per-configuration Boltzmann sees the imbalance");
    }

    /**
     * Size of the likelihood-ratio test: under reversible dynamics it rejects at p < 0.05 in about
     * 5% of experiments (400 experiments offline: 4.0% at 0.05, 1.0% at 0.01; here 80 to stay fast).
     */
    @Test
    void falseAlarmRateIsNominal() {
        double[] times = {20, 60, 150, 400, 1000};
        SpinFlipRates truth = (i, dE) -> (i == 0 ? 0.02 : 0.007) / (1 + Math.exp(0.5 * dE));
        double[] p0 = {1, 0, 0, 0};
        double[][] p = new MasterEquationPropagator().evolve(PAIR, truth, p0, times);
        Parameters model = Parameters.withEta(1, 0.1, 1, 1, 1.3, -2.2);
        SplittableRandom seeds = new SplittableRandom(78);
        int reps = 80;
        int rejected = 0;
        for (int r = 0; r < reps; r++) {
            RunData run = Synthetic.run(model, times, p, 500, 0, null, seeds.nextLong());
            DetailedBalanceTest.Result res = new DetailedBalanceTest(PAIR, ShotCounts.of(run), p0, null,
                    new MasterEquationPropagator()).run(truth, 0.95);
            rejected += res.pValue() < 0.05 ? 1 : 0;
        }
        double rate = rejected / (double) reps;
        System.out.printf("detailed-balance test: false-alarm rate at 0.05 = %.3f over %d reversible experiments%n",
                rate, reps);
        assertTrue(rate <= 0.05 + 3.5 * Math.sqrt(0.0475 / reps), "rate " + rate);
    }
}
