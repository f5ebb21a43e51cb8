package io.iontrap.model.master;

import io.iontrap.model.numerics.HessenbergLeastSquares;
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
 *
 * <p><b>Why colours.</b> Blocks of one colour share no flip, so each colour is solved in parallel
 * with the same bits whatever the threads. Against the lexicographic order (N = 22 with a g = -0.025
 * spin, idle machine): 0.21 s instead of 0.47 s per sweep, 176 instead of 132 sweeps, 19.8 s instead
 * of 32.8 s in all, ⟨E⟩ equal to 6e-14.
 */
final class StationarySolver {
    /** At most this many spins form a block: blocks of 8 configurations. */
    static final int MAX_BLOCK_SPINS = 3;

    /**
     * A spin joins the block when its largest flip rate is this many times the median spin's. Larger
     * blocks cost more per sweep and save sweeps; measured with lexicographic sweeps on the seeded
     * g = -0.025 chains, the three fastest spins (ratios 3500, 32, 13) against that spin alone:
     * N = 24, 132 sweeps in 164 s against 220 sweeps in 178 s; N = 22, 132 in 37 s against 176 in 25 s.
     */
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
    /** inRate[t·N + i] = rate of the flip of spin i that leads into table row t (spin N-1 down). */
    private final double[] inRate;
    private final double[] exit;
    /** row[s]: the table row of the mirror pair that has index s here (see the layout note). */
    private final int[] row;
    /** flipMask[i]: s ^ flipMask[i] is the index of s with spin i flipped. */
    private final int[] flipMask;
    /** The k spins eliminated exactly in each block (bits 0..k-1 of the index), fastest first. */
    private final int[] fastSpins;
    /** The other spins, whose flips bring the block's inflow from outside. */
    private final int[] slowSpins;
    /** Σ of the rates out of s by the slow spins: the block's exit to the outside, summed, not subtracted. */
    private final double[] slowExit;
    /** 2^k configurations per block. */
    private final int blockSize;
    /** Bit of the block index that the reference spin's flip (and only a flip of all slow spins) toggles last. */
    private final int topBlockBit;

    /**
     * Layout: the solver indexes the mirror pairs by the other spins relative to a reference spin held
     * down (spin N-1 as in the table, or the slowest spin if N-1 is fast), the k fast spins in bits
     * 0..k-1 and the rest above in increasing order. A block is then 2^k consecutive indices, and a
     * sweep streams through the iterate and, 2^k rows at a time, through the table.
     */
    StationarySolver(int n, double[] inRate, double[] exit) {
        this.n = n;
        this.half = exit.length;
        this.inRate = inRate;
        this.exit = exit;
        double[] largest = largestRates();
        this.fastSpins = chooseFastSpins(largest);
        int k = fastSpins.length;
        // the table's own reference (spin N-1 held down) keeps its rows in streaming order
        int reference = contains(fastSpins, n - 1) ? slowest(largest) : n - 1;
        int[] position = new int[n];
        Arrays.fill(position, -1);
        for (int j = 0; j < k; j++) {
            position[fastSpins[j]] = j;
        }
        this.slowSpins = new int[n - k];
        for (int i = 0, next = k, j = 0; i < n; i++) {
            if (position[i] < 0 && i != reference) {
                position[i] = next++;
            }
            if (!contains(fastSpins, i)) {
                slowSpins[j++] = i;
            }
        }
        this.flipMask = new int[n];
        for (int i = 0; i < n; i++) {
            flipMask[i] = i == reference ? half - 1 : 1 << position[i];
        }
        int full = 2 * half - 1;
        this.row = new int[half];
        this.slowExit = new double[half];
        Vectors.chunks(half).forEach(ch -> {
            for (int s = Vectors.chunkStart(ch), end = Vectors.chunkEnd(ch, half); s < end; s++) {
                int sigma = 0;
                for (int i = 0; i < n; i++) {
                    if (i != reference && (s >>> position[i] & 1) != 0) {
                        sigma |= 1 << i;
                    }
                }
                row[s] = sigma < half ? sigma : sigma ^ full;
            }
        });
        Vectors.chunks(half).forEach(ch -> {
            for (int s = Vectors.chunkStart(ch), end = Vectors.chunkEnd(ch, half); s < end; s++) {
                double e = 0;
                for (int i : slowSpins) {
                    e += inRate[row[s ^ flipMask[i]] * n + i];
                }
                slowExit[s] = e;
            }
        });
        this.blockSize = 1 << k;
        this.topBlockBit = Math.max(0, n - 2 - k);
    }

    /** Heap of {@link #solve} besides the rate tables: (krylov + 7)·2^(N-1) doubles. */
    static long workBytes(int n, int krylov) {
        return 8L * (1L << (n - 1)) * (krylov + 7);
    }

    /** Largest rate of each spin's flips over the table. */
    private double[] largestRates() {
        double[] largest = new double[n];
        for (int t = 0; t < half; t++) {
            for (int i = 0; i < n; i++) {
                largest[i] = Math.max(largest[i], inRate[t * n + i]);
            }
        }
        return largest;
    }

    private int[] chooseFastSpins(double[] largest) {
        if (n < 4) {
            return new int[0];
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
        while (k < limit && median > 0 && largest[order[k]] >= FAST_RATIO * median) {
            k++;
        }
        int[] fast = new int[k];
        for (int j = 0; j < k; j++) {
            fast[j] = order[j];
        }
        return fast;
    }

    private static int slowest(double[] largest) {
        int best = 0;
        for (int i = 1; i < largest.length; i++) {
            if (largest[i] < largest[best]) {
                best = i;
            }
        }
        return best;
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

    /** Result: the lumped distribution over the table rows (Σ = 1), its largest relative imbalance, the sweeps made. */
    record Result(double[] lumped, double residual, int sweeps) {
    }

    /**
     * @param start     positive starting distribution over the table rows; overwritten by the answer
     * @param tolerance stop when every state is balanced to this relative accuracy ({@link #residual})
     * @param maxSweeps at most this many symmetric sweeps (forward + backward count 2)
     * @param krylov    GMRES cycle length; 0 for plain block Gauss-Seidel
     */
    Result solve(double[] start, double tolerance, int maxSweeps, int krylov) {
        double[] x = new double[half];
        for (int s = 0; s < half; s++) {
            x[s] = start[row[s]];
        }
        int[] sweeps = {0};
        double res = residual(x);
        if (!(res <= tolerance)) {
            res = krylov > 0 ? gmres(x, tolerance, maxSweeps, krylov, sweeps) : plain(x, tolerance, maxSweeps, sweeps);
        }
        for (int s = 0; s < half; s++) {
            start[row[s]] = x[s];
        }
        return new Result(start, res, sweeps[0]);
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
        double[] h = new double[m + 1];
        HessenbergLeastSquares ls = new HessenbergLeastSquares(m);
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
            ls.start(beta);
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
                    h[j] = Vectors.dot(v[j], v[k + 1]);
                    Vectors.axpy(-h[j], v[j], v[k + 1]);
                }
                double norm = Math.sqrt(Vectors.dot(v[k + 1], v[k + 1]));
                h[k + 1] = norm;
                if (norm > 0) {
                    Vectors.scale(1 / norm, v[k + 1]);
                }
                if (ls.add(h) <= 0.01 * tolerance || norm == 0) {
                    break;
                }
            }
            // y = 1 + V c, then x = D·y and one plain sweep
            double[] c = ls.solve();
            int u = c.length;
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

    /**
     * One forward and one backward block Gauss-Seidel sweep in four colours: linear, deterministic,
     * and positive on positive x. A block's neighbours (one slow spin flipped, or the reference spin:
     * every slow bit flipped) always differ in colour = (parity of the block index, its top bit), so
     * the blocks of one colour are independent and are solved in parallel; the colours run 0, 1, 2, 3
     * and back 2, 1, 0.
     */
    void symmetricSweep(double[] x) {
        for (int colour : COLOUR_ORDER) {
            int blocks = half / blockSize;
            Vectors.chunks(blocks).forEach(ch -> {
                BlockWork w = new BlockWork(blockSize);
                for (int b = Vectors.chunkStart(ch), end = Vectors.chunkEnd(ch, blocks); b < end; b++) {
                    if (colour(b) == colour) {
                        solveBlock(x, b * blockSize, w);
                    }
                }
            });
        }
    }

    private static final int[] COLOUR_ORDER = {0, 1, 2, 3, 2, 1, 0};

    private int colour(int block) {
        return (Integer.bitCount(block) & 1) | (block >>> topBlockBit & 1) << 1;
    }

    /** Work space of one block solve. */
    private static final class BlockWork {
        final double[] flow;
        final double[] out;
        final double[] rhs;
        final double[] pivot;

        BlockWork(int size) {
            flow = new double[size * size];
            out = new double[size];
            rhs = new double[size];
            pivot = new double[size];
        }
    }

    /**
     * Balances the block {base + c} exactly against the current inflow from outside:
     * (slowExit_c + Σ_c' f[c→c']) x_c - Σ_c' f[c'→c] x_c' = inflow_c. Variables are eliminated in
     * order; eliminating p reroutes every path through p (j → p → c adds f[j→p]·f[p→c]/pivot_p, j → p
     * → outside adds to j's exit), so each pivot is a sum of non-negative terms (GTH).
     */
    private void solveBlock(double[] x, int base, BlockWork w) {
        int size = blockSize;
        double[] flow = w.flow;
        double[] out = w.out;
        double[] rhs = w.rhs;
        double[] pivot = w.pivot;
        for (int c = 0; c < size; c++) {
            int s = base + c;
            rhs[c] = inflow(x, s, slowSpins);
            out[c] = slowExit[s];
            int t = row[s] * n;
            for (int j = 0; j < fastSpins.length; j++) {
                // flow[from·size + to]: rate from configuration c ^ (1<<j) into c
                flow[(c ^ (1 << j)) * size + c] = inRate[t + fastSpins[j]];
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
                throw new IllegalStateException("the configurations that differ from table row " + row[base]
                        + " only in spins " + Arrays.toString(fastSpins) + " form a closed set: the stationary "
                        + "state is not unique");
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
        System.arraycopy(rhs, 0, x, base, size);
        Arrays.fill(flow, 0);
    }

    // ---------------------------------------------------------------- checks

    /** Σ_{i in spins} W(r^i → r) x(r^i): the probability flow into r by flips of those spins. */
    private double inflow(double[] x, int s, int[] spins) {
        int t = row[s] * n;
        double acc = 0;
        for (int i : spins) {
            acc += inRate[t + i] * x[s ^ flipMask[i]];
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
        int size = blockSize;
        int blocks = half / size;
        int per = Math.max(1, (1 << 14) / size);
        int chunks = (blocks + per - 1) / per;
        double[] worst = new double[chunks];
        java.util.stream.IntStream range = java.util.stream.IntStream.range(0, chunks);
        (half >= 1 << 12 ? range.parallel() : range).forEach(ch -> {
            double w = 0;
            for (int b = ch * per, end = Math.min(blocks, (ch + 1) * per); b < end; b++) {
                double net = 0;
                double slow = 0;
                for (int s = b * size; s < (b + 1) * size; s++) {
                    double slowIn = inflow(x, s, slowSpins);
                    double in = slowIn + inflow(x, s, fastSpins);
                    double e = exit[row[s]];
                    if (x[s] < NEGLIGIBLE && in / e < NEGLIGIBLE) {
                        continue; // below the double range, before and after an update: nothing to balance
                    }
                    double o = e * x[s];
                    w = worse(w, Math.abs(in - o) / o);
                    // the flips inside the block cancel from its sum: leave them out, not subtract them
                    net += slowIn - slowExit[s] * x[s];
                    slow += slowExit[s] * x[s];
                }
                if (slow > 0 && size > 1) {
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
