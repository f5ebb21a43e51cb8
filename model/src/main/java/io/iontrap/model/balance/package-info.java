/**
 * Departure from detailed balance (physics.md §5): Kolmogorov ratios of elementary 4-cycles (the
 * quantity of the paper's Fig. 3 for two spins), the worst cycle of a whole system, and the
 * entropy production rate of a distribution, zero at the stationary state iff detailed balance
 * holds.
 */
package io.iontrap.model.balance;
