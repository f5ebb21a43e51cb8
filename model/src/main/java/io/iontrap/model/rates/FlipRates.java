package io.iontrap.model.rates;

import io.iontrap.model.InvalidParameterException;
import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;
import io.iontrap.model.SpinFlipRates;
import java.util.HashMap;
import java.util.Map;

/**
 * The flip rates W_i(ΔE) of Eq. (3) for every spin of a {@link Parameters}: one
 * {@link FlipRateTable} per distinct g_i² (W depends on g only through g², so spins with equal
 * |g_i| share), each covering every ΔE_i the Ising landscape can produce,
 * |ΔE_i| ≤ |g_i| Σ_{l≠i} |g_l|, with a margin. Immutable and thread-safe after construction.
 */
public final class FlipRates implements SpinFlipRates {
    /** Relative margin on the table range, so rounding in ΔE_i = g_i σ_i M - g_i² never leaves it. */
    private static final double MARGIN = 0.05;

    private final Parameters parameters;
    private final FlipRateTable[] tables;
    private final FlipRateIntegral[] references;

    public FlipRates(Parameters p) {
        this.parameters = p;
        IsingLandscape landscape = IsingLandscape.of(p);
        int n = p.size();
        this.tables = new FlipRateTable[n];
        this.references = new FlipRateIntegral[n];
        Map<Double, Integer> first = new HashMap<>();
        for (int i = 0; i < n; i++) {
            double g = p.g(i);
            if (g == 0) {
                throw new InvalidParameterException("g[" + i + "]",
                        "Eq. (3) needs a nonzero coupling (g = 0 gives a delta-function rate)");
            }
            Integer j = first.putIfAbsent(g * g, i);
            if (j != null) {
                tables[i] = tables[j];
                references[i] = references[j];
                continue;
            }
            references[i] = new FlipRateIntegral(p, g);
            double range = landscape.maxAbsDeltaE(i) * (1 + MARGIN) + MARGIN * g * g;
            tables[i] = new FlipRateTable(references[i], range);
        }
    }

    /** W_i(ΔE) from the table (a few tens of ns); the reference outside the tabulated range. */
    @Override
    public double rate(int spin, double deltaE) {
        return tables[spin].rate(deltaE);
    }

    /** W_i(ΔE) by the slow reference evaluation of Eq. (3). */
    public double exact(int spin, double deltaE) {
        return references[spin].rate(deltaE);
    }

    /** R_i(ΔE) = W_i(ΔE)/W_i(-ΔE); ≈ exp(-β_eff ΔE) in the small-jump regime (physics.md §4). */
    public double ratio(int spin, double deltaE) {
        return tables[spin].ratio(deltaE);
    }

    /** The table serving spin i (shared by all spins with the same g_i²). */
    public FlipRateTable table(int spin) {
        return tables[spin];
    }

    public Parameters parameters() {
        return parameters;
    }

    /** W(ΔE) of Eq. (3) for one coupling g under p's ω, Ω, κ, η, without building tables. */
    public static double exact(Parameters p, double g, double deltaE) {
        return new FlipRateIntegral(p, g).rate(deltaE);
    }
}
