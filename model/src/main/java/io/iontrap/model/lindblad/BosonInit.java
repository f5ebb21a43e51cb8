package io.iontrap.model.lindblad;

/** Initial boson state of a full-model run. */
public enum BosonInit {
    /** Fock vacuum |0⟩. */
    VACUUM,
    /**
     * The stationary boson state of the initial configuration's sector (a displaced thermal state
     * with α_σ = -M_σ/(ω - iη ω/2) and n_th = κ/(γ-κ)), computed exactly on the truncated space.
     */
    SECTOR
}
