package io.iontrap.model.rates;

/**
 * In-place radix-2 FFT with e^{+2πi jk/n} (unnormalised). Written out because Commons Math 3.6.1
 * generates its twiddle factors by a multiplicative recurrence whose error grows with n: at
 * n = 2^20 that cost ~1e-13 of the largest output, far above what the flip-rate tails need. Here
 * every twiddle is a directly computed cos/sin.
 */
final class Fft {
    private Fft() {
    }

    static void inverseUnscaled(double[] re, double[] im) {
        int n = re.length;
        if (Integer.bitCount(n) != 1 || im.length != n) {
            throw new IllegalArgumentException("FFT length must be a power of two");
        }
        for (int i = 1, j = 0; i < n; i++) { // bit reversal
            int bit = n >>> 1;
            for (; (j & bit) != 0; bit >>>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        int half = n / 2;
        double[] cos = new double[half];
        double[] sin = new double[half];
        for (int k = 0; k < half; k++) {
            double ang = 2 * Math.PI * k / n;
            cos[k] = Math.cos(ang);
            sin[k] = Math.sin(ang);
        }
        for (int len = 2; len <= n; len <<= 1) {
            int h = len >>> 1;
            int stride = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < h; k++) {
                    double wr = cos[k * stride];
                    double wi = sin[k * stride];
                    int p = start + k;
                    int q = p + h;
                    double tr = re[q] * wr - im[q] * wi;
                    double ti = re[q] * wi + im[q] * wr;
                    re[q] = re[p] - tr;
                    im[q] = im[p] - ti;
                    re[p] += tr;
                    im[p] += ti;
                }
            }
        }
    }
}
