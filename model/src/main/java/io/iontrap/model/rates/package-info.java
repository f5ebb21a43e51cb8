/**
 * Flip rates W_i(ΔE) of Eq. (3) (physics.md §3) and their limits (§4).
 *
 * <ul>
 *   <li>{@link io.iontrap.model.rates.FlipRates}: all spins of a {@code Parameters}; fast
 *       {@code rate}, reference {@code exact}, {@code ratio} R_i(ΔE).</li>
 *   <li>{@link io.iontrap.model.rates.FlipRateTable}: fast path for one coupling (piecewise
 *       Chebyshev in log W).</li>
 *   <li>{@link io.iontrap.model.rates.FlipRateIntegral}: slow, very accurate reference.</li>
 *   <li>{@link io.iontrap.model.rates.RateAsymptotics}: closed forms S12, S14, S21, β_eff.</li>
 * </ul>
 * Package-private helpers: {@code RateKernel} (the integrand h(τ) and its exact exponential-series
 * tail), {@code EndpointSeries} (large-ΔE expansion, S21 and beyond), {@code FourierGrid} (FFT of
 * h with Euler-Maclaurin end corrections, for building tables), {@code Fft},
 * {@code GaussLegendre}.
 */
package io.iontrap.model.rates;
