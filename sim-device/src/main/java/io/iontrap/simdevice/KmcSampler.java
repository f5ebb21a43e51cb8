package io.iontrap.simdevice;

import io.iontrap.model.master.KineticMonteCarlo;
import java.util.SplittableRandom;

/** Shots from kinetic Monte Carlo: one independent trajectory per shot, from the initial configuration to the hold time. */
final class KmcSampler implements ShotSampler {
    private final KineticMonteCarlo kmc;
    private final long[] initial;
    private final double[] times;

    KmcSampler(KineticMonteCarlo kmc, long[] initial, double[] modelTimes) {
        this.kmc = kmc;
        this.initial = initial.clone();
        this.times = modelTimes.clone();
    }

    @Override
    public long[] sample(int point, SplittableRandom rng) {
        return kmc.trajectory(initial, new double[]{times[point]}, rng)[0];
    }

    @Override
    public Engine engine() {
        return Engine.KMC;
    }
}
