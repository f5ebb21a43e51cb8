package io.iontrap.analysis.fit;

/**
 * A fitted (or fixed) parameter: value, interval at {@code level}, how the interval was found
 * ("profile", "fisher", "fixed"), and the unit label.
 */
public record ParameterEstimate(String name, double value, double lo, double hi, double level, String method,
                                String unit) {
    public boolean covers(double truth) {
        return lo <= truth && truth <= hi;
    }

    public boolean fixed() {
        return "fixed".equals(method);
    }
}
