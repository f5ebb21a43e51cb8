package io.iontrap.model.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.iontrap.model.Parameters;
import org.junit.jupiter.api.Test;

/** The limits of physics.md §4, checked against the closed forms of {@link RateAsymptotics}. */
class FlipRateLimitsTest {

    @Test
    void largeEtaRatesForgetTheSignOfDeltaE() {
        // f, s = O(1/η): W(ΔE) ≈ W(-ΔE), the asymmetry shrinking fast as η grows.
        double previous = Double.POSITIVE_INFINITY;
        for (double eta : new double[] {10, 30, 100, 300}) {
            FlipRateIntegral f = new FlipRateIntegral(1, 0.1, 1, eta, 1.0);
            double asymmetry = Math.abs(f.rate(1) / f.rate(-1) - 1);
            assertTrue(asymmetry < previous / 5, "eta=" + eta + ": " + asymmetry + " vs " + previous);
            previous = asymmetry;
        }
        assertTrue(previous < 1e-7, "asymmetry at eta=300: " + previous);
    }

    @Test
    void smallEtaGaussianS14WithErrorOfOrderEta() {
        for (double omega : new double[] {1, 2}) {
            for (double eta : new double[] {0.04, 0.02, 0.01, 0.005}) {
                double g = 2 * omega;
                Parameters p = Parameters.withEta(omega, 0.1 * omega, omega, eta, g);
                FlipRateIntegral f = new FlipRateIntegral(p, g);
                for (double gamma : new double[] {-2, -1, 0, 1, 2}) { // S12: Γ = 16(ΔE+g²)/((η²+4)ω²)
                    double dE = gamma * (eta * eta + 4) * omega * omega / 16 - g * g;
                    double s14 = RateAsymptotics.smallJump(p, g, dE);
                    assertEquals(s14, f.rate(dE), 0.01 * eta * s14, "omega=" + omega + " eta=" + eta + " Gamma=" + gamma);
                }
            }
        }
    }

    @Test
    void largeJumpTailApproachesS21() {
        double[][] couplings = {{1, 1, 1}, {0.1, 1, 0.5}, {10, 1, 3}, {0.01, 0, 1}};
        for (double[] c : couplings) {
            Parameters p = Parameters.withEta(1, 0.1, c[1], c[0], c[2]);
            FlipRateIntegral f = new FlipRateIntegral(p, c[2]);
            for (double dE : new double[] {1e4, -1e4, 1e5}) {
                double s21 = RateAsymptotics.largeJump(p, c[2], dE);
                double gamma = Math.abs(RateAsymptotics.scaledJump(p, c[2], dE));
                // the next term of the endpoint series is O(1/Γ) relative (O(η/Γ) for large η)
                assertEquals(s21, f.rate(dE), 3 * (1 + c[0]) / gamma * Math.abs(s21),
                        java.util.Arrays.toString(c) + " dE=" + dE);
            }
            double e3 = Math.abs(f.rate(1e3) / RateAsymptotics.largeJump(p, c[2], 1e3) - 1);
            double e5 = Math.abs(f.rate(1e5) / RateAsymptotics.largeJump(p, c[2], 1e5) - 1);
            assertTrue(e5 < e3 / 10, "S21 error must shrink: " + e3 + " -> " + e5);
        }
    }

    @Test
    void smallJumpRatioGivesBetaEff() {
        // R(ΔE) = W(ΔE)/W(-ΔE) ≈ exp(-β_eff ΔE) for Γ ≲ 1/√η, the same for every spin.
        double previous = Double.POSITIVE_INFINITY;
        for (double eta : new double[] {0.04, 0.02, 0.01}) {
            FlipRates rates = new FlipRates(Parameters.withEta(1, 0.1, 1, eta, 2.0, -2.5));
            double beta = RateAsymptotics.betaEff(1, 1, eta);
            double worst = 0;
            for (int spin = 0; spin < 2; spin++) {
                for (double dE : new double[] {0.25, 0.5, 1, 2}) {
                    double slope = -Math.log(rates.ratio(spin, dE)) / dE;
                    worst = Math.max(worst, Math.abs(slope / beta - 1));
                }
            }
            assertTrue(worst < 1e-3, "eta=" + eta + ": " + worst);
            assertTrue(worst < previous, "must improve as eta -> 0: " + worst + " after " + previous);
            previous = worst;
        }
    }
}
