package io.iontrap.analysis;

import io.iontrap.analysis.data.RunData;
import io.iontrap.model.Parameters;
import io.iontrap.model.numerics.Categorical;
import java.util.SplittableRandom;

/**
 * Seeded synthetic shots: multinomial sampling from known populations, with optional per-ion
 * detection errors. For calibration tests of the estimators and fits, and for demos.
 */
public final class Synthetic {
    private Synthetic() {
    }

    /** {@code shots} configurations drawn from p (length 2^N), then each ion misread with its error rates. */
    public static long[] sample(double[] p, int shots, double[][] detectionError, SplittableRandom rnd) {
        Categorical categorical = new Categorical(p);
        long[] out = new long[shots];
        for (int j = 0; j < shots; j++) {
            long c = categorical.draw(rnd);
            if (detectionError != null) {
                for (int i = 0; i < detectionError.length; i++) {
                    boolean up = ((c >>> i) & 1L) != 0;
                    double flip = up ? detectionError[i][1] : detectionError[i][0];
                    if (rnd.nextDouble() < flip) {
                        c ^= 1L << i;
                    }
                }
            }
            out[j] = c;
        }
        return out;
    }

    /** A complete run whose shots at time index t are drawn from {@code populations[t]}. */
    public static RunData run(Parameters model, double[] times, double[][] populations, int shotsPerTime,
                              long initial, double[][] detectionError, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] planned = new int[times.length];
        long[][] shots = new long[times.length][];
        for (int t = 0; t < times.length; t++) {
            planned[t] = shotsPerTime;
            shots[t] = sample(populations[t], shotsPerTime, detectionError, rnd);
        }
        int n = Integer.numberOfTrailingZeros(populations[0].length);
        return RunData.builder(n).model(model).schedule(times, planned).initial(initial).shots(shots)
                .detectionError(detectionError).provenance("source", "synthetic, seed " + seed).build();
    }
}
