package io.iontrap.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parameters of the dissipative spin-boson model, Eqs. (1)-(2): boson frequency ω, transverse
 * drive Ω, boson gain κ and loss γ, couplings g_1..g_N. All in one unit of angular frequency
 * (times in its inverse); the physics does not care which, the file formats say which.
 */
public final class Parameters {
    private final double omega;
    private final double drive;
    private final double kappa;
    private final double gamma;
    private final double[] g;

    private Parameters(double omega, double drive, double kappa, double gamma, double[] g) {
        this.omega = omega;
        this.drive = drive;
        this.kappa = kappa;
        this.gamma = gamma;
        this.g = g;
    }

    /**
     * @param omega boson frequency ω &gt; 0
     * @param drive transverse drive Ω ≥ 0 (the σx term of Eq. 1)
     * @param kappa boson gain κ ≥ 0
     * @param gamma boson loss γ &gt; κ
     * @param g     spin-boson couplings g_i, at least one
     * @throws InvalidParameterException naming the first field outside its domain
     */
    public static Parameters of(double omega, double drive, double kappa, double gamma, double... g) {
        requireFinite("omega", omega);
        requireFinite("Omega", drive);
        requireFinite("kappa", kappa);
        requireFinite("gamma", gamma);
        if (omega <= 0) {
            throw new InvalidParameterException("omega", "must be > 0, got " + omega);
        }
        if (drive < 0) {
            throw new InvalidParameterException("Omega", "must be >= 0, got " + drive);
        }
        if (kappa < 0) {
            throw new InvalidParameterException("kappa", "must be >= 0, got " + kappa);
        }
        if (gamma <= kappa) {
            throw new InvalidParameterException("gamma",
                    "loss must exceed gain (gamma > kappa = " + kappa + "), got " + gamma);
        }
        if (g == null || g.length == 0) {
            throw new InvalidParameterException("g", "needs at least one coupling");
        }
        for (int i = 0; i < g.length; i++) {
            requireFinite("g[" + i + "]", g[i]);
        }
        return new Parameters(omega, drive, kappa, gamma, g.clone());
    }

    /** As {@link #of} with the loss given through η = (γ - κ)/ω &gt; 0. */
    public static Parameters withEta(double omega, double drive, double kappa, double eta, double... g) {
        requireFinite("eta", eta);
        if (eta <= 0) {
            throw new InvalidParameterException("eta", "must be > 0 (loss exceeds gain), got " + eta);
        }
        requireFinite("omega", omega);
        return of(omega, drive, kappa, kappa + eta * omega, g);
    }

    private static void requireFinite(String field, double value) {
        if (!Double.isFinite(value)) {
            throw new InvalidParameterException(field, "must be a finite number, got " + value);
        }
    }

    public double omega() {
        return omega;
    }

    /** Ω, the transverse (σx) drive of Eq. (1). */
    public double drive() {
        return drive;
    }

    public double kappa() {
        return kappa;
    }

    public double gamma() {
        return gamma;
    }

    public int size() {
        return g.length;
    }

    public double g(int i) {
        return g[i];
    }

    public double[] g() {
        return g.clone();
    }

    /** η = (γ - κ)/ω. */
    public double eta() {
        return (gamma - kappa) / omega;
    }

    /** θ = κ/γ ∈ [0, 1). */
    public double theta() {
        return kappa / gamma;
    }

    /** ν = 4(2κ/ω + η)/(η² + 4), physics.md §1. */
    public double nu() {
        double eta = eta();
        return 4 * (2 * kappa / omega + eta) / (eta * eta + 4);
    }

    /** Mean g_i², the disorder variance g² of the paper for zero-mean couplings. */
    public double meanSquareCoupling() {
        double s = 0;
        for (double gi : g) {
            s += gi * gi;
        }
        return s / g.length;
    }

    /** Decay time of coherences between sectors, t_L ≈ ω/(2 g² ν) (physics.md §3). */
    public double coherenceTime() {
        return omega / (2 * meanSquareCoupling() * nu());
    }

    /** Ω·t_L, which the second-order expansion behind Eq. (3) needs ≪ 1. */
    public double perturbativeParameter() {
        return drive * coherenceTime();
    }

    /** Upper end of the large-η window 1 ≪ η ≪ 4g²(1+θ)/(ωΩ(1-θ)); infinite without drive. */
    public double largeEtaBound() {
        double theta = theta();
        return 4 * meanSquareCoupling() * (1 + theta) / (omega * drive * (1 - theta));
    }

    /** Returns a copy with couplings replaced, for disorder scans. */
    public Parameters withCouplings(double... couplings) {
        return of(omega, drive, kappa, gamma, couplings);
    }

    /**
     * Checks of the effective model's validity (physics.md §3): warnings, never errors, since a
     * lab may want to run outside the window on purpose.
     */
    public List<String> validityWarnings() {
        List<String> warnings = new ArrayList<>();
        double p = perturbativeParameter();
        if (p > 0.1) {
            warnings.add(String.format(
                    "perturbative condition Omega*t_L << 1 fails: Omega*t_L = %.3g (> 0.1)", p));
        }
        double eta = eta();
        double bound = largeEtaBound();
        if (eta > 1 && eta > 0.1 * bound) {
            warnings.add(String.format(
                    "large-eta bound eta << 4g^2(1+theta)/(omega*Omega*(1-theta)) = %.3g fails: eta = %.3g",
                    bound, eta));
        }
        for (int i = 0; i < g.length; i++) {
            if (drive > 0.3 * Math.abs(g[i])) {
                warnings.add(String.format(
                        "weak-drive condition Omega << |g[%d]| fails: Omega = %.3g, |g[%d]| = %.3g",
                        i, drive, i, Math.abs(g[i])));
            }
        }
        return warnings;
    }

    @Override
    public String toString() {
        return "Parameters{omega=" + omega + ", Omega=" + drive + ", kappa=" + kappa + ", gamma=" + gamma
                + ", g=" + Arrays.toString(g) + "}";
    }
}
