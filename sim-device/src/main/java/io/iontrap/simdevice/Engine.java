package io.iontrap.simdevice;

import java.util.Locale;

/**
 * Which physics produces the shots (docs/sim-device.md).
 * <ul>
 *   <li>{@link #EXACT}: the effective master equation over all 2^N configurations
 *       ({@code MasterEquation}), p(t) by uniformisation, each shot one categorical draw from p(t)
 *       (the shots of a point are a multinomial sample). N ≤ {@link EngineSelector#EXACT_MAX_SPINS}.</li>
 *   <li>{@link #KMC}: one kinetic Monte Carlo trajectory ({@code KineticMonteCarlo}) per shot, from the
 *       initial configuration to the hold time. Any N.</li>
 *   <li>{@link #LINDBLAD}: the full spin-boson model, Eqs. (1)-(2), by the Lindblad solver
 *       ({@code LindbladSolver}, mode starting in its ground state): spin populations at every hold time,
 *       then categorical draws as for exact. N ≤ 6, on request only (it costs far more).</li>
 *   <li>{@link #AUTO}: the cheaper of exact and KMC by an operation-count estimate
 *       ({@link EngineSelector}).</li>
 * </ul>
 */
public enum Engine {
    AUTO, EXACT, KMC, LINDBLAD;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Engine parse(String s) {
        if (s == null) {
            return AUTO;
        }
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return AUTO;
            case "exact":
            case "master":
                return EXACT;
            case "kmc":
                return KMC;
            case "lindblad":
            case "full":
                return LINDBLAD;
            default:
                throw new IllegalArgumentException("engine \"" + s + "\": expected auto, exact, kmc or lindblad");
        }
    }
}
