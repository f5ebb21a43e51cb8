package io.iontrap.analysis.estimate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.analysis.Synthetic;
import io.iontrap.analysis.data.RunData;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EstimatorsTest {
    @Test
    void jeffreysMatchesPhysicsSheet() {
        assertEquals(0.5 / 11, Jeffreys.estimate(0, 10), 1e-15);
        assertEquals(10.5 / 11, Jeffreys.estimate(10, 10), 1e-15);
        double p = 3.5 / 11;
        assertEquals(p * (1 - p) / 12, Jeffreys.variance(3, 10), 1e-15);
        double[] ci = Jeffreys.interval(0, 10, 0.95);
        assertEquals(0, ci[0]);
        assertTrue(ci[1] > 0.1 && ci[1] < 0.3, "finite error bar at k = 0: " + ci[1]);
        // Beta(3.5, 7.5) quantiles (scipy.stats.beta.ppf): 0.092695 and 0.605818
        double[] mid = Jeffreys.interval(3, 10, 0.95);
        assertEquals(0.092695, mid[0], 2e-6);
        assertEquals(0.605818, mid[1], 2e-6);
    }

    @Test
    void detectionCorrectionIsTheKroneckerProductAndItsInverse() {
        double[][] err = {{0.02, 0.05}, {0.1, 0.01}, {0.0, 0.2}};
        DetectionCorrection dc = new DetectionCorrection(err);
        double[] p = {0.3, 0.05, 0.1, 0.2, 0.05, 0.1, 0.15, 0.05};
        // brute force: q_obs = Σ_true Π_i P(read bit | true bit)
        double[] q = new double[8];
        for (int obs = 0; obs < 8; obs++) {
            for (int tr = 0; tr < 8; tr++) {
                double w = 1;
                for (int i = 0; i < 3; i++) {
                    int o = (obs >> i) & 1;
                    int t = (tr >> i) & 1;
                    double flip = t == 0 ? err[i][0] : err[i][1];
                    w *= o == t ? 1 - flip : flip;
                }
                q[obs] += w * p[tr];
            }
        }
        assertArrayEquals(q, dc.forward(p), 1e-15);
        assertArrayEquals(p, dc.invert(q), 1e-14);
        assertArrayEquals(p, dc.maximumLikelihood(new int[] {
                (int) Math.round(q[0] * 1e6), (int) Math.round(q[1] * 1e6), (int) Math.round(q[2] * 1e6),
                (int) Math.round(q[3] * 1e6), (int) Math.round(q[4] * 1e6), (int) Math.round(q[5] * 1e6),
                (int) Math.round(q[6] * 1e6), (int) Math.round(q[7] * 1e6)}, 3000), 2e-3);
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8};
        double lhs = 0;
        double rhs = 0;
        double[] fv = dc.forward(v);
        double[] ap = dc.adjoint(p);
        for (int s = 0; s < 8; s++) {
            lhs += p[s] * fv[s];
            rhs += ap[s] * v[s];
        }
        assertEquals(lhs, rhs, 1e-12, "adjoint is the transpose");
    }

    @Test
    void energyLevelsGroupDegenerateConfigurations() {
        IsingLandscape l = new IsingLandscape(1.0, 1.0, 1.0);
        Estimators.EnergyLevels lev = Estimators.EnergyLevels.of(l);
        assertEquals(2, lev.size());
        assertArrayEquals(new int[] {2, 6}, lev.degeneracy());
        assertEquals(l.groundEnergy(), lev.energies()[0], 1e-12);
    }

    @Test
    void magnetisationAndMeanEnergyOfADeterministicRun() {
        long[][] shots = {{0b01, 0b01, 0b01, 0b01}};
        RunData run = RunData.builder(2).schedule(new double[] {0}, new int[] {4}).shots(shots).build();
        Estimate[][] m = Estimators.magnetisations(run, 0.95);
        assertEquals(2 * 4.5 / 5 - 1, m[0][0].value(), 1e-15);
        assertEquals(1, m[0][0].hi(), 1e-15);
        assertEquals(-(2 * 4.5 / 5 - 1), m[0][1].value(), 1e-15);
        Estimate[] e = Estimators.meanEnergy(run, new IsingLandscape(1, 2), 0.95);
        assertEquals(new IsingLandscape(1, 2).energy(0b01), e[0].value(), 1e-15);
        assertTrue(e[0].hi() > e[0].value() && e[0].lo() < e[0].value(), "identical shots still get an error bar");
    }

    /**
     * Calibration: over repeated seeded synthetic experiments, 95% intervals cover the truth 95%
     * of the time within binomial error. Populations (Jeffreys), magnetisations, mean energy and
     * detection-corrected populations (delta method).
     */
    @Test
    void intervalsAreCalibrated() {
        double[] p = {0.32, 0.02, 0.11, 0.05, 0.2, 0.08, 0.005, 0.215};
        double[][] err = {{0.03, 0.06}, {0.05, 0.02}, {0.01, 0.04}};
        DetectionCorrection dc = new DetectionCorrection(err);
        IsingLandscape land = new IsingLandscape(1.1, -0.7, 0.5);
        double trueE = 0;
        double[] trueM = new double[3];
        for (int s = 0; s < 8; s++) {
            trueE += p[s] * land.energy(s);
            for (int i = 0; i < 3; i++) {
                trueM[i] += p[s] * IsingLandscape.spin(s, i);
            }
        }
        int reps = 800;
        int shots = 300;
        SplittableRandom rnd = new SplittableRandom(20261125L);
        int pop = 0;
        int popN = 0;
        int mag = 0;
        int magN = 0;
        int en = 0;
        int cor = 0;
        int corN = 0;
        int family = 0;
        for (int r = 0; r < reps; r++) {
            RunData run = RunData.builder(3).schedule(new double[] {0}, new int[] {shots})
                    .shots(new long[][] {Synthetic.sample(p, shots, null, rnd)}).build();
            ShotCounts c = ShotCounts.of(run);
            Estimate[][] est = Estimators.populations(c, 0.95);
            for (int s = 0; s < 8; s++) {
                pop += est[0][s].covers(p[s]) ? 1 : 0;
                popN++;
            }
            Estimate[][] sim = Estimators.populations(c, 0.95, true);
            boolean all = true;
            for (int s = 0; s < 8; s++) {
                all &= sim[0][s].covers(p[s]);
            }
            family += all ? 1 : 0;
            Estimate[][] m = Estimators.magnetisations(run, 0.95);
            for (int i = 0; i < 3; i++) {
                mag += m[0][i].covers(trueM[i]) ? 1 : 0;
                magN++;
            }
            en += Estimators.meanEnergy(run, land, 0.95)[0].covers(trueE) ? 1 : 0;
            long[] noisy = Synthetic.sample(p, shots, err, rnd);
            int[] k = new int[8];
            for (long s : noisy) {
                k[(int) s]++;
            }
            double[] f = new double[8];
            for (int s = 0; s < 8; s++) {
                f[s] = k[s] / (double) shots;
            }
            Estimate[] corr = dc.correct(f, shots, 0.95);
            for (int s = 0; s < 8; s++) {
                if (p[s] >= 0.05) { // the normal approximation is for populations not at the boundary
                    cor += corr[s].covers(p[s]) ? 1 : 0;
                    corN++;
                }
            }
        }
        double popCov = pop / (double) popN;
        double magCov = mag / (double) magN;
        double enCov = en / (double) reps;
        double corCov = cor / (double) corN;
        double famCov = family / (double) reps;
        System.out.printf("coverage of 95%% intervals: populations %.4f (%d), magnetisations %.4f (%d), "
                + "<E> %.4f (%d), SPAM-corrected populations %.4f (%d), all 8 simultaneous (Bonferroni) %.4f (%d)%n",
                popCov, popN, magCov, magN, enCov, reps, corCov, corN, famCov, reps);
        assertTrue(famCov >= 0.95 - 3.5 * Math.sqrt(0.0475 / reps), "simultaneous intervals hold jointly: " + famCov);
        // binomial standard error of a coverage from m intervals, sqrt(.95 .05 / m); allow 3.5 SE
        // (intervals within one experiment are correlated, which inflates the spread a little)
        assertEquals(0.95, popCov, 3.5 * Math.sqrt(0.0475 / reps) + 0.005, "populations");
        assertEquals(0.95, magCov, 3.5 * Math.sqrt(0.0475 / reps) + 0.005, "magnetisations");
        assertEquals(0.95, enCov, 3.5 * Math.sqrt(0.0475 / reps), "mean energy");
        assertEquals(0.95, corCov, 3.5 * Math.sqrt(0.0475 / reps) + 0.005, "corrected populations");
    }

    @Test
    void syntheticRunHelperBuildsAValidRun() {
        Parameters model = Parameters.withEta(1, 0.1, 1, 1, 1.3, -2.2);
        RunData run = Synthetic.run(model, new double[] {0, 1}, new double[][] {{1, 0, 0, 0}, {0, 0, 0, 1}}, 10, 0,
                null, 1);
        assertArrayEquals(new long[10], run.shots(0));
        assertEquals(3, run.shots(1)[0]);
    }
}
