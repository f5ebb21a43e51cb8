package io.iontrap.analysis.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.analysis.Synthetic;
import io.iontrap.analysis.data.RunData;
import io.iontrap.analysis.estimate.ShotCounts;
import io.iontrap.analysis.fit.FitSpec.Parameter;
import io.iontrap.model.Parameters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PopulationFitTest {
    static final Parameters TRUTH = Parameters.withEta(1, 0.1, 1, 1.0, 1.3, -2.2, 0.8);
    static final double[] TIMES = {0, 100, 300, 700, 1500, 3000};

    static double[] start(int n) {
        double[] p0 = new double[1 << n];
        p0[0] = 1;
        return p0;
    }

    static ModelPrediction prediction(Parameters nominal) {
        return new ModelPrediction(nominal, RateModels.smallJump(), new Uniformization(), start(nominal.size()));
    }

    @Test
    void recoversOmegaEtaAndDetectionErrors() {
        double[][] p = prediction(TRUTH).populations(TRUTH.drive(), TRUTH.eta(), TIMES);
        double[][] err = {{0.03, 0.05}, {0.03, 0.05}, {0.03, 0.05}};
        RunData run = Synthetic.run(TRUTH, TIMES, p, 2000, 0, err, 42);
        // nominal model off by 30% in Omega and 40% in eta
        Parameters nominal = Parameters.withEta(1, 0.13, 1, 1.4, TRUTH.g());
        PopulationFit fit = new PopulationFit(ShotCounts.of(run), prediction(nominal), null);
        FitResult r = fit.fit(FitSpec.of(Parameter.OMEGA, Parameter.ETA, Parameter.SPAM));
        System.out.println("fit Omega, eta, spam: " + r.parameters() + " " + r.goodness() + " evals " + r.evaluations());
        assertTrue(r.get("Omega").covers(0.1), r.get("Omega").toString());
        assertTrue(r.get("eta").covers(1.0), r.get("eta").toString());
        assertTrue(r.get("e0").covers(0.03), r.get("e0").toString());
        assertTrue(r.get("e1").covers(0.05), r.get("e1").toString());
        assertEquals("fisher", r.get("Omega").method());
        assertTrue(r.goodness().pValue() > 0.001, r.goodness().toString());
        assertEquals(4, r.covariance().length);
    }

    @Test
    void aWrongModelIsFlaggedByTheGoodnessOfFit() {
        double[][] p = prediction(TRUTH).populations(TRUTH.drive(), TRUTH.eta(), TIMES);
        RunData run = Synthetic.run(TRUTH, TIMES, p, 2000, 0, null, 7);
        // wrong couplings: nothing Omega can fix
        Parameters wrong = Parameters.withEta(1, 0.1, 1, 1.0, 1.3, -1.2, 2.0);
        FitResult r = new PopulationFit(ShotCounts.of(run), prediction(wrong), null).fit(FitSpec.of(Parameter.OMEGA));
        assertTrue(r.goodness().pValue() < 1e-6, r.goodness().toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("does not describe the data")), r.warnings().toString());
    }

    /** Coverage of the 95% profile-likelihood interval of Omega over seeded synthetic experiments. */
    @Test
    void omegaProfileIntervalIsCalibrated() {
        Parameters truth = Parameters.withEta(1, 0.1, 1, 1.0, 1.3, -2.2);
        double[] times = {50, 200, 600, 1500};
        ModelPrediction model = prediction(truth);
        double[][] p = model.populations(0.1, 1.0, times);
        SplittableRandom seeds = new SplittableRandom(99);
        int reps = 300;
        int covered = 0;
        for (int r = 0; r < reps; r++) {
            RunData run = Synthetic.run(truth, times, p, 100, 0, null, seeds.nextLong());
            FitResult f = new PopulationFit(ShotCounts.of(run), model, null).fit(FitSpec.of(Parameter.OMEGA));
            covered += f.get("Omega").covers(0.1) ? 1 : 0;
        }
        double cov = covered / (double) reps;
        System.out.printf("coverage of the 95%% profile interval of Omega: %.4f over %d experiments%n", cov, reps);
        assertEquals(0.95, cov, 3.5 * Math.sqrt(0.0475 / reps));
    }
}
