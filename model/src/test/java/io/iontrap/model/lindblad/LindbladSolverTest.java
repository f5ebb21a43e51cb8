package io.iontrap.model.lindblad;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import org.junit.jupiter.api.Test;

/**
 * The full model against QuTiP 4.7 (bench/lindblad_qutip.py, constants below) and the published
 * p_full of physics.md §7. Configuration index: bit i = spin i, 1 = σ_i = +1, so with two spins
 * index 1 = (spin0 up, spin1 down) = ↑↓ and index 2 = ↓↑.
 */
class LindbladSolverTest {
    static final double[] G2 = {1.3, -2.2};
    /** η = 10: γ = 11. */
    static final Parameters ETA10 = Parameters.of(1.0, 0.1, 1.0, 11.0, G2);
    static final Parameters ETA1 = Parameters.of(1.0, 0.1, 1.0, 2.0, G2);
    static final Parameters N3 = Parameters.of(1.0, 0.3, 0.5, 3.0, 0.9, -0.6, 1.4);

    // /usr/bin/python3 bench/lindblad_qutip.py early n3 --atol 1e-14 --rtol 1e-12 (mesolve)
    static final double[] EARLY_T = {0.0, 0.05, 0.3, 1.0, 5.0, 20.0};
    static final double[][] EARLY_P = {
        {1.0, 0.0, 0.0, 0.0},
        {0.9999501346455358, 2.496451391856625e-05, 2.4900218886270886e-05, 6.21659460081017e-10},
        {0.9983375179477593, 0.0008615501268196491, 0.0008002360516704796, 6.958737507396285e-07},
        {0.9871423097605261, 0.007515653622653403, 0.005296031680719046, 4.600493610159212e-05},
        {0.9057036890781492, 0.060924787105793264, 0.030526440690020487, 0.0028450831260377492},
        {0.6785646347282825, 0.1965795670059641, 0.09472980141917936, 0.03012599684658914}};
    static final double[] EARLY_N = {0.0, 0.04093219738550813, 0.114619438483842, 0.13481431390601475,
        0.1696136721970306, 0.2582421972768546};
    static final double[] N3_T = {0.0, 0.5, 2.0, 10.0};
    static final double[][] N3_P = {
        {1.0, 0, 0, 0, 0, 0, 0, 0},
        {0.939497800878083, 0.02004884497693116, 0.02080050721152239, 0.00044545566517244044,
            0.018389143442992962, 0.00039915068784903736, 0.0004101752823971174, 8.921855051770254e-06},
        {0.638456321168558, 0.09351132808441923, 0.13605586782971663, 0.030258879391211795,
            0.05690082737152831, 0.019046796536224094, 0.018546298658584273, 0.007223680959758969},
        {0.33260652478943314, 0.07430132938557675, 0.2664086466296484, 0.07161848070114203,
            0.06823620927804935, 0.07964942510530526, 0.039749562595449206, 0.06742982151539953}};
    static final double[] N3_N = {0.0, 0.5325064284619009, 1.4545026237821275, 1.745121389309909};
    // same script, --steady (qutip.steadystate, direct)
    static final double[] SMALL_STEADY_P = {0.24349064708625967, 0.2565093529137326, 0.25650935291373383,
        0.24349064708627416};
    static final double SMALL_STEADY_N = 0.3565542735618341;
    static final double[] N3_STEADY_P = {0.0955239172520557, 0.04360494168497497, 0.29821770816861326,
        0.06265343289433441, 0.06265343289433709, 0.2982177081686635, 0.04360494168497263, 0.09552391725204558};
    static final double N3_STEADY_N = 2.3011423452412854;
    // eta10 problem (nmax 15, t = 0..300 step 10), mesolve at atol 1e-13, rtol 1e-11: a few rows
    static final double[] ETA10_T = {0, 10, 150, 300};
    static final double[][] ETA10_P = {
        {1.0, 0.0, 0.0, 0.0},
        {0.8172431841519485, 0.11659363353754597, 0.056178876328212536, 0.009984305982297458},
        {0.2743310375741846, 0.2837265254200294, 0.22844190678801105, 0.2135005302177879},
        {0.24677182748370302, 0.26007784030974335, 0.2529357879506725, 0.24021454425589825}};

    static void assertPopulations(double[][] expected, double[][] actual, double tol) {
        for (int k = 0; k < expected.length; k++) {
            assertArrayEquals(expected[k], actual[k], tol, "populations at output " + k);
        }
    }

    @Test
    void earlyTransientAndLaterTimesMatchQutip() {
        LindbladEvolution e = LindbladSolver.evolve(ETA10, 0, BosonInit.VACUUM, EARLY_T, 8, 1e-11, 1e-9);
        assertPopulations(EARLY_P, e.populations(), 1e-8);
        assertArrayEquals(EARLY_N, e.bosonNumber(), 1e-8);
    }

    @Test
    void threeSpinsMatchQutip() {
        LindbladEvolution e = LindbladSolver.evolve(N3, 0, BosonInit.VACUUM, N3_T, 10, 1e-11, 1e-9);
        assertPopulations(N3_P, e.populations(), 1e-8);
        assertArrayEquals(N3_N, e.bosonNumber(), 1e-7);
    }

    @Test
    void steadyStatesMatchQutip() {
        LindbladSteadyState s = LindbladSolver.steadyState(ETA10, 8, 1e-11);
        assertArrayEquals(SMALL_STEADY_P, s.populations(), 1e-8);
        assertEquals(SMALL_STEADY_N, s.bosonNumber(), 1e-8);
        assertTrue(s.residual() <= 1e-11);
        LindbladSteadyState s3 = LindbladSolver.steadyState(N3, 10, 1e-11);
        assertArrayEquals(N3_STEADY_P, s3.populations(), 1e-8);
        assertEquals(N3_STEADY_N, s3.bosonNumber(), 1e-7);
    }

    @Test
    void eta10ProblemMatchesTightQutipWithInvariants() {
        double[] times = new double[31];
        for (int k = 0; k < times.length; k++) {
            times[k] = 10.0 * k;
        }
        LindbladEvolution e = LindbladSolver.evolve(ETA10, 0, BosonInit.VACUUM, times, 15, 1e-10, 1e-8);
        for (int k = 0; k < ETA10_T.length; k++) {
            int idx = (int) Math.round(ETA10_T[k] / 10);
            assertArrayEquals(ETA10_P[k], e.populations()[idx], 1e-8, "t = " + ETA10_T[k]);
        }
        for (int k = 0; k < times.length; k++) {
            assertEquals(0, e.traceDefect()[k], 1e-9, "trace at t = " + times[k]);
            assertTrue(e.hermiticityDefect()[k] < 1e-12, "Hermitian at t = " + times[k]);
            for (double p : e.populations()[k]) {
                assertTrue(p > -1e-10, "positive populations at t = " + times[k]);
            }
            assertTrue(e.minimumDiagonal()[k] > -1e-10, "positive Fock populations at t = " + times[k]);
            assertTrue(e.truncation()[k] < 1e-9, "nmax 15 is ample at eta 10");
        }
        assertTrue(e.warnings().isEmpty(), e.warnings().toString());
        // <E> from the Ising landscape
        double[] energies = IsingLandscape.of(ETA10).energies();
        double expected = 0;
        for (int s = 0; s < 4; s++) {
            expected += energies[s] * e.populations()[30][s];
        }
        assertEquals(expected, e.meanEnergy()[30], 1e-12);
    }

    @Test
    void eta1ProblemReproducesThePublishedFullModelPopulations() {
        double[] times = {0, 1000, 2000};
        LindbladEvolution e = LindbladSolver.evolve(ETA1, 0, BosonInit.VACUUM, times, 40, 1e-10, 1e-8);
        double[] p = e.populations()[2];
        // published (↓↓, ↓↑, ↑↓, ↑↑) = (0.0049, 0.3876, 0.6032, 0.0043); ↓↑ = index 2, ↑↓ = index 1
        assertEquals(0.0049, p[0], 0.5e-4);
        assertEquals(0.3876, p[2], 0.5e-4);
        assertEquals(0.6032, p[1], 0.5e-4);
        assertEquals(0.0043, p[3], 0.5e-4);
        // the two ground configurations end with 99% of the population (cooling)
        assertTrue(p[1] + p[2] > 0.99);
        // truncation: the top level carries ~3e-5 at nmax = 40
        assertTrue(e.truncation()[2] > 1e-6 && e.truncation()[2] < 1e-4, "top level " + e.truncation()[2]);
    }

    @Test
    void populationsConvergeAsTheCutoffGrowsAndTolerancesTighten() {
        double[] times = {0, 100, 300};
        double[] previousDiff = {Double.POSITIVE_INFINITY};
        double[][] last = {null};
        // eta = 10: the top-level population falls ~ 10x per extra level; the populations follow
        double[] ref = LindbladSolver.evolve(ETA10, 0, BosonInit.VACUUM, times, 16, 1e-12, 1e-10).populations()[2];
        for (int n : new int[] {6, 9, 12}) {
            double[] p = LindbladSolver.evolve(ETA10, 0, BosonInit.VACUUM, times, n, 1e-12, 1e-10).populations()[2];
            double diff = 0;
            for (int s = 0; s < 4; s++) {
                diff = Math.max(diff, Math.abs(p[s] - ref[s]));
            }
            assertTrue(diff < previousDiff[0], "n_max " + n + ": " + diff);
            previousDiff[0] = diff;
            last[0] = p;
        }
        assertTrue(previousDiff[0] < 1e-8, "n_max 12 vs 16: " + previousDiff[0]);
        // tolerances: the error against a tight run shrinks with atol
        double[] tight = LindbladSolver.evolve(ETA10, 0, BosonInit.VACUUM, times, 10, 1e-13, 1e-11).populations()[1];
        double prev = Double.POSITIVE_INFINITY;
        for (double atol : new double[] {1e-5, 1e-8, 1e-11}) {
            double[] p = LindbladSolver.evolve(ETA10, 0, BosonInit.VACUUM, times, 10, atol, 100 * atol).populations()[1];
            double diff = 0;
            for (int s = 0; s < 4; s++) {
                diff = Math.max(diff, Math.abs(p[s] - tight[s]));
            }
            assertTrue(diff <= Math.max(10 * atol, 1e-12) && diff <= prev, "atol " + atol + ": " + diff);
            prev = diff;
        }
    }

    @Test
    void sectorBosonStartsInTheDisplacedThermalState() {
        // all down: M = -(1.3 - 2.2) = 0.9; |alpha|^2 = 4 M^2/(4 + eta^2), n_th = kappa/(gamma - kappa)
        double[] times = {0, 5};
        LindbladEvolution e = LindbladSolver.evolve(ETA10.withCouplings(G2), 0, BosonInit.SECTOR, times, 15, 1e-11, 1e-9);
        double alpha2 = 4 * 0.81 / (4 + 100);
        assertEquals(alpha2 + 0.1, e.bosonNumber()[0], 1e-9);
        assertEquals(1.0, e.populations()[0][0], 1e-12);
    }

    @Test
    void withoutDriveTheSectorsAreFrozen() {
        Parameters p = Parameters.of(1.0, 0.0, 1.0, 2.0, G2);
        LindbladEvolution e = LindbladSolver.evolve(p, 3, BosonInit.VACUUM, new double[] {0, 3, 50}, 45, 1e-10, 1e-8);
        assertArrayEquals(new double[] {0, 0, 0, 1}, e.populations()[2], 1e-10);
        // the boson relaxes to the sector's displaced thermal state: M(↑↑) = 1.3 - 2.2 = -0.9
        assertEquals(4 * 0.81 / 5 + 1, e.bosonNumber()[2], 1e-8);
    }

    @Test
    void tooSmallCutoffRaisesTheTruncationWarning() {
        LindbladEvolution e = LindbladSolver.evolve(ETA1, 0, BosonInit.VACUUM, new double[] {0, 20}, 6, 1e-8, 1e-6);
        assertTrue(e.warnings().stream().anyMatch(w -> w.contains("truncation")), e.warnings().toString());
    }

    @Test
    void automaticCutoffCoversTheLargestSector() {
        // displaced thermal distribution: normalised, mean |alpha|^2 + n_th
        double[] pn = LindbladSolver.displacedThermal(9.8, 1.0, 400);
        double sum = 0;
        double mean = 0;
        for (int n = 0; n < pn.length; n++) {
            sum += pn[n];
            mean += n * pn[n];
        }
        assertEquals(1, sum, 1e-12);
        assertEquals(10.8, mean, 1e-9);
        int n10 = LindbladSolver.automaticCutoff(ETA10, 1e-8);
        int n1 = LindbladSolver.automaticCutoff(ETA1, 1e-8);
        assertTrue(n10 >= 8 && n10 <= 16, "eta 10: " + n10);
        assertTrue(n1 > 40 && n1 < 90, "eta 1: " + n1);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class,
                () -> LindbladSolver.evolve(ETA10, 4, BosonInit.VACUUM, new double[] {1}, 5, 1e-8, 1e-6));
        assertThrows(IllegalArgumentException.class,
                () -> LindbladSolver.evolve(ETA10, 0, BosonInit.VACUUM, new double[] {2, 1}, 5, 1e-8, 1e-6));
        assertThrows(IllegalArgumentException.class,
                () -> LindbladSolver.evolve(ETA10, 0, BosonInit.VACUUM, new double[] {1}, 5, 0, 1e-6));
    }
}
