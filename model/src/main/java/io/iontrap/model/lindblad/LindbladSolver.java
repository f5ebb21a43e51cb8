package io.iontrap.model.lindblad;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The full open-system model of Eqs. (1)-(2) with the boson truncated at Fock level n_max.
 *
 * <p>Time evolution: one shift-and-invert Krylov space K_m((L - s)⁻¹, ρ(0)) gives e^{tL}ρ(0) at
 * every requested time (the slow spin dynamics lives in a 2^N-dimensional invariant subspace, so
 * m stays near 2^N plus the few vectors the early transient needs). Each (L - s)⁻¹ is a GMRES
 * solve preconditioned by exact banded LU factors of the block-diagonal part L0 (one per pair of
 * configurations), so the cost does not depend on the fast boson scale ω n_max or γ n_max. Output
 * times the Krylov space cannot resolve to tolerance (very early ones, inside the fast transient)
 * are integrated by an explicit Dormand-Prince 5(4) instead.
 *
 * <p>Steady state: inverse iteration with the same solver and a tiny shift, stopped on the
 * residual ‖Lρ‖.
 *
 * <p>Tolerances: the Krylov and Runge-Kutta error targets are atol + rtol·‖ρ‖ in the
 * Hilbert-Schmidt norm, which bounds the error of every population.
 */
public final class LindbladSolver {
    /** Default warning threshold for the top Fock level population. */
    public static final double DEFAULT_TRUNCATION_WARNING = 1e-4;
    /** Default tail of the stationary boson distribution the automatic n_max leaves out. */
    public static final double DEFAULT_CUTOFF_TAIL = 1e-8;

    private LindbladSolver() {
    }

    /**
     * Time evolution from |initialConfig⟩ ⊗ boson state.
     *
     * @param p             model parameters (N ≤ 6)
     * @param initialConfig configuration bit set (bit i = spin i, 1 = σ_i = +1); 0 = all down
     * @param bosonInit     {@link BosonInit#VACUUM} or {@link BosonInit#SECTOR}
     * @param times         output times, ascending, ≥ 0 (the initial state is at t = 0)
     * @param nmax          Fock cut-off (states 0..nmax), or ≤ 0 to choose it from the sectors'
     *                      displaced thermal states ({@link #automaticCutoff})
     * @param atol          absolute tolerance (e.g. 1e-10)
     * @param rtol          relative tolerance (e.g. 1e-8)
     */
    public static LindbladEvolution evolve(Parameters p, long initialConfig, BosonInit bosonInit, double[] times,
            int nmax, double atol, double rtol) {
        return evolve(p, initialConfig, bosonInit, times, nmax, atol, rtol, DEFAULT_TRUNCATION_WARNING);
    }

    /** As {@link #evolve(Parameters, long, BosonInit, double[], int, double, double)} with the truncation warning threshold. */
    public static LindbladEvolution evolve(Parameters p, long initialConfig, BosonInit bosonInit, double[] times,
            int nmax, double atol, double rtol, double truncationWarning) {
        long start = System.nanoTime();
        validate(p, initialConfig, times, atol, rtol);
        int n = nmax > 0 ? nmax : automaticCutoff(p, DEFAULT_CUTOFF_TAIL);
        LindbladOperator op = new LindbladOperator(p, n);
        requireMemory(op);
        int len = op.length();
        double[] r0 = new double[len];
        double[] i0 = new double[len];
        initialState(op, (int) initialConfig, bosonInit, r0, i0);
        double norm0 = op.norm(r0, i0);
        double tol = atol + rtol * norm0;

        int k = times.length;
        double[][] stateR = new double[k][];
        double[][] stateI = new double[k][];
        boolean[] fromRk = new boolean[k];
        int positive = 0;
        for (double t : times) {
            if (t > 0) {
                positive++;
            }
        }
        double[] dts = new double[positive];
        int[] index = new int[positive];
        int j = 0;
        for (int q = 0; q < k; q++) {
            if (times[q] > 0) {
                dts[j] = times[q];
                index[j++] = q;
            } else {
                stateR[q] = r0.clone();
                stateI[q] = i0.clone();
            }
        }

        int dim = 0;
        double krylovError = 0;
        long gmres = 0;
        long solves = 0;
        long rkSteps = 0;
        int rkOutputs = 0;
        String innerWarning = null;
        if (positive > 0) {
            // cost model in units of one L application: explicit RK needs ~7 per step with steps of
            // ~3/ρ(L); a Krylov vector costs one GMRES solve of ~15 iterations, each a banded
            // block solve (≈ 4(nmax+2)/14 applications) plus an L1 application
            double tLast = dts[positive - 1];
            double rkCost = 7.0 * tLast * op.spectralRadiusBound() / 3.0;
            double perIteration = 1 + 4.0 * (op.nb + 1) / 14.0;
            double krylovGuess = (op.configurations() + 15) * 15 * perIteration;
            int lastFailed = positive - 1;
            if (rkCost > krylovGuess) {
                ShiftedSolve solver = new ShiftedSolve(op, krylovShift(p), 60);
                ShiftInvertKrylov krylov = new ShiftInvertKrylov(op, solver);
                int maxDim = maxKrylovDimension(op);
                double innerTol = Math.min(1e-8, Math.max(1e-12, 1e-3 * tol));
                krylov.build(r0, i0, dts, tol, Math.min(op.configurations() + 2, maxDim), maxDim, innerTol,
                        (long) (rkCost / perIteration));
                dim = krylov.dimension;
                if (krylov.innerResidual > 100 * innerTol) {
                    innerWarning = String.format("inner GMRES solves reached only %.3g relative residual"
                            + " (target %.3g); results may be less accurate than requested", krylov.innerResidual, innerTol);
                }
                gmres = solver.iterations;
                solves = solver.solves;
                lastFailed = -1;
                for (int q = 0; q < positive; q++) {
                    if (krylov.errors == null || !(krylov.errors[q] <= tol)) {
                        lastFailed = q;
                    }
                }
                for (int q = lastFailed + 1; q < positive; q++) {
                    double[] xr = new double[len];
                    double[] xi = new double[len];
                    krylov.state(q, xr, xi);
                    op.symmetrise(xr, xi);
                    stateR[index[q]] = xr;
                    stateI[index[q]] = xi;
                    krylovError = Math.max(krylovError, krylov.errors[q]);
                }
            }
            if (lastFailed >= 0) {
                // early outputs inside the fast transient: explicit Runge-Kutta up to them
                Dopri5 rk = new Dopri5(op, 0.1 * atol, rtol);
                double[] xr = r0.clone();
                double[] xi = i0.clone();
                double t = 0;
                for (int q = 0; q <= lastFailed; q++) {
                    rk.integrate(xr, xi, t, dts[q]);
                    t = dts[q];
                    stateR[index[q]] = xr.clone();
                    stateI[index[q]] = xi.clone();
                    rkOutputs++;
                }
                rkSteps = rk.steps;
            }
        }

        IsingLandscape landscape = IsingLandscape.of(p);
        double[] energies = landscape.energies();
        double[][] pops = new double[k][];
        double[] boson = new double[k];
        double[] energy = new double[k];
        double[] trunc = new double[k];
        double[] traceDefect = new double[k];
        double[] herm = new double[k];
        double[] minDiag = new double[k];
        List<String> warnings = new ArrayList<>();
        if (innerWarning != null) {
            warnings.add(innerWarning);
        }
        double worstTrunc = 0;
        double worstTruncTime = 0;
        double mostNegative = 0;
        double worstTrace = 0;
        for (int q = 0; q < k; q++) {
            double[] xr = stateR[q];
            pops[q] = op.populations(xr);
            boson[q] = op.bosonNumber(xr);
            double e = 0;
            double tr = 0;
            for (int s = 0; s < pops[q].length; s++) {
                e += pops[q][s] * energies[s];
                tr += pops[q][s];
                mostNegative = Math.min(mostNegative, pops[q][s]);
            }
            energy[q] = e;
            traceDefect[q] = Math.abs(tr - 1);
            worstTrace = Math.max(worstTrace, traceDefect[q]);
            double[] fock = op.fockPopulations(xr);
            trunc[q] = fock[n];
            if (trunc[q] > worstTrunc) {
                worstTrunc = trunc[q];
                worstTruncTime = times[q];
            }
            herm[q] = op.hermiticityDefect(xr, stateI[q]);
            minDiag[q] = op.minimumDiagonal(xr);
            mostNegative = Math.min(mostNegative, minDiag[q]);
        }
        if (worstTrunc > truncationWarning) {
            warnings.add(String.format("Fock truncation: population of the top level n_max = %d reaches %.3g at t = %g"
                    + " (> %.3g); increase nmax", n, worstTrunc, worstTruncTime, truncationWarning));
        }
        if (mostNegative < -10 * tol) {
            warnings.add(String.format("a population (configuration or Fock diagonal element) is negative (%.3g)"
                    + " beyond the tolerance", mostNegative));
        }
        if (worstTrace > 10 * tol + 1e-12) {
            warnings.add(String.format("trace drifts from 1 by %.3g", worstTrace));
        }
        double seconds = (System.nanoTime() - start) * 1e-9;
        return new LindbladEvolution(times.clone(), pops, boson, energy, trunc, traceDefect, herm, minDiag, n, atol, rtol,
                List.copyOf(warnings),
                new LindbladEvolution.Statistics(seconds, dim, krylovError, gmres, solves, rkSteps, rkOutputs));
    }

    /**
     * The stationary state by inverse iteration: ρ ← (L - s)⁻¹ρ / Tr, s tiny, until ‖Lρ‖ ≤ tol.
     *
     * @param nmax Fock cut-off, or ≤ 0 for {@link #automaticCutoff}
     * @param tol  residual target ‖Lρ‖ (Hilbert-Schmidt), e.g. 1e-10
     */
    public static LindbladSteadyState steadyState(Parameters p, int nmax, double tol) {
        long start = System.nanoTime();
        if (!(tol > 0)) {
            throw new IllegalArgumentException("tolerance must be > 0, got " + tol);
        }
        int n = nmax > 0 ? nmax : automaticCutoff(p, DEFAULT_CUTOFF_TAIL);
        LindbladOperator op = new LindbladOperator(p, n);
        requireMemory(op);
        int len = op.length();
        double[] xr = new double[len];
        double[] xi = new double[len];
        List<String> warnings = new ArrayList<>();
        if (p.drive() == 0) {
            warnings.add("Omega = 0: every configuration sector is invariant, the stationary state is not unique;"
                    + " returning the all-down sector's");
        }
        // start from the uniform mixture of the sectors' stationary states: close to the answer
        double[] br = new double[len];
        double[] bi = new double[len];
        int configs = op.configurations();
        int first = p.drive() == 0 ? 1 : configs;
        for (int c = 0; c < first; c++) {
            initialState(op, c, BosonInit.SECTOR, br, bi);
            ShiftedSolve.axpy(1.0 / first, br, bi, xr, xi);
        }
        double[] lr = new double[len];
        double[] li = new double[len];
        op.apply(xr, xi, lr, li);
        double residual = op.norm(lr, li);
        int iterations = 0;
        long gmres = 0;
        if (p.drive() > 0) {
            // defect correction on the singular system: L δ = -Lρ (consistent: Lρ is traceless),
            // ρ ← (ρ + δ)/Tr; GMRES preconditioned by (L0 - s)⁻¹ with a small s
            ShiftedSolve solver = new ShiftedSolve(op, 1e-2 * Math.min(p.omega(), p.drive()), 0.0, 80);
            double[] dr = new double[len];
            double[] di = new double[len];
            while (residual > tol && iterations < 30) {
                Arrays.fill(dr, 0);
                Arrays.fill(di, 0);
                ShiftedSolve.scale(lr, li, -1);
                solver.solve(lr, li, dr, di, Math.max(1e-10, 0.1 * tol / residual), 400);
                ShiftedSolve.axpy(1.0, dr, di, xr, xi);
                double tr = op.trace(xr);
                ShiftedSolve.scale(xr, xi, 1 / tr);
                op.symmetrise(xr, xi);
                op.apply(xr, xi, lr, li);
                residual = op.norm(lr, li);
                iterations++;
            }
            gmres = solver.iterations;
            if (residual > tol) {
                warnings.add(String.format("steady state not converged: residual %.3g > %.3g", residual, tol));
            }
        }
        double[] pops = op.populations(xr);
        double[] energies = IsingLandscape.of(p).energies();
        double e = 0;
        for (int s = 0; s < pops.length; s++) {
            e += pops[s] * energies[s];
        }
        double trunc = op.fockPopulations(xr)[n];
        if (trunc > DEFAULT_TRUNCATION_WARNING) {
            warnings.add(String.format("Fock truncation: population of the top level n_max = %d is %.3g; increase nmax",
                    n, trunc));
        }
        return new LindbladSteadyState(pops, op.bosonNumber(xr), e, trunc, residual, iterations, gmres, n,
                (System.nanoTime() - start) * 1e-9, List.copyOf(warnings));
    }

    /**
     * n_max such that the stationary boson distribution of every sector (displaced thermal, mean
     * |α_σ|² + n_th with |α_σ|² = 4M_σ²/(ω²(4+η²)), n_th = κ/(γ-κ)) has less than {@code tail}
     * probability above it, plus a margin of 2 levels for the transients; at least 4.
     */
    public static int automaticCutoff(Parameters p, double tail) {
        double[] m = IsingLandscape.of(p).magnetisations();
        double mMax = 0;
        for (double v : m) {
            mMax = Math.max(mMax, Math.abs(v));
        }
        double eta = p.eta();
        double alpha2 = 4 * mMax * mMax / (p.omega() * p.omega() * (4 + eta * eta));
        double nth = p.kappa() / (p.gamma() - p.kappa());
        return Math.max(4, displacedThermalQuantile(alpha2, nth, tail) + 2);
    }

    /** Smallest N with Σ_{n>N} P(n) ≤ tail for the displaced thermal distribution. */
    static int displacedThermalQuantile(double alpha2, double nth, double tail) {
        double mean = alpha2 + nth;
        double sd = Math.sqrt(nth * (nth + 1) + alpha2 * (2 * nth + 1));
        int cap = (int) Math.ceil(mean + 60 * sd + 60);
        double[] pn = displacedThermal(alpha2, nth, cap);
        double s = 0;
        for (int q = cap; q >= 0; q--) {
            s += pn[q];
            if (s > tail) {
                return q;
            }
        }
        return 0;
    }

    /** P(n), n = 0..cap, of a displaced thermal state. */
    static double[] displacedThermal(double alpha2, double nth, int cap) {
        double[] pn = new double[cap + 1];
        if (nth < 1e-12) {
            double lp = -alpha2;
            for (int q = 0; q <= cap; q++) {
                pn[q] = Math.exp(lp);
                lp += Math.log(alpha2) - Math.log(q + 1);
                if (alpha2 == 0) {
                    pn[q] = q == 0 ? 1 : 0;
                }
            }
            return pn;
        }
        // P(n) = r^n/(1+nth) e^{-α²/(1+nth)} L_n(x), r = nth/(1+nth), x = -α²/(nth(1+nth)); u_n = r^n L_n(x)
        double r = nth / (1 + nth);
        double x = -alpha2 / (nth * (1 + nth));
        double pref = Math.exp(-alpha2 / (1 + nth)) / (1 + nth);
        double uPrev = 1;
        double u = r * (1 - x);
        pn[0] = pref;
        if (cap >= 1) {
            pn[1] = pref * u;
        }
        for (int q = 1; q < cap; q++) {
            double next = r * ((2 * q + 1 - x) * u - q * r * uPrev) / (q + 1);
            uPrev = u;
            u = next;
            pn[q + 1] = pref * u;
        }
        return pn;
    }

    /** Shift of the shift-and-invert Krylov space, in frequency units. */
    static double krylovShift(Parameters p) {
        return 0.1 * p.omega();
    }

    /** Bytes of the banded LU factors plus ~100 state vectors. */
    static long memoryEstimate(LindbladOperator op) {
        long factors = (long) op.pairs * op.d * (2L * (op.nb + 1) + 1) * 16L;
        return factors + 100L * 16L * op.length();
    }

    private static void requireMemory(LindbladOperator op) {
        long need = memoryEstimate(op);
        long have = Runtime.getRuntime().maxMemory();
        if (need > 0.9 * have) {
            throw new IllegalArgumentException(String.format(
                    "N = %d with nmax = %d needs about %.1f GB (banded factors of %d blocks of %d), the heap allows %.1f GB;"
                    + " lower nmax or raise -Xmx", op.spins, op.nmax, need / 1e9, op.pairs, op.d, have / 1e9));
        }
    }

    private static int maxKrylovDimension(LindbladOperator op) {
        long bytesPerVector = 16L * op.length();
        long budget = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);
        int byMemory = (int) Math.max(8, Math.min(400, budget / bytesPerVector));
        return Math.min(byMemory, 4 * op.configurations() + 80);
    }

    /** Writes |c⟩⟨c| ⊗ boson state into the (zeroed) arrays. */
    static void initialState(LindbladOperator op, int c, BosonInit bosonInit, double[] xr, double[] xi) {
        Arrays.fill(xr, 0);
        Arrays.fill(xi, 0);
        int off = op.pairIndex[c][c] * op.d;
        if (bosonInit == BosonInit.VACUUM) {
            xr[off] = 1;
            return;
        }
        // stationary state of the block L0_cc: inverse iteration with a tiny shift
        double ms = op.m[c];
        double shift = 1e-9 * Math.max(op.omega, op.gamma);
        BlockShiftSolver.BandLu lu = new BlockShiftSolver.BandLu(op, ms, ms, shift);
        double[] br = new double[op.length()];
        double[] bi = new double[op.length()];
        br[off] = 1;
        for (int it = 0; it < 4; it++) {
            lu.solve(br, bi, br, bi, off);
            double tr = 0;
            for (int r = 0; r < op.nb; r++) {
                tr += br[off + r * op.nb + r];
            }
            for (int q = off; q < off + op.d; q++) {
                br[q] /= tr;
                bi[q] /= tr;
            }
        }
        System.arraycopy(br, off, xr, off, op.d);
        System.arraycopy(bi, off, xi, off, op.d);
        op.symmetrise(xr, xi);
    }

    private static void validate(Parameters p, long initialConfig, double[] times, double atol, double rtol) {
        if (p.size() > 6) {
            throw new IllegalArgumentException("the full Lindblad model handles at most 6 spins, got " + p.size());
        }
        if (initialConfig < 0 || initialConfig >= (1L << p.size())) {
            throw new IllegalArgumentException("initial configuration " + initialConfig + " outside 0.." + ((1L << p.size()) - 1));
        }
        if (times == null || times.length == 0) {
            throw new IllegalArgumentException("at least one output time is needed");
        }
        double prev = 0;
        for (double t : times) {
            if (!Double.isFinite(t) || t < prev) {
                throw new IllegalArgumentException("output times must be finite, >= 0 and ascending, got " + Arrays.toString(times));
            }
            prev = t;
        }
        if (!(atol > 0) || !(rtol >= 0)) {
            throw new IllegalArgumentException("tolerances need atol > 0 and rtol >= 0, got " + atol + ", " + rtol);
        }
    }
}
