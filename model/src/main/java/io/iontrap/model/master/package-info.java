/**
 * The effective classical master equation of the spins (physics.md §3), exactly and by sampling.
 *
 * <ul>
 *   <li>{@link io.iontrap.model.master.MasterEquation}: all 2^N configurations, N ≤ 24. Rates are
 *       tabulated once per mirror pair {σ, -σ} (they are equal); the generator is applied matrix-free
 *       in pull form, in parallel. Time evolution by uniformisation with Fox-Glynn-style Poisson
 *       windows (positivity exact, Σp = 1 to rounding, any Λt); expectations such as ⟨E⟩(t) can be
 *       streamed without storing p(t). Stationary state ({@code StationarySolver})
 *       on the chain lumped over mirror pairs (the barrier between σ and -σ disappears there): a
 *       log-space spanning-tree start (exact under detailed balance), then symmetric block
 *       Gauss-Seidel sweeps with the fastest spins solved exactly in each block, accelerated by
 *       restarted GMRES in relative variables, to a per-state relative balance of 1e-12.</li>
 *   <li>{@link io.iontrap.model.master.KineticMonteCarlo}: n-fold-way trajectories for any N (spins
 *       in {@code long[]} words), O(N) per event through M = Σ g_l σ_l, one
 *       {@link java.util.SplittableRandom} split per trajectory (reproducible whatever the
 *       threads).</li>
 * </ul>
 *
 * <p>Measured with the Eq. (3) rates ({@code bench/run}, η = 0.1, ω = κ = 1, Ω = 0.1, g uniform
 * in [-3, 3], seed 1; wall time on the idle 2-core machine, see bench/README.md):
 *
 * <pre>
 *   N    tables    stationary (sweeps, wall)   relative residual   evolve to t = 2000
 *   14   0.9 MB    88 sweeps, 0.11 s            1e-15               0.077 s
 *   20   88 MB     132 sweeps, 3.2 s            2e-15               5.8 s
 *   24   1.68 GB   176 sweeps, 91 s             1.5e-16             ~0.9 s per product (Λ = 7.57)
 * </pre>
 *
 * N = 24: the couplings include g = -0.025, a spin flipping ~3000× faster than the median one; the
 * block sweeps exist for it (pointwise Gauss-Seidel stalled there). Peak resident memory 3.8 GB.
 */
package io.iontrap.model.master;
