package io.iontrap.model.master;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.SpinFlipRates;
import java.util.Arrays;
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
 * <p><b>Memory</b> (8-byte doubles, S = 2^N): the rate table holds S/2 × N doubles and the exit rates
 * S/2, i.e. 4·S·(N+1) bytes ({@link #tableBytes}): 1 MB at N = 14, 88 MB at N = 20, 1.68 GB at
 * N = 24. Each full distribution is 8·S bytes (134 MB at N = 24); {@link #evolve} holds two work
 * vectors plus one result per requested time; {@link #stationary} holds the Krylov basis and work
 * vectors of the lumped chain, ({@value StationarySolver#KRYLOV_DIMENSION} + 7)·S/2 doubles (1.8 GB
 * at N = 24), plus the returned full vector ({@link #stationaryBytes}: 3.6 GB in all at N = 24;
 * measured peak RSS 3.8 GB).
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
                    + "rate table of 4*2^N*(N+1) bytes); use KineticMonteCarlo for larger N");
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
    }

    /** Bytes of the rate and exit tables for N spins: 4·2^N·(N+1). */
    public static long tableBytes(int n) {
        return 4L * (1L << n) * (n + 1);
    }

    /**
     * Estimated peak heap of {@link #stationary} for N spins: the tables, the solver's Krylov basis and
     * work vectors over the 2^(N-1) mirror pairs, and the returned full vector (2^N doubles).
     */
    public static long stationaryBytes(int n) {
        return tableBytes(n) + StationarySolver.workBytes(n, StationarySolver.KRYLOV_DIMENSION) + 8L * (1L << n);
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
                    Vectors.axpy(pw.weights[k - pw.left], v, out[j]);
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
        series(p0, lambda, kmax, (k, v) -> terms[k] = Vectors.dot(observable, v));
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

        /** Block Gauss-Seidel sweeps on the lumped chain (forward and backward count one each). */
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
     * that probabilities spanning hundreds of decades neither under- nor overflow. Then symmetric block
     * Gauss-Seidel sweeps, the fastest spins solved exactly within each block, accelerated by restarted
     * GMRES in relative variables (see {@link StationarySolver}), until every lumped state is balanced
     * to a relative {@code tolerance}: max_s |inflow(s) - outflow(s)| / outflow(s) &lt; tolerance (which
     * bounds the 1-norm residual by the same number), and each block likewise in its flows to the
     * rest of the chain (which a fast spin's flips would otherwise dominate). The answer is a sweep of a positive vector, so
     * π ≥ 0. With detailed balance the start is already exact.
     *
     * @throws IllegalStateException if a configuration has no exit (the stationary state is then not
     *     unique), or the tolerance is not reached within {@code maxSweeps} or the iteration stagnates
     *     ({@value StationarySolver#STAGNATION_CYCLES} Krylov cycles without halving the residual); the
     *     message gives the residual reached
     */
    public Stationary stationarySolution(double tolerance, int maxSweeps) {
        return stationarySolution(tolerance, maxSweeps, StationarySolver.KRYLOV_DIMENSION);
    }

    /** As {@link #stationarySolution(double, int)} with GMRES cycles of {@code krylov} sweeps (0: plain sweeps). */
    Stationary stationarySolution(double tolerance, int maxSweeps, int krylov) {
        for (int s = 0; s < half; s++) {
            if (!(exit[s] > 0)) {
                throw new IllegalStateException("configuration " + s + " has no exit rate: the chain is "
                        + "absorbing there and its stationary state is not unique");
            }
        }
        StationarySolver solver = new StationarySolver(n, inRate, exit);
        StationarySolver.Result r = solver.solve(treeGuess(), tolerance, maxSweeps, krylov);
        if (!(r.residual() <= tolerance)) {
            throw new IllegalStateException("stationary solver: relative residual " + r.residual() + " after "
                    + r.sweeps() + " sweeps, above the tolerance " + tolerance);
        }
        double[] x = r.lumped();
        double[] p = new double[size];
        for (int s = 0; s < half; s++) {
            p[s] = 0.5 * x[s];
            p[s ^ mask] = 0.5 * x[s];
        }
        return new Stationary(p, residuals(p), r.sweeps());
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
        StationarySolver.normalise(logx);
        return logx;
    }

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
