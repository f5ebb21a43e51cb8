package io.iontrap.model.rates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Re ∫_0^∞ h(τ) e^{ixτ} dτ of Eq. (3) by adaptive quadrature, the core of the reference
 * {@link FlipRateIntegral}.
 *
 * <p>Period by period, [2πk, 2π(k+1)], on panels graded geometrically towards both ends (the
 * revival peaks at τ = 2πk, width 1/√b_k) and no longer than a fraction of the local oscillation
 * period, so narrow peaks are never stepped over (physics.md §3); panels where a bound on |h|
 * proves the integrand negligible are skipped. The periods stop at T where either that bound makes
 * the rest negligible or (|α|+|β|) e^{-ηT/2} ≤ {@value #TAIL_SWITCH}, after which the exact
 * exponential series {@link RateKernel#tail} gives ∫_T^∞ in closed form (the long tail of small a).
 */
final class PeriodQuadrature {
    static final double TAIL_SWITCH = 4;
    private static final GaussLegendre GL = new GaussLegendre(20);

    private final RateKernel kernel;
    private final double scale;

    PeriodQuadrature(RateKernel kernel) {
        this.kernel = kernel;
        this.scale = absIntegral();
    }

    /** ∫_0^∞ |h| dτ to a few per cent: the scale of absolute tolerances and of quadrature noise. */
    double scale() {
        return scale;
    }

    /** ∫|h| on the graded panels of {@link #period}, plain Gauss-Legendre (a scale, not a result). */
    private double absIntegral() {
        double sum = 0;
        for (int k = 0; k < 1_000_000; k++) {
            double t = 2 * Math.PI * k;
            if (kernel.alphaBeta * Math.exp(-0.5 * kernel.eta * t) <= TAIL_SWITCH) {
                return sum + Math.exp(-kernel.a * (kernel.bigA + t)) / kernel.a; // |h| ≈ its u → 0 form
            }
            if (k > 0 && kernel.envelopeFrom(t) / kernel.a < 1e-6 * sum) {
                return sum;
            }
            double[] edges = periodEdges(k, Double.POSITIVE_INFINITY);
            for (int i = 0; i + 1 < edges.length; i++) {
                double c = 0.5 * (edges[i] + edges[i + 1]);
                double r = 0.5 * (edges[i + 1] - edges[i]);
                for (int j = 0; j < GL.nodes.length; j++) {
                    sum += r * GL.weights[j] * kernel.modulus(c + r * GL.nodes[j]);
                }
            }
        }
        return sum;
    }

    /** Panel edges of [2πk, 2π(k+1)]: graded as lo + w 2^j towards both revival peaks, capped at maxPanel. */
    private double[] periodEdges(int k, double maxPanel) {
        double lo = 2 * Math.PI * k;
        double hi = lo + 2 * Math.PI;
        double mid = lo + Math.PI;
        List<Double> left = new ArrayList<>();
        left.add(lo);
        double w = Math.min(kernel.revivalWidth(k), Math.PI) / 4;
        for (double off = w; off < Math.PI; off *= 2) {
            left.add(lo + off);
        }
        left.add(mid);
        w = Math.min(kernel.revivalWidth(k + 1), Math.PI) / 4;
        List<Double> right = new ArrayList<>();
        for (double off = w; off < Math.PI; off *= 2) {
            right.add(hi - off);
        }
        Collections.reverse(right);
        left.addAll(right);
        left.add(hi);
        List<Double> out = new ArrayList<>();
        out.add(lo);
        for (int i = 1; i < left.size(); i++) {
            double a = out.get(out.size() - 1);
            double b = left.get(i);
            int n = Double.isInfinite(maxPanel) ? 1 : Math.max(1, (int) Math.ceil((b - a) / maxPanel));
            for (int j = 1; j <= n; j++) {
                out.add(j == n ? b : a + (b - a) * j / n);
            }
        }
        double[] e = new double[out.size()];
        for (int i = 0; i < e.length; i++) {
            e[i] = out.get(i);
        }
        return e;
    }

    /** Re ∫_0^∞ h(τ) e^{ixτ} dτ. */
    double integrate(double x) {
        double sum = 0;
        double maxPanel = 16 / (Math.abs(x) + 2 * kernel.cg2 + 1);
        double twoPi = 2 * Math.PI;
        for (int k = 0; ; k++) {
            double t = twoPi * k;
            if (kernel.alphaBeta * Math.exp(-0.5 * kernel.eta * t) <= TAIL_SWITCH) {
                return sum + kernel.tail(t, x);
            }
            if (kernel.envelopeFrom(t) / kernel.a < 1e-19 * scale) {
                return sum;
            }
            sum += period(k, x, maxPanel);
        }
    }

    /** ∫ over [2πk, 2π(k+1)] on panels graded towards both revival peaks, adaptive within each. */
    private double period(int k, double x, double maxPanel) {
        double tol = 1e-16 * scale;
        double[] edges = periodEdges(k, maxPanel);
        double sum = 0;
        for (int i = 0; i + 1 < edges.length; i++) {
            double a = edges[i];
            double b = edges[i + 1];
            if (kernel.panelBound(a, b) * (b - a) < 1e-3 * tol) {
                continue; // |h| provably negligible here
            }
            sum += adaptive(a, b, x, gl(a, b, x), tol, 0);
        }
        return sum;
    }

    private double adaptive(double lo, double hi, double x, double whole, double tol, int depth) {
        double mid = 0.5 * (lo + hi);
        double left = gl(lo, mid, x);
        double right = gl(mid, hi, x);
        double halves = left + right;
        if (Math.abs(halves - whole) <= tol || depth >= 40) {
            return halves;
        }
        return adaptive(lo, mid, x, left, tol, depth + 1) + adaptive(mid, hi, x, right, tol, depth + 1);
    }

    private double gl(double lo, double hi, double x) {
        double c = 0.5 * (lo + hi);
        double r = 0.5 * (hi - lo);
        double s = 0;
        double[] nodes = GL.nodes;
        double[] weights = GL.weights;
        for (int i = 0; i < nodes.length; i++) {
            s += weights[i] * kernel.integrand(c + r * nodes[i], x);
        }
        return s * r;
    }
}
