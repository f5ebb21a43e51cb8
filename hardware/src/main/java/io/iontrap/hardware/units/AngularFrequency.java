package io.iontrap.hardware.units;

/**
 * An angular frequency (or a rate in a master equation) in rad/s. Hamiltonian parameters
 * (ω, Ω, g_i, Rabi frequencies, detunings δ) and rates (γ, κ, Γ_eff) are of this kind. Never
 * mixed with {@link CyclicFrequency}: the conversion is explicit, {@code ω = 2π f}.
 */
public record AngularFrequency(double radPerSecond) implements Comparable<AngularFrequency> {
    public static final double TWO_PI = 2 * Math.PI;
    public static final AngularFrequency ZERO = new AngularFrequency(0);

    public static AngularFrequency radPerSecond(double value) {
        return new AngularFrequency(value);
    }

    /** The lab's unit: {@code value} × 2π × 1 kHz. */
    public static AngularFrequency twoPiKHz(double value) {
        return new AngularFrequency(value * TWO_PI * 1e3);
    }

    public static AngularFrequency twoPiHz(double value) {
        return new AngularFrequency(value * TWO_PI);
    }

    /** f = ω/2π. */
    public CyclicFrequency toCyclic() {
        return new CyclicFrequency(radPerSecond / TWO_PI);
    }

    /** The value in 2π×kHz (what a lab quotes for ω, Ω, g). */
    public double inTwoPiKHz() {
        return radPerSecond / (TWO_PI * 1e3);
    }

    public AngularFrequency times(double factor) {
        return new AngularFrequency(radPerSecond * factor);
    }

    public AngularFrequency plus(AngularFrequency other) {
        return new AngularFrequency(radPerSecond + other.radPerSecond);
    }

    public AngularFrequency minus(AngularFrequency other) {
        return new AngularFrequency(radPerSecond - other.radPerSecond);
    }

    public double over(AngularFrequency other) {
        return radPerSecond / other.radPerSecond;
    }

    public AngularFrequency abs() {
        return new AngularFrequency(Math.abs(radPerSecond));
    }

    @Override
    public int compareTo(AngularFrequency o) {
        return Double.compare(radPerSecond, o.radPerSecond);
    }

    @Override
    public String toString() {
        return String.format("2pi x %.6g kHz", inTwoPiKHz());
    }
}
