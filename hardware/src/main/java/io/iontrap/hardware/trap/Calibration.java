package io.iontrap.hardware.trap;

import io.iontrap.hardware.units.CyclicFrequency;
import java.util.Arrays;

/**
 * A channel's measured Rabi frequency (Ω/2π, cyclic Hz) versus RF amplitude (fraction of full
 * scale), interpolated by a monotone piecewise-cubic Hermite curve (Fritsch–Carlson slopes), so
 * the curve never wiggles between calibration points and is strictly increasing when the table is.
 * The inverse solves the cubic of one segment by safeguarded Newton/bisection to round-off:
 * {@code rabi(amplitudeFor(r)) == r} to a few ulp.
 */
public final class Calibration {
    private final double[] a;
    private final double[] r;
    private final double[] m;

    /**
     * @param amplitude       strictly increasing amplitudes in [0, 1]
     * @param rabiFrequencyHz strictly increasing Rabi frequencies Ω/2π ≥ 0 in Hz
     * @param where           the field name used in error messages, e.g. {@code channels[3].calibration}
     */
    public Calibration(double[] amplitude, double[] rabiFrequencyHz, String where) {
        if (amplitude.length != rabiFrequencyHz.length) {
            throw new TrapFileException(where, "amplitude has " + amplitude.length + " points, rabiFrequencyHz has "
                    + rabiFrequencyHz.length + ": they must pair up");
        }
        if (amplitude.length < 2) {
            throw new TrapFileException(where, "needs at least 2 points, got " + amplitude.length);
        }
        for (int k = 0; k < amplitude.length; k++) {
            if (!Double.isFinite(amplitude[k]) || amplitude[k] < 0 || amplitude[k] > 1) {
                throw new TrapFileException(where + ".amplitude[" + k + "]",
                        "must be a fraction of full scale in [0, 1], got " + amplitude[k]);
            }
            if (!Double.isFinite(rabiFrequencyHz[k]) || rabiFrequencyHz[k] < 0) {
                throw new TrapFileException(where + ".rabiFrequencyHz[" + k + "]",
                        "must be a finite Rabi frequency >= 0 Hz, got " + rabiFrequencyHz[k]);
            }
            if (k > 0 && !(amplitude[k] > amplitude[k - 1])) {
                throw new TrapFileException(where + ".amplitude[" + k + "]",
                        "must increase strictly (" + amplitude[k] + " after " + amplitude[k - 1] + ")");
            }
            if (k > 0 && !(rabiFrequencyHz[k] > rabiFrequencyHz[k - 1])) {
                throw new TrapFileException(where + ".rabiFrequencyHz[" + k + "]",
                        "must increase strictly with amplitude (" + rabiFrequencyHz[k] + " Hz after "
                                + rabiFrequencyHz[k - 1] + " Hz): the drive cannot be inverted otherwise");
            }
        }
        this.a = amplitude.clone();
        this.r = rabiFrequencyHz.clone();
        this.m = fritschCarlsonSlopes(a, r);
    }

    static double[] fritschCarlsonSlopes(double[] x, double[] y) {
        int n = x.length;
        double[] d = new double[n - 1];
        for (int k = 0; k < n - 1; k++) {
            d[k] = (y[k + 1] - y[k]) / (x[k + 1] - x[k]);
        }
        double[] m = new double[n];
        m[0] = d[0];
        m[n - 1] = d[n - 2];
        for (int k = 1; k < n - 1; k++) {
            m[k] = d[k - 1] * d[k] <= 0 ? 0 : (d[k - 1] + d[k]) / 2;
        }
        for (int k = 0; k < n - 1; k++) {
            double al = m[k] / d[k];
            double be = m[k + 1] / d[k];
            double s = al * al + be * be;
            if (s > 9) {
                double t = 3 / Math.sqrt(s);
                m[k] = t * al * d[k];
                m[k + 1] = t * be * d[k];
            }
        }
        return m;
    }

    public double minAmplitude() {
        return a[0];
    }

    public double maxAmplitude() {
        return a[a.length - 1];
    }

    public CyclicFrequency minRabi() {
        return CyclicFrequency.hz(r[0]);
    }

    public CyclicFrequency maxRabi() {
        return CyclicFrequency.hz(r[r.length - 1]);
    }

    public double[] amplitudes() {
        return a.clone();
    }

    public double[] rabiFrequenciesHz() {
        return r.clone();
    }

    /** Ω/2π at amplitude {@code x}; amplitudes outside the table are refused (no extrapolation). */
    public CyclicFrequency rabi(double x) {
        if (!(x >= a[0] && x <= a[a.length - 1])) {
            throw new IllegalArgumentException("amplitude " + x + " outside the calibrated range ["
                    + a[0] + ", " + a[a.length - 1] + "]");
        }
        int k = segment(a, x);
        return CyclicFrequency.hz(eval(k, (x - a[k]) / (a[k + 1] - a[k])));
    }

    private double eval(int k, double t) {
        double h = a[k + 1] - a[k];
        double t2 = t * t;
        double t3 = t2 * t;
        return (2 * t3 - 3 * t2 + 1) * r[k] + (t3 - 2 * t2 + t) * h * m[k]
                + (-2 * t3 + 3 * t2) * r[k + 1] + (t3 - t2) * h * m[k + 1];
    }

    private double slope(int k, double t) {
        double h = a[k + 1] - a[k];
        double t2 = t * t;
        return ((6 * t2 - 6 * t) * r[k] + (3 * t2 - 4 * t + 1) * h * m[k]
                + (-6 * t2 + 6 * t) * r[k + 1] + (3 * t2 - 2 * t) * h * m[k + 1]) / h;
    }

    /** The amplitude that gives Rabi frequency {@code rabi}; outside the table is refused. */
    public double amplitudeFor(CyclicFrequency rabi) {
        double y = rabi.hz();
        if (!(y >= r[0] && y <= r[r.length - 1])) {
            throw new IllegalArgumentException("Rabi frequency " + y + " Hz outside the calibrated range ["
                    + r[0] + ", " + r[r.length - 1] + "] Hz");
        }
        int k = segment(r, y);
        if (y == r[k]) {
            return a[k];
        }
        if (y == r[k + 1]) {
            return a[k + 1];
        }
        double h = a[k + 1] - a[k];
        double lo = 0;
        double hi = 1;
        double t = (y - r[k]) / (r[k + 1] - r[k]);
        for (int it = 0; it < 200; it++) {
            double f = eval(k, t) - y;
            if (f == 0) {
                break;
            }
            if (f > 0) {
                hi = t;
            } else {
                lo = t;
            }
            double d = slope(k, t) * h;
            double next = d > 0 ? t - f / d : Double.NaN;
            if (!(next > lo && next < hi)) {
                next = (lo + hi) / 2;
            }
            if (next == t || hi - lo <= Math.ulp(t)) {
                break;
            }
            t = next;
        }
        return a[k] + t * h;
    }

    private static int segment(double[] x, double v) {
        int k = Arrays.binarySearch(x, v);
        if (k < 0) {
            k = -k - 2;
        }
        return Math.max(0, Math.min(x.length - 2, k));
    }
}
