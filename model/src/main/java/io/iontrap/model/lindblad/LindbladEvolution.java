package io.iontrap.model.lindblad;

import java.util.List;

/**
 * Result of {@link LindbladSolver#evolve}: observables at the requested times.
 *
 * <p>{@code populations[k][σ]} = Tr_B⟨σ|ρ(t_k)|σ⟩ with σ a bit set (bit i = spin i, 1 = σ_i = +1);
 * {@code truncation[k]} is the population of the top Fock level n_max, summed over spins.
 */
public record LindbladEvolution(
        double[] times,
        double[][] populations,
        double[] bosonNumber,
        double[] meanEnergy,
        double[] truncation,
        /** |Tr ρ - 1| per time. */
        double[] traceDefect,
        /** largest |X - X†| inside the diagonal spin blocks per time. */
        double[] hermiticityDefect,
        /** smallest diagonal element ⟨σ,m|ρ|σ,m⟩ per time (≥ 0 up to the tolerance). */
        double[] minimumDiagonal,
        int nmax,
        double atol,
        double rtol,
        List<String> warnings,
        Statistics statistics) {

    /** How the answer was computed, for benchmarks and diagnostics. */
    public record Statistics(
            double seconds,
            int krylovDimension,
            double krylovErrorEstimate,
            long gmresIterations,
            long linearSolves,
            long rkSteps,
            int outputsFromRk) {
    }
}
