package io.iontrap.simdevice;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Per-ion state-detection errors: with probability {@code readOneGivenZero[i]} ion i is read as '1'
 * although it was in σ_i = -1 ('0'), with {@code readZeroGivenOne[i]} read '0' although it was
 * σ_i = +1 (bright↔dark misassignment of fluorescence detection). Applied to every shot
 * independently per ion.
 */
public final class DetectionError {
    public static final DetectionError NONE = uniform(0);

    private final double[] e01;
    private final double[] e10;
    private final boolean perIon;

    private DetectionError(double[] e01, double[] e10, boolean perIon) {
        for (int i = 0; i < e01.length; i++) {
            check(e01[i], "readOneGivenZero[" + i + "]");
            check(e10[i], "readZeroGivenOne[" + i + "]");
        }
        this.e01 = e01;
        this.e10 = e10;
        this.perIon = perIon;
    }

    private static void check(double e, String what) {
        if (!(e >= 0 && e < 0.5)) {
            throw new IllegalArgumentException("detection error " + what + " = " + e + " must be in [0, 0.5)");
        }
    }

    /** The same misassignment probability both ways for every ion. */
    public static DetectionError uniform(double e) {
        return new DetectionError(new double[]{e}, new double[]{e}, false);
    }

    /** The same for every ion, different for the two directions. */
    public static DetectionError asymmetric(double readOneGivenZero, double readZeroGivenOne) {
        return new DetectionError(new double[]{readOneGivenZero}, new double[]{readZeroGivenOne}, false);
    }

    public static DetectionError perIon(double[] readOneGivenZero, double[] readZeroGivenOne) {
        if (readOneGivenZero.length != readZeroGivenOne.length) {
            throw new IllegalArgumentException("detection error arrays differ in length");
        }
        return new DetectionError(readOneGivenZero.clone(), readZeroGivenOne.clone(), true);
    }

    public double readOneGivenZero(int ion) {
        return e01[perIon ? ion : 0];
    }

    public double readZeroGivenOne(int ion) {
        return e10[perIon ? ion : 0];
    }

    public boolean none() {
        for (int i = 0; i < e01.length; i++) {
            if (e01[i] != 0 || e10[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Checks that per-ion values cover {@code n} ions. */
    public DetectionError forIons(int n) {
        if (perIon && e01.length != n) {
            throw new IllegalArgumentException("detection errors given for " + e01.length + " ions, the trap has " + n);
        }
        return this;
    }

    /** What the detector reports for true spins {@code words} (bit i = ion i, 1 = σ_i = +1). */
    public char[] read(long[] words, int n, SplittableRandom rng) {
        char[] out = new char[n];
        for (int i = 0; i < n; i++) {
            boolean up = ((words[i >>> 6] >>> (i & 63)) & 1L) != 0;
            double e = up ? readZeroGivenOne(i) : readOneGivenZero(i);
            if (e > 0 && rng.nextDouble() < e) {
                up = !up;
            }
            out[i] = up ? '1' : '0';
        }
        return out;
    }

    /**
     * The distribution of what is read, given the distribution {@code p} of the true configurations
     * (length 2^n, bit i = ion i): p_read(b) = Σ_σ p(σ) Π_i P(b_i | σ_i), one ion at a time (n·2^n).
     */
    public double[] fold(double[] p, int n) {
        double[] q = p.clone();
        for (int i = 0; i < n; i++) {
            double a = readOneGivenZero(i);
            double b = readZeroGivenOne(i);
            if (a == 0 && b == 0) {
                continue;
            }
            int bit = 1 << i;
            for (int s = 0; s < q.length; s++) {
                if ((s & bit) == 0) {
                    double down = q[s];
                    double up = q[s | bit];
                    q[s] = (1 - a) * down + b * up;
                    q[s | bit] = a * down + (1 - b) * up;
                }
            }
        }
        return q;
    }

    @Override
    public String toString() {
        return perIon ? "DetectionError{1|0=" + Arrays.toString(e01) + ", 0|1=" + Arrays.toString(e10) + "}"
                : "DetectionError{1|0=" + e01[0] + ", 0|1=" + e10[0] + "}";
    }
}
