/**
 * Analysis (issue 6): compares what the ions did with the theory. {@link io.iontrap.analysis.Analysis}
 * is the single entry point ({@code iontrap analyze}); docs/analysis.md describes the methods and
 * the JSON summary, docs/run-file.md the file formats.
 *
 * <ul>
 * <li>{@code data}: the HDF5 run file (jhdf) and the shot CSV, strict readers, atomic writers.
 * <li>{@code estimate}: Jeffreys populations, magnetisations, ⟨E⟩, energy levels, detection-error
 * correction (O(N 2^N)).
 * <li>{@code fit}: maximum-likelihood fits of Ω, η and detection errors through the master
 * equation, profile / Fisher intervals, goodness of fit, β_eff (Boltzmann and rate ratios), the
 * detailed-balance likelihood-ratio test.
 * <li>{@code plot}: JFreeChart figures (Fig. 2a–e, Fig. 3, fit with residuals).
 * <li>{@code report}: the self-contained HTML report and the JSON output.
 * </ul>
 */
package io.iontrap.analysis;
