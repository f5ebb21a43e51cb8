package io.iontrap.model.master;

import java.util.Arrays;

/**
 * Stationary state of the master equation lumped over the mirror pairs {σ, -σ}: the 2^(N-1)
 * representatives r (spin N-1 down) with the rates of {@link MasterEquation}'s table.
 *
 * <p><b>Why blocks.</b> Flip rates of different spins can differ by many decades: a spin with a tiny
 * coupling (g = 0.025 among g ~ 1) flips 10^3-10^4 times faster than the rest (Eq. 3 grows as g
 * → 0). Pointwise Gauss-Seidel then only relaxes the pair it flips between, and the mass of the
 * pair moves by 10^-4 per sweep: at N = 24 such a chain did not converge in 2000 sweeps. So the
 * sweep solves exactly, for each block of the 2^k configurations that differ only in the k fastest
 * spins ({@link #MAX_BLOCK_SPINS} at most, those whose largest rate exceeds {@link #FAST_RATIO}
 * times the median spin's), the block's balance equations with the inflow from outside the block
 * fixed. The fast spins are then in local equilibrium after every sweep, and the sweep behaves like
 * Gauss-Seidel on the chain with them averaged out. The block equations are eliminated in the
 * Grassmann-Taksar-Heyman way (every pivot a sum of non-negative rates, no subtraction), so a
 * 10^10 spread of rates loses no digits.
 *
 * <p><b>Why Krylov.</b> What is left converges linearly, with a few slow modes (masses moving between
 * groups of configurations). Restarted GMRES on the fixed point x = G(x) of the symmetric
 * (forward then backward) block sweep G removes them: with D = diag(x) at the start of a cycle and
 * x = D·y, it minimises ‖y - D⁻¹G(D·y)‖₂ over y = 1 + K_m, so every configuration counts by its
 * relative imbalance, whatever its probability. The answer is always one more plain sweep of the
 * Krylov iterate (negative entries reset first), hence positive.
 */
final class StationarySolver {
    /** At most this many spins form a block: blocks of 8 configurations. */
    static final int MAX_BLOCK_SPINS = 3;

    /** A spin joins the block when its largest flip rate is this many times the median spin's. */
    static final double FAST_RATIO = 10;

    /** Default dimension of the Krylov space per GMRES cycle (one vector of 2^(N-1) doubles each). */
    static final int KRYLOV_DIMENSION = 20;

    /** The solver gives up when the residual has not halved in this many Krylov cycles (or sweeps). */
    static final int STAGNATION_CYCLES = 30;

    /**
     * Probabilities below this (π spans more than 290 decades, e.g. g ~ 8 at N = 24) are treated as
     * zero by the stopping rule and the Krylov scaling: they underflow anyway.
     */
    static final double NEGLIGIBLE = 1e-290;

    private final int n;
    private final int half;
    /** inRate[r·N + i] = rate of the flip of spin i that leads into r. */
    private final double[] inRate;
    private final double[] exit;
    /** flipMask[i]: r ^ flipMask[i] is the representative of r with spin i flipped. */
    private final int[] flipMask;
    /** The spins eliminated exactly in each block, fastest first. */
    private final int[] fastSpins;
    /** The other spins, whose flips bring the block's inflow from outside. */
    private final int[] slowSpins;
    /** offset[c]: configuration c of a block is base ^ offset[c] (bit j of c = fast spin j flipped). */
    private final int[] offset;
    /** Block bases in increasing order (every pivot bit zero). */
    private final int[] bases;
    /** Σ of the rates out of r by the slow spins: the block's exit to the outside, summed, not subtracted. */
    private final double[] slowExit;
    // block work space (the sweeps are sequential)
    private final double[] flow;
    private final double[] out;
    private final double[] rhs;
    private final double[] pivot;

    StationarySolver(int n, double[] inRate, double[] exit) {
        this.n = n;
        this.half = exit.length;
        this.inRate = inRate;
        this.exit = exit;
        int lowMask = half - 1;
        this.flipMask = new int[n];
        for (int i = 0; i < n; i++) {
            flipMask[i] = i == n - 1 ? lowMask : 1 << i;
        }
        this.fastSpins = chooseFastSpins();
        int k = fastSpins.length;
        this.slowSpins = new int[n - k];
        for (int i = 0, j = 0; i < n; i++) {
            if (!contains(fastSpins, i)) {
                slowSpins[j++] = i;
            }
        }
        int size = 1 << k;
        this.offset = new int[size];
        for (int c = 0; c < size; c++) {
            for (int j = 0; j < k; j++) {
                if ((c >>> j & 1) != 0) {
                    offset[c] ^= flipMask[fastSpins[j]];
                }
            }
        }
        // One pivot bit per fast spin, toggled by that spin's flip and by no other: the spin's own bit,
        // or, for spin N-1 (whose flip toggles every other bit), the lowest bit of a slow spin.
        int pivots = 0;
        for (int f : fastSpins) {
            pivots |= f == n - 1 ? 1 << lowestSlowBelow(n - 1) : 1 << f;
        }
        this.bases = new int[half >>> k];
        for (int r = 0, b = 0; r < half; r++) {
            if ((r & pivots) == 0) {
                bases[b++] = r;
            }
        }
        this.slowExit = new double[half];
        Vectors.chunks(half).forEach(ch -> {
            for (int r = Vectors.chunkStart(ch), end = Vectors.chunkEnd(ch, half); r < end; r++) {
                double e = 0;
                for (int i : slowSpins) {
                    e += inRate[(r ^ flipMask[i]) * n + i];
                }
                slowExit[r] = e;
            }
        });
        this.flow = new double[size * size];
        this.out = new double[size];
        this.rhs = new double[size];
        this.pivot = new double[size];
    }

    /** Spins in the block, fastest first (for the record). */
    int[] fastSpins() {
        return fastSpins.clone();
    }

    /** Heap of {@link #solve} besides the rate tables: (krylov + 6)·2^(N-1) doubles. */
    static long workBytes(int n, int krylov) {
        return 8L * (1L << (n - 1)) * (krylov + 6);
    }

    private int[] chooseFastSpins() {
        if (n < 4) {
            return new int[0];
        }
        double[] largest = new double[n];
        for (int r = 0; r < half; r++) {
            for (int i = 0; i < n; i++) {
                largest[i] = Math.max(largest[i], inRate[r * n + i]);
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(largest[b], largest[a]));
        double median = largest[order[n / 2]];
        // blocks stay small against the chain: at most N-3 spins, so every block has slow exits
        int limit = Math.min(MAX_BLOCK_SPINS, n - 3);
        int k = 0;
        while (k < limit && largest[order[k]] >= FAST_RATIO * median) {
            k++;
        }
        int[] fast = new int[k];
        for (int j = 0; j < k; j++) {
            fast[j] = order[j];
        }
        return fast;
    }

    private int lowestSlowBelow(int top) {
        for (int b = 0; b < top; b++) {
            if (!contains(fastSpins, b)) {
                return b;
            }
        }
        throw new IllegalStateException("no slow spin below " + top);
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- the solve

    /** Result: the lumped distribution (Σ = 1), its largest relative imbalance, and the sweeps made. */
    record Result(double[] lumped, double residual, int sweeps) {
    }

    /**
     * @param start     positive starting distribution over the representatives (used as work space)
     * @param tolerance stop when every state is balanced to this relative accuracy ({@link #residual})
     * @param maxSweeps at most this many symmetric sweeps (forward + backward count 2)
     * @param krylov    GMRES cycle length; 0 for plain block Gauss-Seidel
     */
    Result solve(double[] start, double tolerance, int maxSweeps, int krylov) {
        double[] x = start;
        int[] sweeps = {0};
        double res = residual(x);
        if (!(res <= tolerance)) {
            res = krylov > 0 ? gmres(x, tolerance, maxSweeps, krylov, sweeps) : plain(x, tolerance, maxSweeps, sweeps);
        }
        return new Result(x, res, sweeps[0]);
    }

    private double plain(double[] x, double tolerance, int maxSweeps, int[] sweeps) {
        double res = Double.POSITIVE_INFINITY;
        double best = res;
        int lastProgress = 0;
        while (sweeps[0] < maxSweeps) {
            symmetricSweep(x);
            sweeps[0] += 2;
            normalise(x);
            res = residual(x);
            if (res <= tolerance) {
                break;
            }
            if (res < 0.5 * best) {
                best = res;
                lastProgress = sweeps[0];
            } else if (sweeps[0] - lastProgress > 100 * STAGNATION_CYCLES) {
                break;
            }
        }
        return res;
    }

    /**
     * Restarted GMRES(m) on y - D⁻¹G(Dy) = 0, D = diag(x) per cycle (see the class comment). States
     * below {@link #NEGLIGIBLE} are left to the sweeps (their scaled components are held at zero).
     */
    private double gmres(double[] x, double tolerance, int maxSweeps, int m, int[] sweeps) {
        double[][] v = new double[m + 1][half];
        double[] d = new double[half];
        double[] work = new double[half];
        double[][] h = new double[m + 1][m];
        double[] cs = new double[m];
        double[] sn = new double[m];
        double[] rot = new double[m + 1];
        double best = Double.POSITIVE_INFINITY;
        int cycles = 0;
        int lastProgress = 0;
        double res = Double.POSITIVE_INFINITY;
        while (sweeps[0] < maxSweeps) {
            System.arraycopy(x, 0, d, 0, half);
            // r0 = D⁻¹G(x) - 1: the scaled fixed-point residual at y = 1
            System.arraycopy(x, 0, work, 0, half);
            symmetricSweep(work);
            sweeps[0] += 2;
            scaledDifference(work, d, null, v[0]);
            double beta = Math.sqrt(Vectors.dot(v[0], v[0]));
            if (!(beta > 0)) {
                return residual(x);
            }
            Vectors.scale(1 / beta, v[0]);
            for (double[] row : h) {
                Arrays.fill(row, 0);
            }
            Arrays.fill(rot, 0);
            rot[0] = beta;
            int used = 0;
            for (int k = 0; k < m && sweeps[0] < maxSweeps; k++) {
                // v[k+1] = (I - D⁻¹GD) v[k], then modified Gram-Schmidt against v[0..k]
                double[] vk = v[k];
                Vectors.chunks(half).forEach(ch -> {
                    for (int s = Vectors.chunkStart(ch), end = Vectors.chunkEnd(ch, half); s < end; s++) {
                        work[s] = d[s] * vk[s];
                    }
                });
                symmetricSweep(work);
                sweeps[0] += 2;
                scaledDifference(work, d, vk, v[k + 1]);
                for (int j = 0; j <= k; j++) {
                    double hj = Vectors.dot(v[j], v[k + 1]);
                    h[j][k] = hj;
                    Vectors.axpy(-hj, v[j], v[k + 1]);
                }
                double norm = Math.sqrt(Vectors.dot(v[k + 1], v[k + 1]));
                h[k + 1][k] = norm;
                if (norm > 0) {
                    Vectors.scale(1 / norm, v[k + 1]);
                }
                for (int j = 0; j < k; j++) {
                    double t = cs[j] * h[j][k] + sn[j] * h[j + 1][k];
                    h[j + 1][k] = -sn[j] * h[j][k] + cs[j] * h[j + 1][k];
                    h[j][k] = t;
                }
                double r = Math.hypot(h[k][k], h[k + 1][k]);
                cs[k] = h[k][k] / r;
                sn[k] = h[k + 1][k] / r;
                h[k][k] = r;
                h[k + 1][k] = 0;
                rot[k + 1] = -sn[k] * rot[k];
                rot[k] = cs[k] * rot[k];
                used = k + 1;
                if (Math.abs(rot[k + 1]) <= 0.01 * tolerance || norm == 0) {
                    break;
                }
            }
            // y = 1 + V c with H c = rot (upper triangular), then x = D·y and one plain sweep
            double[] c = new double[used];
            for (int i = used - 1; i >= 0; i--) {
                double t = rot[i];
                for (int j = i + 1; j < used; j++) {
                    t -= h[i][j] * c[j];
                }
                c[i] = t / h[i][i];
            }
            int u = used;
            Vectors.chunks(half).forEach(ch -> {
                for (int s = Vectors.chunkStart(ch), end = Vectors.chunkEnd(ch, half); s < end; s++) {
                    double y = 1;
                    for (int j = 0; j < u; j++) {
                        y += c[j] * v[j][s];
                    }
                    // a negative extrapolation falls back to a small share of the start value
                    x[s] = d[s] * (y > 0 ? y : 1e-3);
                }
            });
            symmetricSweep(x);
            sweeps[0] += 2;
            normalise(x);
            res = residual(x);
            cycles++;
            if (res <= tolerance) {
                return res;
            }
            if (res < 0.5 * best) {
                best = res;
                lastProgress = cycles;
            } else if (cycles - lastProgress > STAGNATION_CYCLES) {
                break;
            }
        }
        return res;
    }

    /**
     * result = D⁻¹·gx - 1 (base null: the residual at y = 1) or base - D⁻¹·gx (the operator applied to
     * base); zero where D is negligible.
     */
    private void scaledDifference(double[] gx, double[] d, double[] base, double[] result) {
        Vectors.chunks(half).forEach(ch -> {
            for (int s = Vectors.chunkStart(ch), end = Vectors.chunkEnd(ch, half); s < end; s++) {
                if (d[s] < NEGLIGIBLE) {
                    result[s] = 0;
                } else if (base == null) {
                    result[s] = gx[s] / d[s] - 1;
                } else {
                    result[s] = base[s] - gx[s] / d[s];
                }
            }
        });
    }

    // ---------------------------------------------------------------- block Gauss-Seidel

    /** Forward then backward block Gauss-Seidel sweep: linear, and positive on positive x. */
    void symmetricSweep(double[] x) {
        for (int b = 0; b < bases.length; b++) {
            solveBlock(x, bases[b]);
        }
        for (int b = bases.length - 1; b >= 0; b--) {
            solveBlock(x, bases[b]);
        }
    }

    /**
     * Balances the block {base ^ offset[c]} exactly against the current inflow from outside:
     * (slowExit_c + Σ_c' f[c→c']) x_c - Σ_c' f[c'→c] x_c' = inflow_c. Variables are eliminated in
     * order; eliminating p reroutes every path through p (j → p → c adds f[j→p]·f[p→c]/pivot_p, j → p
     * → outside adds to j's exit), so each pivot is a sum of non-negative terms (GTH).
     */
    private void solveBlock(double[] x, int base) {
        int size = offset.length;
        for (int c = 0; c < size; c++) {
            int r = base ^ offset[c];
            int row = r * n;
            rhs[c] = inflow(x, r, slowSpins);
            out[c] = slowExit[r];
            for (int j = 0; j < fastSpins.length; j++) {
                // flow[from·size + to]: rate from configuration c ^ (1<<j) into c
                flow[(c ^ (1 << j)) * size + c] = inRate[row + fastSpins[j]];
            }
        }
        if (size == 1) {
            x[base] = rhs[0] / out[0];
            return;
        }
        for (int p = 0; p < size; p++) {
            double d = out[p];
            for (int j = p + 1; j < size; j++) {
                d += flow[p * size + j];
            }
            if (!(d > 0)) {
                throw new IllegalStateException("configurations " + base + " ^ " + Arrays.toString(offset)
                        + " form a closed set: the stationary state is not unique");
            }
            pivot[p] = d;
            for (int j = p + 1; j < size; j++) {
                double toP = flow[j * size + p];
                if (toP == 0) {
                    continue;
                }
                double share = toP / d;
                out[j] += share * out[p];
                for (int c = p + 1; c < size; c++) {
                    if (c != j) {
                        flow[j * size + c] += share * flow[p * size + c];
                    }
                }
            }
            for (int c = p + 1; c < size; c++) {
                rhs[c] += flow[p * size + c] * rhs[p] / d;
            }
        }
        for (int p = size - 1; p >= 0; p--) {
            double t = rhs[p];
            for (int j = p + 1; j < size; j++) {
                t += flow[j * size + p] * rhs[j];
            }
            rhs[p] = t / pivot[p];
        }
        for (int c = 0; c < size; c++) {
            x[base ^ offset[c]] = rhs[c];
        }
        Arrays.fill(flow, 0);
    }

    // ---------------------------------------------------------------- checks

    /** Σ_{i in spins} W(r^i → r) x(r^i): the probability flow into r by flips of those spins. */
    private double inflow(double[] x, int r, int[] spins) {
        int row = r * n;
        double acc = 0;
        for (int i : spins) {
            acc += inRate[row + i] * x[r ^ flipMask[i]];
        }
        return acc;
    }

    /**
     * Largest relative imbalance, max over lumped states r of |inflow(r) - exit(r)x(r)| / (exit(r)x(r)),
     * and over blocks B of |Σ_B (inflow - outflow)| / Σ_B slowExit·x. Unlike the 1-norm residual this
     * also sees states of tiny probability, so it bounds the relative accuracy of each state's local
     * balance; the block term sees the slow flows, which a fast spin's flips would otherwise hide
     * (the flips inside a block cancel from its sum).
     */
    double residual(double[] x) {
        int blocks = bases.length;
        int per = Math.max(1, (1 << 14) >>> fastSpins.length);
        int chunks = (blocks + per - 1) / per;
        double[] worst = new double[chunks];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, chunks);
        (half >= 1 << 12 ? range.parallel() : range).forEach(ch -> {
            double w = 0;
            for (int b = ch * per, end = Math.min(blocks, (ch + 1) * per); b < end; b++) {
                double net = 0;
                double slow = 0;
                for (int off : offset) {
                    int r = bases[b] ^ off;
                    double slowIn = inflow(x, r, slowSpins);
                    double in = slowIn + inflow(x, r, fastSpins);
                    if (x[r] < NEGLIGIBLE && in / exit[r] < NEGLIGIBLE) {
                        continue; // below the double range, before and after an update: nothing to balance
                    }
                    double o = exit[r] * x[r];
                    w = worse(w, Math.abs(in - o) / o);
                    // the flips inside the block cancel from its sum: leave them out, not subtract them
                    net += slowIn - slowExit[r] * x[r];
                    slow += slowExit[r] * x[r];
                }
                if (slow > 0 && offset.length > 1) {
                    w = worse(w, Math.abs(net) / slow);
                }
            }
            worst[ch] = w;
        });
        double max = 0;
        for (double w : worst) {
            max = worse(max, w);
        }
        return max;
    }

    private static double worse(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }

    static void normalise(double[] x) {
        Vectors.scale(1 / Vectors.sum(x), x);
    }
}
