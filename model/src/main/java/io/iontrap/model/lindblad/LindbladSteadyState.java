package io.iontrap.model.lindblad;

import java.util.List;

/** Result of {@link LindbladSolver#steadyState}: the stationary state's observables. */
public record LindbladSteadyState(
        double[] populations,
        double bosonNumber,
        double meanEnergy,
        /** population of the top Fock level. */
        double truncation,
        /** ‖Lρ‖ (Hilbert-Schmidt) of the returned state: the convergence check. */
        double residual,
        int iterations,
        long gmresIterations,
        int nmax,
        double seconds,
        List<String> warnings) {
}
