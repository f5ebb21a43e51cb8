package io.iontrap.analysis.estimate;

import io.iontrap.analysis.data.RunData;

/**
 * Configuration counts n_{t,σ} of a run: how many recorded shots at time index t showed
 * configuration σ. Dense (2^N per time), so N ≤ {@link #MAX_DENSE_IONS}.
 */
public final class ShotCounts {
    public static final int MAX_DENSE_IONS = 24;

    private final int ions;
    private final double[] times;
    private final int[][] counts;
    private final int[] totals;

    public ShotCounts(int ions, double[] times, int[][] counts) {
        if (ions > MAX_DENSE_IONS) {
            throw new IllegalArgumentException("configuration counts need N <= " + MAX_DENSE_IONS + ", got N = " + ions);
        }
        this.ions = ions;
        this.times = times.clone();
        this.counts = counts;
        this.totals = new int[counts.length];
        for (int t = 0; t < counts.length; t++) {
            if (counts[t].length != 1 << ions) {
                throw new IllegalArgumentException("counts at time index " + t + " have " + counts[t].length
                        + " entries, expected 2^N = " + (1 << ions));
            }
            for (int c : counts[t]) {
                totals[t] += c;
            }
        }
    }

    public static ShotCounts of(RunData run) {
        int n = run.ions();
        if (n > MAX_DENSE_IONS) {
            throw new IllegalArgumentException("configuration populations need N <= " + MAX_DENSE_IONS
                    + " (2^N categories), the run has N = " + n);
        }
        int[][] c = new int[run.timeCount()][1 << n];
        for (int t = 0; t < run.timeCount(); t++) {
            for (long s : run.shots(t)) {
                c[t][(int) s]++;
            }
        }
        return new ShotCounts(n, run.times(), c);
    }

    public int ions() {
        return ions;
    }

    public int states() {
        return 1 << ions;
    }

    public int timeCount() {
        return times.length;
    }

    public double[] times() {
        return times.clone();
    }

    public double time(int t) {
        return times[t];
    }

    public int count(int t, int state) {
        return counts[t][state];
    }

    public int[] counts(int t) {
        return counts[t].clone();
    }

    public int total(int t) {
        return totals[t];
    }

    /** Observed frequencies n_{t,σ}/n_t (zeros when no shot was recorded). */
    public double[] frequencies(int t) {
        double[] f = new double[states()];
        if (totals[t] > 0) {
            for (int s = 0; s < f.length; s++) {
                f[s] = counts[t][s] / (double) totals[t];
            }
        }
        return f;
    }

    /** Counts pooled over a set of time indices (e.g. the late times of a relaxation). */
    public int[] pooled(int[] timeIndices) {
        int[] p = new int[states()];
        for (int t : timeIndices) {
            for (int s = 0; s < p.length; s++) {
                p[s] += counts[t][s];
            }
        }
        return p;
    }
}
