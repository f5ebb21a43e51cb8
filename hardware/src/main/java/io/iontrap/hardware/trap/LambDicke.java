package io.iontrap.hardware.trap;

import io.iontrap.hardware.units.AngularFrequency;

/**
 * Lamb-Dicke factors (physics.md §8): η_i = |Δk| cos θ √(ħ/(2 m ν)) · b_i, with b_i = 1/√N_chain for
 * the centre-of-mass mode of a chain of N_chain equal-mass ions (coolant ions counted).
 */
public final class LambDicke {
    public static final double HBAR = 1.054571817e-34;
    public static final double AMU = 1.66053906660e-27;

    private LambDicke() {
    }

    /** Beam geometry: how the wave vector difference |Δk| follows from the wavelength. */
    public enum Geometry {
        /** One beam on a quadrupole (or single-photon) transition: |Δk| = 2π/λ. */
        SINGLE_BEAM("single-beam"),
        /** Two Raman beams at 90° to each other: |Δk| = √2 · 2π/λ. */
        RAMAN_90("raman-90"),
        /** Two Raman beams crossing at an angle α: |Δk| = 2 (2π/λ) sin(α/2). */
        RAMAN("raman");

        private final String label;

        Geometry(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Geometry parse(String s, String field) {
            for (Geometry g : values()) {
                if (g.label.equals(s)) {
                    return g;
                }
            }
            throw new TrapFileException(field, "unknown geometry \"" + s + "\" (single-beam, raman-90, raman)");
        }
    }

    /** |Δk| in 1/m. */
    public static double deltaK(double wavelengthMetres, Geometry geometry, double ramanAngleRad) {
        double k = 2 * Math.PI / wavelengthMetres;
        switch (geometry) {
            case SINGLE_BEAM:
                return k;
            case RAMAN_90:
                return Math.sqrt(2) * k;
            default:
                return 2 * k * Math.sin(ramanAngleRad / 2);
        }
    }

    /** Single-ion Lamb-Dicke factor |Δk| cos θ √(ħ/(2 m ν)). */
    public static double singleIon(double deltaK, double angleToAxisRad, double massKg, AngularFrequency nu) {
        return deltaK * Math.cos(angleToAxisRad) * Math.sqrt(HBAR / (2 * massKg * nu.radPerSecond()));
    }

    /** COM-mode participation b_i = 1/√N_chain. */
    public static double comParticipation(int chainLength) {
        return 1 / Math.sqrt(chainLength);
    }
}
