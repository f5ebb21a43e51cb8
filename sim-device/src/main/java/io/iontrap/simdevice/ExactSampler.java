package io.iontrap.simdevice;

import io.iontrap.model.master.MasterEquation;
import io.iontrap.model.numerics.Categorical;
import java.util.SplittableRandom;

/**
 * Shots from the exact effective master equation: p(t_k) by uniformisation ({@link MasterEquation#evolve}),
 * computed when point k is first sampled (from the latest earlier time already computed, since the
 * process is Markov: one series over the schedule in all), then one categorical draw per shot from
 * the cumulative distribution (binary search), so the shots of a point are a multinomial sample.
 */
final class ExactSampler implements ShotSampler {
    private final MasterEquation master;
    private final double[] p0;
    private final double[] times;
    private double lastTime;
    private double[] lastP;
    private int point = -1;
    private Categorical categorical;

    ExactSampler(MasterEquation master, int initialConfiguration, double[] modelTimes) {
        this.master = master;
        this.p0 = new double[master.states()];
        p0[initialConfiguration] = 1;
        this.times = modelTimes.clone();
        this.lastTime = 0;
        this.lastP = p0;
    }

    /** p(t) of schedule point k (true configurations, before detection errors). */
    double[] distribution(int k) {
        double t = times[k];
        double[] p;
        if (t == lastTime) {
            p = lastP;
        } else if (t > lastTime) {
            p = master.evolve(lastP, new double[]{t - lastTime})[0];
        } else {
            p = t == 0 ? p0 : master.evolve(p0, new double[]{t})[0];
        }
        lastTime = t;
        lastP = p;
        return p;
    }

    @Override
    public long[] sample(int k, SplittableRandom rng) {
        if (k != point) {
            categorical = new Categorical(distribution(k));
            point = k;
        }
        return new long[]{categorical.draw(rng)};
    }

    @Override
    public Engine engine() {
        return Engine.EXACT;
    }
}
