package io.iontrap.simdevice;

import java.util.SplittableRandom;

/**
 * Draws the true spin configuration of one shot at one point of a schedule: every shot is a fresh
 * preparation, hold and projective measurement, so shots are independent given the random stream.
 */
interface ShotSampler {
    /** The configuration (bit i of word i/64 = ion i, 1 = σ_i = +1) measured in one shot at {@code point}. */
    long[] sample(int point, SplittableRandom rng);

    /** Which engine this is. */
    Engine engine();
}
