package io.iontrap.analysis.fit;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which parameters a fit frees ({@code --fit Omega,eta,spam}), how intervals are computed, and
 * their level. Parameters not freed stay at the nominal model's values (and the run's known
 * detection errors).
 */
public final class FitSpec {
    /** The parameters a lab does not know precisely. */
    public enum Parameter {
        /** Ω, the transverse drive: an overall rate scale, rates ∝ Ω². */
        OMEGA("Omega"),
        /** η = (γ − κ)/ω, the loss–gain balance (κ and ω held fixed). */
        ETA("eta"),
        /** Two detection errors shared by all ions: e0 = P(read 1 | σ=−1), e1 = P(read 0 | σ=+1). */
        SPAM("spam");

        private final String label;

        Parameter(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * How intervals are found: the profile likelihood, the Fisher information, or AUTO: profile
     * for up to two free parameters (except Ω when η is also free, whose profile is costly and
     * whose Fisher interval is calibrated), Fisher beyond.
     */
    public enum Intervals { AUTO, PROFILE, FISHER }

    private final EnumSet<Parameter> free;
    private final Intervals intervals;
    private final double level;

    public FitSpec(Set<Parameter> free, Intervals intervals, double level) {
        this.free = free.isEmpty() ? EnumSet.noneOf(Parameter.class) : EnumSet.copyOf(free);
        this.intervals = intervals;
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        this.level = level;
    }

    public static FitSpec of(Parameter... free) {
        return new FitSpec(free.length == 0 ? EnumSet.noneOf(Parameter.class) : EnumSet.of(free[0], free),
                Intervals.AUTO, 0.95);
    }

    /** The default of {@code iontrap analyze}: Ω and η. */
    public static FitSpec defaults() {
        return of(Parameter.OMEGA, Parameter.ETA);
    }

    /**
     * Parses the CLI list, e.g. {@code "Omega,eta,spam"} (case-insensitive; {@code "none"} or an
     * empty string frees nothing). Unknown names are refused, naming the name and the choices.
     */
    public static FitSpec parse(String list) {
        EnumSet<Parameter> set = EnumSet.noneOf(Parameter.class);
        if (list != null && !list.isBlank() && !list.strip().equalsIgnoreCase("none")) {
            for (String raw : list.split(",")) {
                String s = raw.strip().toLowerCase(Locale.ROOT);
                Parameter p = switch (s) {
                    case "omega", "drive" -> Parameter.OMEGA;
                    case "eta" -> Parameter.ETA;
                    case "spam", "detection" -> Parameter.SPAM;
                    default -> throw new IllegalArgumentException("--fit: unknown parameter \"" + raw.strip()
                            + "\" (choose from Omega, eta, spam)");
                };
                if (!set.add(p)) {
                    throw new IllegalArgumentException("--fit: parameter \"" + raw.strip() + "\" given twice");
                }
            }
        }
        return new FitSpec(set, Intervals.AUTO, 0.95);
    }

    public FitSpec withIntervals(Intervals method) {
        return new FitSpec(free, method, level);
    }

    public FitSpec withLevel(double l) {
        return new FitSpec(free, intervals, l);
    }

    public Set<Parameter> free() {
        return EnumSet.copyOf(free.isEmpty() ? EnumSet.noneOf(Parameter.class) : free);
    }

    public boolean frees(Parameter p) {
        return free.contains(p);
    }

    public Intervals intervals() {
        return intervals;
    }

    public double level() {
        return level;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Parameter p : free) {
            b.append(b.length() == 0 ? "" : ",").append(p.label());
        }
        return b.length() == 0 ? "none" : b.toString();
    }
}
