package io.iontrap.model;

/**
 * Single-spin-flip rates of a classical master equation whose rate for flipping spin i depends
 * on the configuration only through the energy change ΔE_i (physics.md §3). {@code FlipRates}
 * implements Eq. (3); tests plug in closed-form rates with known stationary states.
 */
@FunctionalInterface
public interface SpinFlipRates {
    /** Rate (angular frequency units) of flipping spin {@code spin} when that flip changes E by ΔE. */
    double rate(int spin, double deltaE);
}
