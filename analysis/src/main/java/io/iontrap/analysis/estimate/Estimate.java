package io.iontrap.analysis.estimate;

/** A point estimate with a two-sided interval at {@link #level}. */
public record Estimate(double value, double lo, double hi, double level) {
    public boolean covers(double truth) {
        return lo <= truth && truth <= hi;
    }

    public double halfWidth() {
        return (hi - lo) / 2;
    }
}
