package io.iontrap.hardware.drive;

import java.util.Locale;

/**
 * One check of a plan against a limit. {@code where} names the channel, ion or "trap";
 * {@code limit} names the limit as in the trap file (maxAmplitude, maxRabiFrequencyHz, ...) or the
 * validity condition (validity.lambDicke, ...). The check passes when {@code value ≤ bound}
 * ({@link Kind#AT_MOST}) or {@code value ≥ bound} ({@link Kind#AT_LEAST}); NaN never passes.
 */
public record LimitCheck(String where, String limit, String quantity, double value, double bound, String unit,
                         Kind kind) {
    public enum Kind { AT_MOST, AT_LEAST }

    public static LimitCheck atMost(String where, String limit, String quantity, double value, double bound,
                                    String unit) {
        return new LimitCheck(where, limit, quantity, value, bound, unit, Kind.AT_MOST);
    }

    public static LimitCheck atLeast(String where, String limit, String quantity, double value, double bound,
                                     String unit) {
        return new LimitCheck(where, limit, quantity, value, bound, unit, Kind.AT_LEAST);
    }

    public boolean violated() {
        return kind == Kind.AT_MOST ? !(value <= bound) : !(value >= bound);
    }

    /** value/bound for AT_MOST, bound/value for AT_LEAST: ≤ 1 passes. */
    public double usage() {
        return kind == Kind.AT_MOST ? value / bound : bound / value;
    }

    public String message() {
        String rel = kind == Kind.AT_LEAST ? (violated() ? "<" : ">=") : (violated() ? ">" : "<=");
        String u = unit == null || unit.isEmpty() ? "" : " " + unit;
        return String.format(Locale.ROOT, "%s: %s = %.6g%s %s %s = %.6g%s", where, quantity, value, u, rel, limit,
                bound, u);
    }

    @Override
    public String toString() {
        return message();
    }
}
