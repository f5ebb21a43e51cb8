package io.iontrap.hardware.drive;

import io.iontrap.hardware.trap.TrapSpec;
import io.iontrap.hardware.units.ModelUnit;
import io.iontrap.model.Parameters;
import java.util.List;

/**
 * The fastest feasible time scale (physics.md §8 "Feasibility"): the largest factor s such that the
 * model with every frequency multiplied by s (ω, Ω, κ, γ, g_i; the dimensionless physics η, θ, g/ω,
 * Ω/ω is unchanged, only time runs s times faster) compiles on this trap without violating any limit.
 * The search scans s on a logarithmic grid over 10⁻⁶..10⁶ and bisects the upper edge of the largest
 * feasible point to a relative 10⁻⁹. Feasible scales may form an interval bounded below too (heating
 * rate, DDS resolution): the smallest feasible scale on the grid is reported as well.
 */
public final class Feasibility {
    private Feasibility() {
    }

    /**
     * @param scale   the largest feasible factor (NaN when none)
     * @param minimum the smallest feasible factor found on the grid (NaN when none)
     * @param plan    the plan at {@code scale} (null when none)
     * @param binding the checks violated just above {@code scale}: what limits the speed
     */
    public record Result(double scale, double minimum, Parameters scaled, DrivePlan plan, List<LimitCheck> binding) {
        public boolean feasible() {
            return plan != null;
        }
    }

    public static Parameters scale(Parameters p, double s) {
        double[] g = p.g();
        for (int i = 0; i < g.length; i++) {
            g[i] *= s;
        }
        return Parameters.of(p.omega() * s, p.drive() * s, p.kappa() * s, p.gamma() * s, g);
    }

    public static Result fastest(TrapSpec trap, Parameters model, ModelUnit unit) {
        double lo = Double.NaN;
        double min = Double.NaN;
        double hi = Double.NaN;
        double step = Math.pow(10, 0.05);
        double s = 1e-6;
        boolean previousFeasible = false;
        while (s <= 1e6 * 1.0000001) {
            boolean ok = feasible(trap, model, unit, s);
            if (ok) {
                if (Double.isNaN(min)) {
                    min = s;
                }
                lo = s;
                hi = Double.NaN;
            } else if (previousFeasible) {
                hi = s;
            }
            previousFeasible = ok;
            s *= step;
        }
        if (Double.isNaN(lo)) {
            return new Result(Double.NaN, Double.NaN, null, null,
                    DriveCompiler.compile(trap, model, unit).violations());
        }
        if (Double.isNaN(hi)) {
            DrivePlan plan = DriveCompiler.compile(trap, scale(model, lo), unit);
            return new Result(lo, min, scale(model, lo), plan, List.of());
        }
        while (hi / lo - 1 > 1e-9) {
            double mid = Math.sqrt(lo * hi);
            if (feasible(trap, model, unit, mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        Parameters scaled = scale(model, lo);
        List<LimitCheck> binding = DriveCompiler.compile(trap, scale(model, hi), unit).violations();
        return new Result(lo, min, scaled, DriveCompiler.compile(trap, scaled, unit), binding);
    }

    private static boolean feasible(TrapSpec trap, Parameters model, ModelUnit unit, double s) {
        return !DriveCompiler.compile(trap, scale(model, s), unit).refused();
    }
}
