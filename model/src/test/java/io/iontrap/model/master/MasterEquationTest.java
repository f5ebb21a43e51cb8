package io.iontrap.model.master;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import io.iontrap.model.rates.RateAsymptotics;
import java.util.Random;
import org.apache.commons.math3.distribution.PoissonDistribution;
import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import org.junit.jupiter.api.Test;

class MasterEquationTest {
    static final double[] G8 = {0.83, -1.41, 2.27, -0.35, 1.92, -2.64, 0.57, 1.18};
    static final double[] R8 = {0.010, 0.030, 0.002, 0.020, 0.007, 0.015, 0.025, 0.004};

    static double maxAbsDiff(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int k = 0; k < a.length; k++) {
            d = Math.max(d, Math.abs(a[k] - b[k]));
        }
        return d;
    }

    static double maxRelDiff(double[] a, double[] ref) {
        double d = 0;
        for (int k = 0; k < a.length; k++) {
            d = Math.max(d, Math.abs(a[k] / ref[k] - 1));
        }
        return d;
    }

    static void assertDistribution(double[] p, double tol) {
        double s = 0;
        for (double x : p) {
            assertTrue(x >= 0, "p >= 0, got " + x);
            s += x;
        }
        assertEquals(1.0, s, tol, "sum p = 1");
    }

    static void assertMirrorSymmetric(double[] p, int n, double tol) {
        int mask = (1 << n) - 1;
        for (int s = 0; s < p.length; s++) {
            assertEquals(p[s], p[s ^ mask], tol * Math.max(p[s], Double.MIN_NORMAL), "pi(sigma) = pi(-sigma)");
        }
    }

    // ------------------------------------------------------------- stationary state

    @Test
    void glauberAndMetropolisStationaryStatesAreBoltzmann() {
        double beta = 0.7;
        double[] boltzmann = Reference.boltzmann(G8, beta);
        for (SpinFlipRates w : new SpinFlipRates[] {Reference.glauber(R8, beta), Reference.metropolis(R8, beta)}) {
            MasterEquation me = new MasterEquation(new IsingLandscape(G8), w);
            MasterEquation.Stationary st = me.stationarySolution();
            assertTrue(maxRelDiff(st.distribution(), boltzmann) < 1e-11,
                    "relative error " + maxRelDiff(st.distribution(), boltzmann));
            assertTrue(st.relativeResidual() < 1e-12, "residual " + st.relativeResidual());
            assertDistribution(st.distribution(), 1e-13);
        }
    }

    @Test
    void stiffSmallJumpStationaryIsBoltzmannAtBetaEff() {
        // Eq. (S14) rates are exactly detailed-balanced with beta_eff; at eta = 0.1, g in [-3, 3], N = 10
        // they span 8 decades and pi spans 6.
        double[] g = Reference.uniformCouplings(10, 3, 42);
        Parameters p = Reference.paper(0.1, g);
        SpinFlipRates w = Reference.smallJump(p);
        MasterEquation me = new MasterEquation(new IsingLandscape(g), w);
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (int s = 0; s < me.states(); s++) {
            for (int i = 0; i < 10; i++) {
                lo = Math.min(lo, me.flipRate(s, i));
                hi = Math.max(hi, me.flipRate(s, i));
            }
        }
        assertTrue(hi / lo > 1e7, "rates should span many decades: " + lo + " .. " + hi);
        MasterEquation.Stationary st = me.stationarySolution();
        double[] ref = Reference.boltzmann(g, RateAsymptotics.betaEff(p));
        assertTrue(maxRelDiff(st.distribution(), ref) < 1e-10, "relative error " + maxRelDiff(st.distribution(), ref));
        assertTrue(st.relativeResidual() < 1e-12, "residual " + st.relativeResidual());
    }

    @Test
    void stiffNonEquilibriumStationaryMatchesGth() {
        // Small-jump Gaussian plus power-law tail: no detailed balance, rates over many decades,
        // and a glassy relaxation (t = 1e6 is not enough to reach pi). Lumped Gauss-Seidel vs a
        // full-space (2^10 states) GTH elimination on a dense generator built independently.
        double[] g = Reference.uniformCouplings(10, 3, 42);
        Parameters p = Reference.paper(0.1, g);
        SpinFlipRates w = Reference.smallJumpWithTail(p);
        MasterEquation me = new MasterEquation(new IsingLandscape(g), w);
        MasterEquation.Stationary st = me.stationarySolution();
        assertTrue(st.sweeps() > 0, "the tree start is not exact without detailed balance");
        double[] ref = Reference.gth(Reference.rateMatrix(g, w));
        double[] pi = st.distribution();
        assertTrue(maxRelDiff(pi, ref) < 1e-9, "relative error " + maxRelDiff(pi, ref));
        assertTrue(st.relativeResidual() < 1e-12, "residual " + st.relativeResidual());
        assertEquals(st.relativeResidual(), me.relativeResidual(pi), 1e-20);
        assertTrue(st.residual() > 0 && st.residual() < 1e-12 * me.maxExitRate(), "|Q pi|_1 = " + st.residual());
        assertDistribution(pi, 1e-13);
        assertMirrorSymmetric(pi, 10, 1e-12);
        // the reference itself knows nothing of the symmetry
        assertMirrorSymmetric(ref, 10, 1e-8);
    }

    @Test
    void ratesOverFortyDecadesWithoutDetailedBalanceMatchGth() {
        // g uniform in [-8, 8]: small-jump rates times a spin-dependent asymmetric factor span ~46
        // decades and pi ~45; every state must still agree with GTH to a relative 1e-10.
        double[] g = Reference.uniformCouplings(10, 8, 42);
        Parameters p = Reference.paper(0.1, g);
        SpinFlipRates w = (i, dE) -> RateAsymptotics.smallJump(p, g[i], dE) * (1 + 0.5 * Math.sin(dE + i));
        MasterEquation me = new MasterEquation(new IsingLandscape(g), w);
        double[] ref = Reference.gth(Reference.rateMatrix(g, w));
        double min = 1;
        for (double x : ref) {
            min = Math.min(min, x);
        }
        assertTrue(min < 1e-40, "pi spans many decades: min " + min);
        MasterEquation.Stationary st = me.stationarySolution();
        assertTrue(maxRelDiff(st.distribution(), ref) < 1e-10, "relative error " + maxRelDiff(st.distribution(), ref));
        assertTrue(st.relativeResidual() < 1e-12, "residual " + st.relativeResidual());
    }

    @Test
    void probabilitiesBelowTheDoubleRangeAreHandled() {
        // g in [-6, 6], beta = 5: pi spans more than 320 decades, so some states underflow to 0.
        double[] g = Reference.uniformCouplings(10, 6, 42);
        double[] r = new double[10];
        java.util.Arrays.fill(r, 0.02);
        double[] boltzmann = Reference.boltzmann(g, 5);
        MasterEquation glauber = new MasterEquation(new IsingLandscape(g), Reference.glauber(r, 5));
        double[] pi = glauber.stationary();
        int zeros = 0;
        for (int s = 0; s < pi.length; s++) {
            if (boltzmann[s] == 0) {
                zeros++;
            } else if (boltzmann[s] > 1e-250) {
                assertEquals(1, pi[s] / boltzmann[s], 1e-10);
            }
        }
        assertTrue(zeros > 100, "underflowing states: " + zeros);
        MasterEquation.Stationary st = new MasterEquation(new IsingLandscape(g), Reference.asymmetric(r, 5))
                .stationarySolution();
        assertDistribution(st.distribution(), 1e-13);
        assertMirrorSymmetric(st.distribution(), 10, 1e-12);
        assertTrue(st.relativeResidual() < 1e-12, "residual " + st.relativeResidual());
    }

    @Test
    void lumpedSolveAgreesWithFullSpaceSolveForAsymmetricRates() {
        MasterEquation me = new MasterEquation(new IsingLandscape(G8), Reference.asymmetric(R8, 0.8));
        double[] pi = me.stationary();
        double[] ref = Reference.gth(Reference.rateMatrix(G8, Reference.asymmetric(R8, 0.8)));
        assertTrue(maxRelDiff(pi, ref) < 1e-10, "relative error " + maxRelDiff(pi, ref));
        assertMirrorSymmetric(pi, 8, 1e-12);
        assertTrue(me.relativeResidual(pi) < 1e-12);
    }

    @Test
    void krylovAccelerationAgreesWithPlainSweepsInFewerSweeps() {
        double[] g = Reference.uniformCouplings(11, 3, 11);
        SpinFlipRates w = Reference.smallJumpWithTail(Reference.paper(0.1, g));
        MasterEquation me = new MasterEquation(new IsingLandscape(g), w);
        MasterEquation.Stationary plain = me.stationarySolution(1e-12, 100_000, 0);
        MasterEquation.Stationary fast = me.stationarySolution(1e-12, 100_000, StationarySolver.KRYLOV_DIMENSION);
        assertTrue(maxRelDiff(fast.distribution(), plain.distribution()) < 1e-10);
        assertTrue(fast.sweeps() < plain.sweeps() / 2, fast.sweeps() + " vs " + plain.sweeps());
        assertThrows(IllegalStateException.class, () -> me.stationarySolution(1e-12, 4));
    }

    @Test
    void aFastSpinDoesNotStallTheSolver() {
        // Eq. (3) grows as g -> 0: at N = 24 a coupling g = -0.025 among |g| ~ 1-3 made one spin flip
        // 10^3-10^4 times faster than the others, and pointwise Gauss-Seidel stalled. Here two spins
        // flip 10^6 and 10^4 times faster than the rest, without detailed balance; the state must
        // still match an independent full-space GTH elimination in every configuration.
        double[] g = Reference.uniformCouplings(10, 3, 7);
        double[] speed = {1, 1, 1e6, 1, 1, 1, 1, 1, 1, 1e4};
        Parameters p = Reference.paper(0.1, g);
        SpinFlipRates w = (i, dE) -> speed[i] * RateAsymptotics.smallJump(p, g[i], dE) * (1 + 0.5 * Math.sin(dE + i));
        MasterEquation me = new MasterEquation(new IsingLandscape(g), w);
        double[] ref = Reference.gth(Reference.rateMatrix(g, w));
        MasterEquation.Stationary st = me.stationarySolution(1e-12, 2000);
        assertTrue(maxRelDiff(st.distribution(), ref) < 1e-9, "relative error " + maxRelDiff(st.distribution(), ref));
        assertTrue(st.relativeResidual() < 1e-12, "residual " + st.relativeResidual());
        assertDistribution(st.distribution(), 1e-13);
        assertMirrorSymmetric(st.distribution(), 10, 1e-12);
    }

    @Test
    void eq3RatesWithATinyCouplingMatchGth() {
        // The rates of the N = 24 chain that once stalled the solver, at N = 8: Eq. (3) at eta = 0.1
        // with one coupling g = -0.025, whose spin flips ~10^3 times faster than the others.
        // Against full-space GTH.
        double[] g = G8.clone();
        g[5] = -0.025;
        Parameters p = Reference.paper(0.1, g);
        SpinFlipRates w = new io.iontrap.model.rates.FlipRates(p);
        MasterEquation me = new MasterEquation(new IsingLandscape(g), w);
        double fast = 0;
        double slow = 0;
        for (int s = 0; s < me.states(); s++) {
            fast = Math.max(fast, me.flipRate(s, 5));
            slow = Math.max(slow, me.flipRate(s, 0));
        }
        assertTrue(fast > 300 * slow, "spin 5 flips fast: " + fast + " vs " + slow);
        double[] ref = Reference.gth(Reference.rateMatrix(g, w));
        MasterEquation.Stationary st = me.stationarySolution();
        assertTrue(maxRelDiff(st.distribution(), ref) < 1e-9, "relative error " + maxRelDiff(st.distribution(), ref));
        assertTrue(st.relativeResidual() < 1e-12, "residual " + st.relativeResidual());
    }

    @Test
    void physicsSheetCoolingNumbersAreReproducedByTheEquilibriumLimit() {
        // physics.md §7, N = 8 at eta = 0.1: <E>_stat = -22.80 with the real Eq. (3) rates. Small-jump
        // rates are only its Gaussian approximation: Boltzmann at beta_eff = 0.3795 must land nearby.
        Parameters p = Reference.paper(0.1, G8);
        MasterEquation me = new MasterEquation(new IsingLandscape(G8), Reference.smallJump(p));
        double e = me.meanEnergy(me.stationary());
        assertEquals(me.meanEnergy(Reference.boltzmann(G8, RateAsymptotics.betaEff(p))), e, 1e-10);
        assertEquals(-22.8, e, 1.5);
    }

    // ------------------------------------------------------------- time evolution

    @Test
    void singleSpinRelaxesAsTheTwoStateClosedForm() {
        // N = 1: Delta E = 0 for both states, so both flips have rate w and
        // p_down(t) = (1 + exp(-2wt))/2 from all down.
        double w = 0.03;
        MasterEquation me = new MasterEquation(new IsingLandscape(0.9), (i, dE) -> w * (1 + dE * dE));
        double[] times = {0, 1, 10, 50, 2000};
        double[][] p = me.evolve(times);
        double[][] reversed = me.evolve(new double[] {2000, 50, 10, 1, 0});
        for (int j = 0; j < times.length; j++) {
            assertEquals(p[j][0], reversed[times.length - 1 - j][0], 1e-15, "times in any order");
        }
        for (int j = 0; j < times.length; j++) {
            double down = 0.5 * (1 + Math.exp(-2 * w * times[j]));
            assertEquals(down, p[j][0], 1e-13, "t = " + times[j]);
            assertEquals(1 - down, p[j][1], 1e-13, "t = " + times[j]);
        }
    }

    @Test
    void evolutionMatchesDormandPrince() {
        double[] g = {0.9, -1.6, 0.4, 1.2, -0.7};
        double[] r = {0.3, 0.1, 0.5, 0.2, 0.4};
        SpinFlipRates w = Reference.asymmetric(r, 0.9);
        MasterEquation me = new MasterEquation(new IsingLandscape(g), w);
        double[][] q = Reference.rateMatrix(g, w);
        int size = q.length;
        double[] p0 = new double[size];
        Random rnd = new Random(7);
        double s = 0;
        for (int k = 0; k < size; k++) {
            p0[k] = rnd.nextDouble();
            s += p0[k];
        }
        for (int k = 0; k < size; k++) {
            p0[k] /= s;
        }
        FirstOrderDifferentialEquations ode = new FirstOrderDifferentialEquations() {
            @Override
            public int getDimension() {
                return size;
            }

            @Override
            public void computeDerivatives(double t, double[] y, double[] dy) {
                java.util.Arrays.fill(dy, 0);
                for (int a = 0; a < size; a++) {
                    for (int b = 0; b < size; b++) {
                        if (q[a][b] != 0) {
                            dy[b] += q[a][b] * y[a];
                            dy[a] -= q[a][b] * y[a];
                        }
                    }
                }
            }
        };
        double[] times = {0.5, 3, 20, 60};
        double[][] p = me.evolve(p0, times);
        double[] meanE = me.meanEnergy(p0, times);
        double[] y = p0.clone();
        double t = 0;
        for (int j = 0; j < times.length; j++) {
            DormandPrince853Integrator dp = new DormandPrince853Integrator(1e-10, 10, 1e-15, 1e-13);
            dp.integrate(ode, t, y, times[j], y);
            t = times[j];
            assertTrue(maxAbsDiff(p[j], y) < 1e-11, "t = " + t + ": " + maxAbsDiff(p[j], y));
            assertDistribution(p[j], 1e-13);
            double e = 0;
            for (int k = 0; k < size; k++) {
                e += y[k] * Reference.pairEnergy(g, k);
            }
            assertEquals(e, meanE[j], 1e-10, "streamed <E>(t) at t = " + t);
        }
    }

    @Test
    void largeLambdaTEvolutionMatchesDormandPrince() {
        // N = 10, every spin at up to 0.03: Lambda ~ N*0.03, Lambda*t ~ 600 at t = 2000.
        double[] g = Reference.uniformCouplings(10, 1.5, 4);
        double[] r = new double[10];
        java.util.Arrays.fill(r, 0.03);
        SpinFlipRates w = Reference.asymmetric(r, 0.6);
        MasterEquation me = new MasterEquation(new IsingLandscape(g), w);
        assertTrue(me.maxExitRate() * 2000 > 300, "Lambda t = " + me.maxExitRate() * 2000);
        double[][] q = Reference.rateMatrix(g, w);
        int size = q.length;
        FirstOrderDifferentialEquations ode = new FirstOrderDifferentialEquations() {
            @Override
            public int getDimension() {
                return size;
            }

            @Override
            public void computeDerivatives(double t, double[] y, double[] dy) {
                java.util.Arrays.fill(dy, 0);
                for (int a = 0; a < size; a++) {
                    for (int i = 0; i < 10; i++) {
                        int b = a ^ (1 << i);
                        dy[b] += q[a][b] * y[a];
                        dy[a] -= q[a][b] * y[a];
                    }
                }
            }
        };
        double[] times = {100, 2000};
        double[][] p = me.evolve(0, times);
        double[] y = new double[size];
        y[0] = 1;
        double t = 0;
        for (int j = 0; j < times.length; j++) {
            new DormandPrince853Integrator(1e-8, 100, 1e-14, 1e-12).integrate(ode, t, y, times[j], y);
            t = times[j];
            assertTrue(maxAbsDiff(p[j], y) < 1e-10, "t = " + t + ": " + maxAbsDiff(p[j], y));
            assertDistribution(p[j], 1e-12);
        }
    }

    @Test
    void longTimeEvolutionReachesTheStationaryState() {
        double[] g = {0.5, -0.8, 0.3, 0.6, -0.4, 0.7};
        double[] r = {0.3, 0.1, 0.5, 0.2, 0.4, 0.25};
        MasterEquation me = new MasterEquation(new IsingLandscape(g), Reference.asymmetric(r, 1.2));
        double[] pi = me.stationary();
        double[][] p = me.evolve(new double[] {20, 5000});
        assertTrue(maxAbsDiff(p[1], pi) < 1e-11, "p(5000) vs pi: " + maxAbsDiff(p[1], pi));
        assertTrue(maxAbsDiff(p[0], pi) > 1e-4, "still relaxing at t = 20 (the test can fail)");
    }

    @Test
    void stiffEvolutionToT2000KeepsProbability() {
        // Lambda ~ N*0.03, Lambda*t ~ 600: the uniformisation series must stay normalised and positive.
        double[] g = Reference.uniformCouplings(10, 3, 42);
        Parameters p = Reference.paper(0.1, g);
        MasterEquation me = new MasterEquation(new IsingLandscape(g), Reference.smallJumpWithTail(p));
        assertTrue(me.maxExitRate() * 2000 > 50, "Lambda t = " + me.maxExitRate() * 2000);
        int start = 0b1011001110;
        double[][] ps = me.evolve(start, new double[] {0, 1, 100, 2000});
        assertEquals(1.0, ps[0][start]);
        for (double[] x : ps) {
            assertDistribution(x, 1e-12);
        }
        // by t = 2000 <E> has dropped below its start (cooling)
        double[] e = me.meanEnergies(ps);
        assertEquals(new IsingLandscape(g).energy(start), e[0], 1e-12);
        assertTrue(e[3] < e[0] - 0.5, java.util.Arrays.toString(e));
    }

    @Test
    void poissonWindowMatchesCommonsMathAndCoversTheMass() {
        for (double lambda : new double[] {0.3, 17.5, 600, 1e5}) {
            MasterEquation.PoissonWindow w = MasterEquation.PoissonWindow.of(lambda, 1e-15);
            PoissonDistribution ref = new PoissonDistribution(null, lambda, 1e-14, 10_000_000);
            double inside = ref.cumulativeProbability(w.right) - (w.left > 0 ? ref.cumulativeProbability(w.left - 1) : 0);
            assertEquals(1.0, inside, 1e-13, "lambda = " + lambda);
            double sum = 0;
            for (int k = w.left; k <= w.right; k++) {
                double pk = w.weights[k - w.left];
                sum += pk;
                assertEquals(ref.probability(k), pk, 1e-12 * ref.probability((int) lambda) + 1e-15,
                        "lambda = " + lambda + ", k = " + k);
            }
            assertEquals(1.0, sum, 1e-14);
            assertTrue(w.right - w.left < 20 * Math.sqrt(lambda) + 40, "window is tight: " + w.left + ".." + w.right);
        }
    }

    @Test
    void generatorConservesProbabilityAndMatchesTheDenseMatrix() {
        SpinFlipRates w = Reference.asymmetric(R8, 0.8);
        MasterEquation me = new MasterEquation(new IsingLandscape(G8), w);
        double[][] q = Reference.rateMatrix(G8, w);
        double[] x = new double[256];
        Random rnd = new Random(3);
        for (int k = 0; k < x.length; k++) {
            x[k] = rnd.nextDouble();
        }
        double[] y = new double[256];
        me.applyGenerator(x, y);
        double[] ref = new double[256];
        for (int a = 0; a < 256; a++) {
            for (int b = 0; b < 256; b++) {
                ref[b] += q[a][b] * x[a];
                ref[a] -= q[a][b] * x[a];
            }
        }
        assertTrue(maxAbsDiff(y, ref) < 1e-15, "Qx vs dense: " + maxAbsDiff(y, ref));
        double s = 0;
        for (double v : y) {
            s += v;
        }
        assertEquals(0, s, 1e-15);
    }

    // ------------------------------------------------------------- limits and observables

    @Test
    void refusesTooManySpinsNamingNAndTheLimit() {
        IsingLandscape l = new IsingLandscape(new double[25]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MasterEquation(l, (i, dE) -> 1));
        assertTrue(e.getMessage().contains("N = 25") && e.getMessage().contains("24"), e.getMessage());
    }

    @Test
    void refusesBadRatesAndDistributions() {
        IsingLandscape l = new IsingLandscape(1, 2);
        assertThrows(IllegalArgumentException.class, () -> new MasterEquation(l, (i, dE) -> -1));
        assertThrows(IllegalArgumentException.class, () -> new MasterEquation(l, (i, dE) -> Double.NaN));
        MasterEquation me = new MasterEquation(l, (i, dE) -> 1);
        assertThrows(IllegalArgumentException.class, () -> me.evolve(new double[] {0.5, 0.5, 0.5, 0}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> me.evolve(new double[] {1, 0}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> me.evolve(new double[] {-1}));
        MasterEquation frozen = new MasterEquation(l, (i, dE) -> dE < 0 ? 1 : 0);
        assertThrows(IllegalStateException.class, frozen::stationary);
    }

    @Test
    void meanEnergyOverTimeUsesTheLandscapeEnergies() {
        MasterEquation me = new MasterEquation(new IsingLandscape(G8), Reference.glauber(R8, 0.5));
        double[][] ps = me.evolve(new double[] {0, 100});
        double[] e = me.meanEnergies(ps);
        assertEquals(Reference.pairEnergy(G8, 0), e[0], 1e-12);
        double ref = 0;
        for (int s = 0; s < 256; s++) {
            ref += ps[1][s] * Reference.pairEnergy(G8, s);
        }
        assertEquals(ref, e[1], 1e-12);
        double[] h = me.energyHistogram(ps[1], -30, 10, 8);
        double total = 0;
        for (double x : h) {
            total += x;
        }
        assertEquals(1, total, 1e-13);
    }
}
