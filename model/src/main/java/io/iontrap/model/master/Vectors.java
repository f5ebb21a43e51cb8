package io.iontrap.model.master;

import java.util.stream.IntStream;

/**
 * Dense vector kernels over the 2^N (or 2^(N-1)) configurations, in parallel for long vectors. Sums
 * are taken over fixed blocks added in order, so a result has the same bits whatever the threads.
 */
final class Vectors {
    private static final int CHUNK = 1 << 14;
    private static final int SERIAL_BELOW = 1 << 12;

    private Vectors() {
    }

    /** Fixed blocks [k·chunk, (k+1)·chunk) covering 0..length-1; parallel above a few thousand entries. */
    static IntStream chunks(int length) {
        IntStream r = IntStream.range(0, chunkCount(length));
        return length >= SERIAL_BELOW ? r.parallel() : r;
    }

    static int chunkCount(int length) {
        return (length + CHUNK - 1) / CHUNK;
    }

    static int chunkStart(int k) {
        return k * CHUNK;
    }

    static int chunkEnd(int k, int length) {
        return Math.min(length, (k + 1) * CHUNK);
    }

    /** Σ a_s b_s. */
    static double dot(double[] a, double[] b) {
        double[] partial = new double[chunkCount(a.length)];
        chunks(a.length).forEach(k -> {
            double acc = 0;
            for (int s = chunkStart(k), end = chunkEnd(k, a.length); s < end; s++) {
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

    /** y += a·x. */
    static void axpy(double a, double[] x, double[] y) {
        chunks(x.length).forEach(k -> {
            for (int s = chunkStart(k), end = chunkEnd(k, x.length); s < end; s++) {
                y[s] += a * x[s];
            }
        });
    }

    /** x *= a. */
    static void scale(double a, double[] x) {
        chunks(x.length).forEach(k -> {
            for (int s = chunkStart(k), end = chunkEnd(k, x.length); s < end; s++) {
                x[s] *= a;
            }
        });
    }

    /** Σ x_s, as {@link #dot} sums. */
    static double sum(double[] x) {
        double[] partial = new double[chunkCount(x.length)];
        chunks(x.length).forEach(k -> {
            double acc = 0;
            for (int s = chunkStart(k), end = chunkEnd(k, x.length); s < end; s++) {
                acc += x[s];
            }
            partial[k] = acc;
        });
        double total = 0;
        for (double v : partial) {
            total += v;
        }
        return total;
    }
}
