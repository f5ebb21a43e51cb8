package io.iontrap.hardware.units;

/**
 * A cyclic frequency in Hz: what a synthesiser (DDS) is set to and what labs quote as
 * "Rabi frequency Ω/2π". Never mixed with {@link AngularFrequency}: {@code f = ω/2π}.
 */
public record CyclicFrequency(double hz) implements Comparable<CyclicFrequency> {
    public static CyclicFrequency hz(double value) {
        return new CyclicFrequency(value);
    }

    public static CyclicFrequency kHz(double value) {
        return new CyclicFrequency(value * 1e3);
    }

    public static CyclicFrequency MHz(double value) {
        return new CyclicFrequency(value * 1e6);
    }

    /** ω = 2π f. */
    public AngularFrequency toAngular() {
        return new AngularFrequency(hz * AngularFrequency.TWO_PI);
    }

    public CyclicFrequency plus(CyclicFrequency other) {
        return new CyclicFrequency(hz + other.hz);
    }

    public CyclicFrequency minus(CyclicFrequency other) {
        return new CyclicFrequency(hz - other.hz);
    }

    public CyclicFrequency times(double factor) {
        return new CyclicFrequency(hz * factor);
    }

    @Override
    public int compareTo(CyclicFrequency o) {
        return Double.compare(hz, o.hz);
    }

    @Override
    public String toString() {
        return String.format("%.9g Hz", hz);
    }
}
