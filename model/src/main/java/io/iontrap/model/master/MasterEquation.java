package io.iontrap.model.master;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;
import java.util.Arrays;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import java.util.stream.IntStream;

/**
 * The classical master equation of the effective spin dynamics (physics.md §3), solved exactly over
 * all 2^N configurations:
 *
 * <pre>
 *   dp_σ/dt = Σ_i ( W_i(ΔE_i(σ^i)) p_{σ^i} - W_i(ΔE_i(σ)) p_σ ),   σ^i = σ with spin i flipped.
 * </pre>
 *
 * <p>Configurations are bit sets (bit i = spin i, 1 meaning σ_i = +1; index 0 = all down), as in
 * {@link IsingLandscape}.
 *
 * <p><b>Symmetry.</b> ΔE_i(-σ) = ΔE_i(σ), so the rates of σ and of its mirror -σ are the same and the
 * generator commutes with the global flip. Rates are stored once per pair {σ, -σ} (the
 * representative with spin N-1 down), which halves the table, and the stationary state is solved on
 * the lumped chain over the 2^(N-1) pairs, where the barrier between σ and -σ (the double well of
 * E(M)) disappears; π(σ) = π(-σ) = π̃({σ,-σ})/2.
 *
 * <p><b>Memory</b> (8-byte doubles, S = 2^N): the rate table holds S/2 × N doubles, the exit rates and
 * their inverses S/2 each, i.e. 4·S·(N+2) bytes ({@link #tableBytes}): 1 MB at N = 14, 92 MB at
 * N = 20, 1.74 GB at N = 24. Each full distribution is 8·S bytes (134 MB at N = 24); {@link #evolve}
 * holds two work vectors plus one result per requested time; {@link #stationary} holds the lumped
 * iterate and the Anderson histories, (2·depth + 5)·S/2 doubles (0.9 GB at N = 24), plus the
 * returned full vector ({@link #stationaryBytes}: 2.8 GB in all at N = 24; measured peak RSS 2.9 GB).
 *
 * <p>Thread-safe after construction; the matrix-vector products run on the common fork-join pool.
 */
public final class MasterEquation {
    /** Largest N accepted: 2^24 configurations, tables of 1.74 GB. */
    public static final int MAX_SPINS = 24;

    /** Poisson mass left out of each uniformisation series (both tails together). */
    static final double POISSON_TAIL = 1e-15;

    private static final int SERIAL_BELOW = 1 << 12;

    private final IsingLandscape landscape;
    private final SpinFlipRates rates;
    private final int n;
    private final int size;
    private final int half;
    private final int mask;
    private final int lowMask;
    /** inRate[r·N + i] = W_i(-ΔE_i(r)) = rate of the flip of spin i that leads into r, r &lt; 2^(N-1). */
    private final double[] inRate;
    /** exit[r] = Σ_i W_i(ΔE_i(r)), summed from the same stored numbers as inRate (exact balance). */
    private final double[] exit;
    private final double maxExit;
    /** 1/exit[r], for the Gauss-Seidel updates (a multiplication instead of a division). */
    private final double[] invExit;

    /**
     * Builds the rate tables: N·2^(N-1) rate evaluations.
     *
     * @throws IllegalArgumentException if N &gt; {@link #MAX_SPINS}, if a rate is negative or not
     *     finite, or if the heap cannot hold the rate table
     */
    public MasterEquation(IsingLandscape landscape, SpinFlipRates rates) {
        this.landscape = landscape;
        this.rates = rates;
        this.n = landscape.size();
        if (n > MAX_SPINS) {
            throw new IllegalArgumentException("exact master equation: N = " + n
                    + " spins exceeds the limit N <= " + MAX_SPINS + " (2^N configurations with a "
                    + "rate table of 4*2^N*(N+2) bytes); use KineticMonteCarlo for larger N");
        }
        long need = tableBytes(n);
        long max = Runtime.getRuntime().maxMemory();
        if (need > max) {
            throw new IllegalArgumentException(String.format(
                    "exact master equation for N = %d needs %.2f GB for its rate table, the heap allows %.2f GB (-Xmx)",
                    n, need / 1e9, max / 1e9));
        }
        this.size = 1 << n;
        this.half = size >>> 1;
        this.mask = size - 1;
        this.lowMask = half - 1;
        this.inRate = new double[half * n];
        this.exit = new double[half];
        fillRates();
        double mx = 0;
        for (double e : exit) {
            mx = Math.max(mx, e);
        }
        this.maxExit = mx;
        this.invExit = new double[half];
        for (int s = 0; s < half; s++) {
            invExit[s] = 1 / exit[s];
        }
    }

    /** Bytes of the rate, exit and inverse-exit tables for N spins: 4·2^N·(N+2). */
    public static long tableBytes(int n) {
        return 4L * (1L << n) * (n + 2);
    }

    /**
     * Estimated peak heap of {@link #stationary} for N spins: the tables, the lumped iterates and the
     * Anderson histories (about (2·depth + 5)·2^(N-1) doubles) and the returned full vector (2^N
     * doubles).
     */
    public static long stationaryBytes(int n) {
        long half = 1L << (n - 1);
        return tableBytes(n) + 8L * half * (2 * ANDERSON_DEPTH + 5) + 8L * (2 * half);
    }

    private void fillRates() {
        final double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = landscape.g(i);
        }
        final int block = Math.min(half, 1 << 10);
        int blocks = half / block;
        range(blocks, half).forEach(b -> {
            int start = b * block;
            double[] m = new double[block];
            m[0] = landscape.magnetisation(start);
            for (int k = 1; k < block; k++) {
                int low = Integer.numberOfTrailingZeros(k);
                m[k] = m[k & (k - 1)] + 2 * g[low];
            }
            for (int k = 0; k < block; k++) {
                int s = start + k;
                int base = s * n;
                for (int i = 0; i < n; i++) {
                    int sigma = ((s >>> i) & 1) != 0 ? 1 : -1;
                    double dE = landscape.deltaE(i, sigma, m[k]);
                    double w = rates.rate(i, -dE);
                    if (!(w >= 0) || Double.isInfinite(w)) {
                        throw new IllegalArgumentException(
                                "flip rate of spin " + i + " at deltaE = " + (-dE) + " is " + w);
                    }
                    inRate[base + i] = w;
                }
            }
        });
        range(blocks, half).forEach(b -> {
            int start = b * block;
            for (int s = start; s < start + block; s++) {
                double e = 0;
                for (int i = 0; i < n; i++) {
                    e += inRate[rep(s ^ (1 << i)) * n + i];
                }
                exit[s] = e;
            }
        });
    }

    // ---------------------------------------------------------------- structure

    public IsingLandscape landscape() {
        return landscape;
    }

    public SpinFlipRates rates() {
        return rates;
    }

    /** Number of spins N. */
    public int spins() {
        return n;
    }

    /** Number of configurations 2^N. */
    public int states() {
        return size;
    }

    /** Representative of {σ, -σ}: the one with spin N-1 down. */
    int rep(int s) {
        return s < half ? s : s ^ mask;
    }

    /** W_i(ΔE_i(σ)): rate of flipping spin i out of configuration σ (from the stored table). */
    public double flipRate(int configuration, int i) {
        return inRate[rep(configuration ^ (1 << i)) * n + i];
    }

    /** Total exit rate Σ_i W_i(ΔE_i(σ)) of configuration σ. */
    public double exitRate(int configuration) {
        return exit[rep(configuration)];
    }

    /** Largest exit rate Λ, the uniformisation rate. */
    public double maxExitRate() {
        return maxExit;
    }

    // ---------------------------------------------------------------- products

    /** y = Q p, (Q p)_σ = Σ_i W(σ^i → σ) p_{σ^i} - exit(σ) p_σ (pull form, parallel over σ). */
    public void applyGenerator(double[] p, double[] y) {
        requireLength(p);
        requireLength(y);
        step(p, y, 0.0, 1.0);
    }

    /**
     * y = c·x + d·Q x in one pass. σ and its mirror -σ share one row of the rate table, so both are
     * computed together: each stored rate is read once per product.
     */
    private void step(double[] x, double[] y, double c, double d) {
        final int chunk = Math.min(half, 1 << 11);
        range(half / chunk, size).forEach(b -> {
            int start = b * chunk;
            int end = start + chunk;
            for (int s = start; s < end; s++) {
                int m = s ^ mask;
                int base = s * n;
                double a1 = 0;
                double a2 = 0;
                for (int i = 0; i < n; i++) {
                    double w = inRate[base + i];
                    int bit = 1 << i;
                    a1 += w * x[s ^ bit];
                    a2 += w * x[m ^ bit];
                }
                double e = exit[s];
                y[s] = c * x[s] + d * (a1 - e * x[s]);
                y[m] = c * x[m] + d * (a2 - e * x[m]);
            }
        });
    }

    // ---------------------------------------------------------------- time evolution

    /** p(t) from the single configuration {@code initialConfiguration} at t = 0. */
    public double[][] evolve(int initialConfiguration, double[] times) {
        return evolve(pointMass(initialConfiguration), times);
    }

    /** p(t) starting with every spin down (configuration 0). */
    public double[][] evolve(double[] times) {
        return evolve(0, times);
    }

    /**
     * p(t) = exp(Qt) p0 at each requested time, by uniformisation: with Λ ≥ max exit rate and
     * P = I + Q/Λ (a non-negative, column-stochastic matrix), p(t) = Σ_k Pois(k; Λt) P^k p0. One
     * sequence P^k p0, k ≤ K, serves all times; for each time only the Poisson weights inside its
     * window [L, R] (mass outside &lt; {@link #POISSON_TAIL}, computed outward from the mode as in
     * Fox-Glynn, so stable for any Λt) are summed. Cost: about Λ·t_max + 10·√(Λ·t_max) products.
     * Positivity is exact; Σp = 1 to rounding.
     *
     * @param p0    initial distribution over 2^N configurations, p ≥ 0, Σp = 1 (to 1e-9)
     * @param times non-negative, finite times in any order
     * @return p(times[j]) in row j
     */
    public double[][] evolve(double[] p0, double[] times) {
        requireDistribution(p0);
        double lambda = uniformisationRate();
        PoissonWindow[] win = windows(times, lambda);
        double[][] out = new double[times.length][size];
        series(p0, lambda, lastTerm(win), (k, v) -> {
            for (int j = 0; j < win.length; j++) {
                PoissonWindow pw = win[j];
                if (k >= pw.left && k <= pw.right) {
                    axpy(pw.weights[k - pw.left], v, out[j]);
                }
            }
        });
        return out;
    }

    /**
     * ⟨f⟩(t) = Σ_σ f(σ) p_σ(t) at each time, without storing p(t): ⟨f⟩(t) = Σ_k Pois(k; Λt) f·P^k p0 is
     * linear in the series terms, so one scalar per term suffices. Same products as {@link #evolve},
     * memory of two vectors whatever the number of times (for plots of ⟨E⟩(t) on a fine grid).
     *
     * @param observable f over the 2^N configurations
     */
    public double[] expectation(double[] p0, double[] observable, double[] times) {
        requireDistribution(p0);
        requireLength(observable);
        double lambda = uniformisationRate();
        PoissonWindow[] win = windows(times, lambda);
        int kmax = lastTerm(win);
        double[] terms = new double[kmax + 1];
        series(p0, lambda, kmax, (k, v) -> terms[k] = dot(observable, v));
        double[] out = new double[times.length];
        for (int j = 0; j < win.length; j++) {
            PoissonWindow pw = win[j];
            double acc = 0;
            for (int k = pw.left; k <= pw.right; k++) {
                acc += pw.weights[k - pw.left] * terms[k];
            }
            out[j] = acc;
        }
        return out;
    }

    /** ⟨E⟩(t) from p0 (see {@link #expectation}); E from {@link IsingLandscape#energies}. */
    public double[] meanEnergy(double[] p0, double[] times) {
        return expectation(p0, landscape.energies(), times);
    }

    /** ⟨E⟩(t) from the single configuration {@code initialConfiguration}. */
    public double[] meanEnergy(int initialConfiguration, double[] times) {
        return meanEnergy(pointMass(initialConfiguration), times);
    }

    private double uniformisationRate() {
        return maxExit * (1 + 1e-9);
    }

    @FunctionalInterface
    private interface TermVisitor {
        void visit(int k, double[] term);
    }

    /** Visits P^k p0 for k = 0..kmax, P = I + Q/Λ. */
    private void series(double[] p0, double lambda, int kmax, TermVisitor visitor) {
        double[] v = p0.clone();
        double[] w = new double[size];
        for (int k = 0; ; k++) {
            visitor.visit(k, v);
            if (k == kmax) {
                return;
            }
            step(v, w, 1.0, 1.0 / lambda);
            double[] tmp = v;
            v = w;
            w = tmp;
        }
    }

    private static PoissonWindow[] windows(double[] times, double lambda) {
        PoissonWindow[] win = new PoissonWindow[times.length];
        for (int j = 0; j < times.length; j++) {
            double t = times[j];
            if (!(t >= 0) || Double.isInfinite(t)) {
                throw new IllegalArgumentException("time " + t + " must be finite and >= 0");
            }
            win[j] = PoissonWindow.of(lambda * t, POISSON_TAIL);
        }
        return win;
    }

    private static int lastTerm(PoissonWindow[] win) {
        int kmax = 0;
        for (PoissonWindow w : win) {
            kmax = Math.max(kmax, w.right);
        }
        return kmax;
    }

    private void requireDistribution(double[] p0) {
        requireLength(p0);
        double sum = 0;
        for (double x : p0) {
            if (!(x >= 0) || Double.isInfinite(x)) {
                throw new IllegalArgumentException("initial distribution has an entry " + x);
            }
            sum += x;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("initial distribution sums to " + sum + ", not 1");
        }
    }

    private double[] pointMass(int configuration) {
        if (configuration < 0 || configuration >= size) {
            throw new IllegalArgumentException("configuration " + configuration + " outside 0.." + (size - 1));
        }
        double[] p0 = new double[size];
        p0[configuration] = 1;
        return p0;
    }

    /** Σ a_s b_s, in blocks summed in order: the same bits whatever the threads. */
    private double dot(double[] a, double[] b) {
        final int chunk = Math.min(size, 1 << 14);
        double[] partial = new double[size / chunk];
        range(partial.length, size).forEach(k -> {
            double acc = 0;
            for (int s = k * chunk; s < (k + 1) * chunk; s++) {
                acc += a[s] * b[s];
            }
            partial[k] = acc;
        });
        double total = 0;
        for (double x : partial) {
            total += x;
        }
        return total;
    }

    private void axpy(double a, double[] x, double[] y) {
        final int chunk = Math.min(size, 1 << 14);
        range(size / chunk, size).forEach(b -> {
            int end = (b + 1) * chunk;
            for (int s = b * chunk; s < end; s++) {
                y[s] += a * x[s];
            }
        });
    }

    /** Poisson(λ) weights on [left, right], normalised, with outside mass below the tolerance. */
    static final class PoissonWindow {
        final int left;
        final int right;
        final double[] weights;

        private PoissonWindow(int left, int right, double[] weights) {
            this.left = left;
            this.right = right;
            this.weights = weights;
        }

        static PoissonWindow of(double lambda, double tail) {
            if (lambda == 0) {
                return new PoissonWindow(0, 0, new double[] {1.0});
            }
            if (lambda > 1e9) {
                throw new IllegalArgumentException("Lambda*t = " + lambda + " is too large for uniformisation");
            }
            int mode = (int) Math.floor(lambda);
            // Unnormalised weights relative to the mode (w_mode = 1): ratios only, no under/overflow.
            double eps = tail * 0.25;
            int cap = mode + 64 + (int) (20 * Math.sqrt(lambda + 1));
            double[] right = new double[Math.max(16, cap - mode + 1)];
            right[0] = 1;
            double total = 1;
            int r = mode;
            double w = 1;
            while (true) {
                double ratio = lambda / (r + 1);
                // tail beyond r is at most w·ratio/(1-ratio) once ratio < 1
                if (ratio < 1 && w * ratio / (1 - ratio) < eps * total) {
                    break;
                }
                w *= ratio;
                r++;
                if (r - mode >= right.length) {
                    right = Arrays.copyOf(right, right.length * 2);
                }
                right[r - mode] = w;
                total += w;
            }
            double[] leftW = new double[Math.max(16, Math.min(mode, cap - mode) + 1)];
            int l = mode;
            w = 1;
            while (l > 0) {
                double ratio = l / lambda; // w_{l-1} = w_l · l/λ
                // tail below l-1 is at most w·ratio/(1-ratio)
                if (ratio < 1 && w * ratio / (1 - ratio) < eps * total) {
                    break;
                }
                w *= ratio;
                l--;
                if (mode - l >= leftW.length) {
                    leftW = Arrays.copyOf(leftW, leftW.length * 2);
                }
                leftW[mode - l] = w;
                total += w;
            }
            double[] weights = new double[r - l + 1];
            for (int k = l; k <= r; k++) {
                weights[k - l] = (k >= mode ? right[k - mode] : leftW[mode - k]) / total;
            }
            return new PoissonWindow(l, r, weights);
        }
    }

    // ---------------------------------------------------------------- stationary state

    /** Result of {@link #stationarySolution}: the distribution and how well it solves Qπ = 0. */
    public static final class Stationary {
        private final double[] distribution;
        private final double residual;
        private final double relativeResidual;
        private final int sweeps;

        Stationary(double[] distribution, double[] residuals, int sweeps) {
            this.distribution = distribution;
            this.residual = residuals[0];
            this.relativeResidual = residuals[1];
            this.sweeps = sweeps;
        }

        /** π over all 2^N configurations. */
        public double[] distribution() {
            return distribution;
        }

        /**
         * ‖Qπ‖₁ / ‖diag(exit)·π‖₁: the net probability flow out of balance relative to the total
         * flow, on the full space.
         */
        public double relativeResidual() {
            return relativeResidual;
        }

        /** ‖Qπ‖₁ on the full space (probability per unit time out of balance). */
        public double residual() {
            return residual;
        }

        /** Gauss-Seidel sweeps on the lumped chain. */
        public int sweeps() {
            return sweeps;
        }
    }

    /** The stationary distribution π over the 2^N configurations (see {@link #stationarySolution}). */
    public double[] stationary() {
        return stationarySolution().distribution();
    }

    /** Default relative residual the stationary solver stops at. */
    public static final double STATIONARY_TOLERANCE = 1e-12;

    /** {@link #stationarySolution(double, int)} with the default tolerance and at most 20 000 sweeps. */
    public Stationary stationarySolution() {
        return stationarySolution(STATIONARY_TOLERANCE, 20_000);
    }

    /**
     * Stationary state of the chain lumped over {σ, -σ} (2^(N-1) states), where the double well of
     * E(M) becomes a single well. Start: the product of rate ratios W(parent→σ)/W(σ→parent) along the
     * tree that adds the spins of σ one at a time (exact when detailed balance holds), in logarithms so
     * that probabilities spanning hundreds of decades neither under- nor overflow. Then symmetric
     * Gauss-Seidel sweeps π̃(s) ← Σ_i W(s^i→s) π̃(s^i) / exit(s) (forward then backward), accelerated
     * by Anderson mixing over the last {@value #ANDERSON_DEPTH} iterates (3-4× fewer sweeps; a diverging
     * extrapolation restarts from the plain iterate), until every lumped state is balanced to a
     * relative {@code tolerance}: max_s |inflow(s) - outflow(s)| / outflow(s) &lt; tolerance (which bounds
     * the 1-norm residual by the same number). The answer is always a plain Gauss-Seidel iterate, a
     * positive combination, so π ≥ 0. Convergence is linear, typically 50-150 sweeps for N = 10..24
     * with stiff, non-detailed-balanced rates; with detailed balance the start is already exact.
     *
     * @throws IllegalStateException if a configuration has no exit (the stationary state is then not
     *     unique), or the tolerance is not reached within {@code maxSweeps} or the iteration stagnates
     *     ({@value #STAGNATION_SWEEPS} sweeps without halving the change); the message gives the
     *     residual reached
     */
    public Stationary stationarySolution(double tolerance, int maxSweeps) {
        return stationarySolution(tolerance, maxSweeps, ANDERSON_DEPTH);
    }

    /** The stationary solver gives up when the change per iteration has not halved in this many sweeps. */
    static final int STAGNATION_SWEEPS = 2000;

    /** History length of the Anderson acceleration of the Gauss-Seidel sweeps. */
    static final int ANDERSON_DEPTH = 5;

    Stationary stationarySolution(double tolerance, int maxSweeps, int depth) {
        for (int s = 0; s < half; s++) {
            if (!(exit[s] > 0)) {
                throw new IllegalStateException("configuration " + s + " has no exit rate: the chain is "
                        + "absorbing there and its stationary state is not unique");
            }
        }
        double[] x = treeGuess();
        int[] sweeps = {0};
        double res = lumpedResidual(x);
        if (!(res <= tolerance)) {
            res = depth > 0 ? anderson(x, tolerance, maxSweeps, depth, sweeps) : plainSweeps(x, tolerance, maxSweeps, sweeps);
        }
        if (!(res <= tolerance)) {
            throw new IllegalStateException("stationary solver: relative residual " + res + " after "
                    + sweeps[0] + " sweeps, above the tolerance " + tolerance);
        }
        double[] p = new double[size];
        for (int s = 0; s < half; s++) {
            p[s] = 0.5 * x[s];
            p[s ^ mask] = 0.5 * x[s];
        }
        return new Stationary(p, residuals(p), sweeps[0]);
    }

    private double plainSweeps(double[] x, double tolerance, int maxSweeps, int[] sweeps) {
        double res = Double.POSITIVE_INFINITY;
        while (sweeps[0] < maxSweeps) {
            for (int k = 0; k < 4; k++) {
                gaussSeidel(x, (sweeps[0] & 1) == 0);
                sweeps[0]++;
            }
            normalise(x);
            res = lumpedResidual(x);
            if (res <= tolerance) {
                break;
            }
        }
        return res;
    }

    /**
     * Anderson acceleration (Walker-Ni form, relative weights) of the fixed-point map G = normalised
     * forward + backward Gauss-Seidel sweep: x ← G(x) - ΔG·γ with γ minimising Σ_s ((f - ΔF·γ)_s /
     * G(x)_s)² over the last {@code depth} differences (f = G(x) - x). Any entry the extrapolation
     * drives to ≤ 0 falls back to its Gauss-Seidel value, so x stays positive; the returned x is a
     * plain Gauss-Seidel iterate (a positive combination), checked by the residual. The histories are
     * stored interleaved (state-major) so that one pass over memory updates them and forms the normal
     * equations.
     */
    private double anderson(double[] x, double tolerance, int maxSweeps, int depth, int[] sweeps) {
        double[] dF = new double[half * depth];
        double[] dG = new double[half * depth];
        double[] prevF = new double[half];
        double[] prevG = new double[half];
        double[] gx = new double[half];
        boolean havePrev = false;
        int stored = 0;
        int head = 0;
        double[][] a = new double[depth][depth];
        double[] b = new double[depth];
        double bestChange = Double.POSITIVE_INFINITY;
        int lastProgress = 0;
        while (sweeps[0] < maxSweeps) {
            System.arraycopy(x, 0, gx, 0, half);
            gaussSeidel(gx, true);
            gaussSeidel(gx, false);
            sweeps[0] += 2;
            normalise(gx);
            // x still holds the previous iterate: f = gx - x, the new history column, the normal equations
            if (havePrev) {
                stored = Math.min(stored + 1, depth);
            }
            for (double[] row : a) {
                Arrays.fill(row, 0);
            }
            Arrays.fill(b, 0);
            double change = 0;
            for (int s = 0; s < half; s++) {
                double g = gx[s];
                double f = g - x[s];
                boolean tiny = g < NEGLIGIBLE;
                if (!tiny) {
                    change = Math.max(change, Math.abs(f) / g);
                }
                int base = s * depth;
                if (havePrev) {
                    dF[base + head] = f - prevF[s];
                    dG[base + head] = g - prevG[s];
                }
                prevF[s] = f;
                prevG[s] = g;
                double w = tiny ? 0 : 1 / (g * g);
                double fw = f * w;
                for (int i = 0; i < stored; i++) {
                    double di = dF[base + i];
                    b[i] += di * fw;
                    double dw = di * w;
                    double[] ai = a[i];
                    for (int j = 0; j <= i; j++) {
                        ai[j] += dw * dF[base + j];
                    }
                }
            }
            if (change > 1e3 * bestChange) {
                // the extrapolation diverges: drop the history and restart from the plain iterate
                stored = 0;
                havePrev = false;
                head = 0;
                System.arraycopy(gx, 0, x, 0, half);
                continue;
            }
            if (change < 0.5 * bestChange) {
                lastProgress = sweeps[0];
            }
            bestChange = Math.min(bestChange, change);
            if (sweeps[0] - lastProgress > STAGNATION_SWEEPS) {
                break; // no halving of the change in that many sweeps: report the residual
            }
            if (change < 10 * tolerance) {
                double res = lumpedResidual(gx);
                if (res <= tolerance) {
                    System.arraycopy(gx, 0, x, 0, half);
                    return res;
                }
            }
            double[] gamma = stored > 0 ? leastSquares(a, b, stored) : new double[0];
            for (int s = 0; s < half; s++) {
                int base = s * depth;
                double v = gx[s];
                for (int j = 0; j < stored; j++) {
                    v -= gamma[j] * dG[base + j];
                }
                x[s] = v > 0 && gx[s] >= NEGLIGIBLE ? v : gx[s];
            }
            normalise(x);
            if (havePrev) {
                head = (head + 1) % depth;
            }
            havePrev = true;
        }
        // out of sweeps or stagnating: leave a Gauss-Seidel iterate
        gaussSeidel(x, true);
        normalise(x);
        return lumpedResidual(x);
    }

    /** Pseudo-inverse solution of the symmetric m×m system (lower triangle of a given). */
    private static double[] leastSquares(double[][] lower, double[] b, int m) {
        double[][] a = new double[m][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = lower[i][j];
                a[j][i] = lower[i][j];
            }
        }
        SingularValueDecomposition svd = new SingularValueDecomposition(MatrixUtils.createRealMatrix(a));
        double[] sv = svd.getSingularValues();
        double cut = sv[0] * 1e-13;
        RealMatrix u = svd.getU();
        RealMatrix v = svd.getV();
        double[] gamma = new double[m];
        for (int k = 0; k < m; k++) {
            if (!(sv[k] > cut)) {
                continue;
            }
            double c = 0;
            for (int i = 0; i < m; i++) {
                c += u.getEntry(i, k) * b[i];
            }
            c /= sv[k];
            for (int j = 0; j < m; j++) {
                gamma[j] += c * v.getEntry(j, k);
            }
        }
        return gamma;
    }

    private double[] treeGuess() {
        double[] logx = new double[half];
        double mx = 0;
        for (int s = 1; s < half; s++) {
            int low = Integer.numberOfTrailingZeros(s);
            int parent = s & (s - 1);
            double up = inRate[s * n + low]; // parent -> s
            double down = inRate[parent * n + low]; // s -> parent
            double step = up > 0 && down > 0 ? Math.log(up / down) : 0;
            logx[s] = logx[parent] + step;
            mx = Math.max(mx, logx[s]);
        }
        for (int s = 0; s < half; s++) {
            logx[s] = Math.exp(logx[s] - mx);
        }
        normalise(logx);
        return logx;
    }

    private void gaussSeidel(double[] x, boolean forward) {
        if (forward) {
            for (int s = 0; s < half; s++) {
                x[s] = lumpedInflow(x, s) * invExit[s];
            }
        } else {
            for (int s = half - 1; s >= 0; s--) {
                x[s] = lumpedInflow(x, s) * invExit[s];
            }
        }
    }

    private double lumpedInflow(double[] x, int s) {
        int base = s * n;
        // two partial sums break the add-latency chain
        double acc0 = 0;
        double acc1 = 0;
        int i = 0;
        for (; i + 1 < n - 1; i += 2) {
            acc0 += inRate[base + i] * x[s ^ (1 << i)];
            acc1 += inRate[base + i + 1] * x[s ^ (2 << i)];
        }
        if (i < n - 1) {
            acc0 += inRate[base + i] * x[s ^ (1 << i)];
        }
        // flipping spin N-1 leaves the half: its pair representative flips every other spin instead
        acc1 += inRate[base + n - 1] * x[s ^ lowMask];
        return acc0 + acc1;
    }

    /**
     * Largest relative imbalance of a single lumped state, max_s |inflow(s) - exit(s)x(s)| /
     * (exit(s)x(s)). Unlike the 1-norm residual this also sees states of tiny probability, so its
     * bound is a bound on the relative accuracy of each state's local balance.
     */
    private double lumpedResidual(double[] x) {
        double worst = 0;
        for (int s = 0; s < half; s++) {
            double in = lumpedInflow(x, s);
            if (x[s] < NEGLIGIBLE && in * invExit[s] < NEGLIGIBLE) {
                continue; // below the double range, before and after an update: nothing to balance
            }
            double out = exit[s] * x[s];
            double r = Math.abs(in - out) / out;
            if (Double.isNaN(r)) {
                return r;
            }
            worst = Math.max(worst, r);
        }
        return worst;
    }

    /**
     * Probabilities below this (π spans more than 290 decades, e.g. g ~ 8 at N = 24) are treated as
     * zero by the stopping rule and the Anderson weights: they underflow anyway.
     */
    private static final double NEGLIGIBLE = 1e-290;

    /** ‖Qp‖₁ / Σ_σ exit(σ) p_σ on the full space: the imbalance relative to the total flow. */
    public double relativeResidual(double[] p) {
        return residuals(p)[1];
    }

    /** {‖Qp‖₁, ‖Qp‖₁ / Σ_σ exit(σ)|p_σ|}. */
    private double[] residuals(double[] p) {
        double[] y = new double[size];
        applyGenerator(p, y);
        double num = 0;
        double den = 0;
        for (int s = 0; s < size; s++) {
            num += Math.abs(y[s]);
            den += exit[rep(s)] * Math.abs(p[s]);
        }
        return new double[] {num, num / den};
    }

    private static void normalise(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        for (int k = 0; k < x.length; k++) {
            x[k] /= s;
        }
    }

    // ---------------------------------------------------------------- observables

    /** ⟨E⟩ = Σ_σ p_σ E(σ) (delegates to {@link IsingLandscape#meanEnergy}). */
    public double meanEnergy(double[] p) {
        return landscape.meanEnergy(p);
    }

    /** ⟨E⟩ at each row of {@code ps} (e.g. the result of {@link #evolve}). */
    public double[] meanEnergies(double[][] ps) {
        double[] e = landscape.energies();
        double[] out = new double[ps.length];
        for (int j = 0; j < ps.length; j++) {
            requireLength(ps[j]);
            double s = 0;
            for (int k = 0; k < size; k++) {
                s += ps[j][k] * e[k];
            }
            out[j] = s;
        }
        return out;
    }

    /** Energy distribution of p: see {@link IsingLandscape#energyHistogram}. */
    public double[] energyHistogram(double[] p, double lo, double hi, int bins) {
        return landscape.energyHistogram(p, lo, hi, bins);
    }

    private void requireLength(double[] p) {
        if (p.length != size) {
            throw new IllegalArgumentException("distribution has " + p.length + " entries, expected 2^N = " + size);
        }
    }

    private static IntStream range(int blocks, int work) {
        IntStream r = IntStream.range(0, blocks);
        return work >= SERIAL_BELOW ? r.parallel() : r;
    }
}
