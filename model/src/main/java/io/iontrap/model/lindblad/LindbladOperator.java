package io.iontrap.model.lindblad;

import io.iontrap.model.IsingLandscape;
import io.iontrap.model.Parameters;

/**
 * The Liouvillian of Eqs. (1)-(2) on a Fock space truncated at {@code nmax}, acting on density
 * matrices stored in Hermitian-reduced block form.
 *
 * <p>Layout. ρ = Σ_{σσ'} |σ⟩⟨σ'| ⊗ X_{σσ'} with X_{σσ'} an (nmax+1)×(nmax+1) boson matrix. Only the
 * blocks σ ≤ σ' are stored (X_{σ'σ} = X_{σσ'}†); block b holds X[m][k] = ⟨m|X|k⟩ at offset
 * {@code b*d + m*(nmax+1) + k}, d = (nmax+1)², real and imaginary parts in separate arrays.
 * Configurations are bit sets (bit i = spin i, 1 = σ_i = +1), as in {@link IsingLandscape}.
 *
 * <p>The space of Hermitian matrices is a real vector space and L is real-linear on it, so every
 * Krylov method here works with real scalars and the real inner product Re Tr(X†Y), which in the
 * reduced layout weights off-diagonal blocks twice ({@link #dot}).
 *
 * <p>L = L0 + L1: L0 is block diagonal (H_σ = ω a†a + M_σ(a + a†) with M_σ = Σ g_i σ_i, and the
 * dissipators with the truncated a, a† exactly as QuTiP builds them: a a† has a 0 in the top
 * level); L1 = -iΩ Σ_i [σx_i, ·] couples blocks that differ by one spin flip.
 */
public final class LindbladOperator {
    final int spins;
    final int configs;
    final int nmax;
    final int nb;
    final int d;
    final int pairs;
    final double omega;
    final double drive;
    final double gamma;
    final double kappa;
    /** M_σ per configuration. */
    final double[] m;
    /** Row and column configuration of each stored block. */
    final int[] rowOf;
    final int[] colOf;
    /** Block index of (σ, σ') for σ ≤ σ' (and -1 below the diagonal). */
    final int[][] pairIndex;
    final double[] sqrt;
    /** γ m + κ (a a†)_mm, the diagonal of L_l†L_l + L_g†L_g. */
    final double[] decay;

    public LindbladOperator(Parameters p, int nmax) {
        if (p.size() > 6) {
            throw new IllegalArgumentException("the full Lindblad model handles at most 6 spins, got " + p.size());
        }
        if (nmax < 1) {
            throw new IllegalArgumentException("Fock cut-off nmax must be >= 1, got " + nmax);
        }
        this.spins = p.size();
        this.configs = 1 << spins;
        this.nmax = nmax;
        this.nb = nmax + 1;
        this.d = nb * nb;
        this.pairs = configs * (configs + 1) / 2;
        this.omega = p.omega();
        this.drive = p.drive();
        this.gamma = p.gamma();
        this.kappa = p.kappa();
        this.m = IsingLandscape.of(p).magnetisations();
        this.rowOf = new int[pairs];
        this.colOf = new int[pairs];
        this.pairIndex = new int[configs][configs];
        int b = 0;
        for (int s = 0; s < configs; s++) {
            for (int t = 0; t < configs; t++) {
                pairIndex[s][t] = -1;
            }
        }
        for (int s = 0; s < configs; s++) {
            for (int t = s; t < configs; t++) {
                rowOf[b] = s;
                colOf[b] = t;
                pairIndex[s][t] = b++;
            }
        }
        if ((long) pairs * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("state too large: " + pairs + " blocks of " + d);
        }
        this.sqrt = new double[nb + 1];
        for (int i = 0; i <= nb; i++) {
            sqrt[i] = Math.sqrt(i);
        }
        this.decay = new double[nb];
        for (int i = 0; i < nb; i++) {
            decay[i] = gamma * i + kappa * (i < nmax ? i + 1 : 0);
        }
    }

    /** Gershgorin bound on the spectral radius of L (for explicit step sizes). */
    public double spectralRadiusBound() {
        double mMax = 0;
        for (double v : m) {
            mMax = Math.max(mMax, Math.abs(v));
        }
        double worst = 0;
        for (int r = 0; r <= nmax; r++) {
            for (int c = 0; c <= nmax; c++) {
                double diag = Math.hypot(0.5 * (decay[r] + decay[c]), omega * (r - c));
                double off = mMax * (sqrt[r] + sqrt[r + 1] + sqrt[c] + sqrt[c + 1])
                        + gamma * sqrt[r + 1] * sqrt[c + 1] + kappa * sqrt[r] * sqrt[c] + 2 * spins * drive;
                worst = Math.max(worst, diag + off);
            }
        }
        return worst;
    }

    /** Real dimension / 2: number of complex entries stored. */
    public int length() {
        return pairs * d;
    }

    public int nmax() {
        return nmax;
    }

    public int configurations() {
        return configs;
    }

    boolean isDiagonal(int block) {
        return rowOf[block] == colOf[block];
    }

    /** y = L x. */
    public void apply(double[] xr, double[] xi, double[] yr, double[] yi) {
        for (int b = 0; b < pairs; b++) {
            applyL0Block(b, xr, xi, yr, yi);
        }
        addL1(xr, xi, yr, yi, 1.0);
    }

    /** y_b = L0 x_b for one block. */
    void applyL0Block(int b, double[] xr, double[] xi, double[] yr, double[] yi) {
        final double ms = m[rowOf[b]];
        final double mt = m[colOf[b]];
        final int off = b * d;
        final int n = nmax;
        for (int r = 0; r <= n; r++) {
            final int rowOff = off + r * nb;
            final double sr = sqrt[r];
            final double sr1 = sqrt[r + 1];
            for (int c = 0; c <= n; c++) {
                final int q = rowOff + c;
                final double dre = -0.5 * (decay[r] + decay[c]);
                final double dim = -omega * (r - c);
                final double x0r = xr[q];
                final double x0i = xi[q];
                // diagonal: (dre + i dim) x
                double accR = dre * x0r - dim * x0i;
                double accI = dre * x0i + dim * x0r;
                // -i M_s (s_{r+1} X[r+1][c] + s_r X[r-1][c])
                double hr = 0;
                double hi = 0;
                if (r < n) {
                    hr += sr1 * xr[q + nb];
                    hi += sr1 * xi[q + nb];
                }
                if (r > 0) {
                    hr += sr * xr[q - nb];
                    hi += sr * xi[q - nb];
                }
                // + i M_t (s_{c+1} X[r][c+1] + s_c X[r][c-1])
                double kr = 0;
                double ki = 0;
                if (c < n) {
                    kr += sqrt[c + 1] * xr[q + 1];
                    ki += sqrt[c + 1] * xi[q + 1];
                }
                if (c > 0) {
                    kr += sqrt[c] * xr[q - 1];
                    ki += sqrt[c] * xi[q - 1];
                }
                // -i(ms h - mt k): real part += ms*hi - mt*ki, imag part += -(ms*hr - mt*kr)
                accR += ms * hi - mt * ki;
                accI -= ms * hr - mt * kr;
                if (r < n && c < n) {
                    double w = gamma * sr1 * sqrt[c + 1];
                    accR += w * xr[q + nb + 1];
                    accI += w * xi[q + nb + 1];
                }
                if (r > 0 && c > 0) {
                    double w = kappa * sr * sqrt[c];
                    accR += w * xr[q - nb - 1];
                    accI += w * xi[q - nb - 1];
                }
                yr[q] = accR;
                yi[q] = accI;
            }
        }
    }

    /** y += scale · L1 x, L1 ρ = -iΩ Σ_i (σx_i ρ - ρ σx_i). */
    void addL1(double[] xr, double[] xi, double[] yr, double[] yi, double scale) {
        if (drive == 0) {
            return;
        }
        final double w = scale * drive;
        for (int b = 0; b < pairs; b++) {
            final int s = rowOf[b];
            final int t = colOf[b];
            final int off = b * d;
            for (int i = 0; i < spins; i++) {
                // + X_{s^i, t}, - X_{s, t^i}; y += -i w (X_{s^i,t} - X_{s,t^i})
                accumulate(xr, xi, yr, yi, off, s ^ (1 << i), t, w);
                accumulate(xr, xi, yr, yi, off, s, t ^ (1 << i), -w);
            }
        }
    }

    /** y[off..] += c · (-i) · X_{u v}, reading X_{uv} from the stored block or the adjoint one. */
    private void accumulate(double[] xr, double[] xi, double[] yr, double[] yi, int off, int u, int v, double c) {
        // -i c (a + ib) = c b - i c a
        if (u <= v) {
            final int src = pairIndex[u][v] * d;
            for (int q = 0; q < d; q++) {
                yr[off + q] += c * xi[src + q];
                yi[off + q] -= c * xr[src + q];
            }
        } else {
            final int src = pairIndex[v][u] * d;
            // X_{uv}[r][k] = conj(X_{vu}[k][r])
            for (int r = 0; r < nb; r++) {
                final int yo = off + r * nb;
                for (int k = 0; k < nb; k++) {
                    final int sq = src + k * nb + r;
                    yr[yo + k] += -c * xi[sq];
                    yi[yo + k] -= c * xr[sq];
                }
            }
        }
    }

    /** Re Tr(X†Y) over the full matrix: off-diagonal blocks count twice. */
    public double dot(double[] xr, double[] xi, double[] yr, double[] yi) {
        double s = 0;
        for (int b = 0; b < pairs; b++) {
            final int off = b * d;
            double t = 0;
            for (int q = off; q < off + d; q++) {
                t += xr[q] * yr[q] + xi[q] * yi[q];
            }
            s += isDiagonal(b) ? t : 2 * t;
        }
        return s;
    }

    public double norm(double[] xr, double[] xi) {
        return Math.sqrt(dot(xr, xi, xr, xi));
    }

    /** Tr_B X_{σσ} for every σ: the configuration populations (real parts). */
    public double[] populations(double[] xr) {
        double[] p = new double[configs];
        for (int s = 0; s < configs; s++) {
            int off = pairIndex[s][s] * d;
            double t = 0;
            for (int r = 0; r < nb; r++) {
                t += xr[off + r * nb + r];
            }
            p[s] = t;
        }
        return p;
    }

    /** Tr ρ. */
    public double trace(double[] xr) {
        double t = 0;
        for (double v : populations(xr)) {
            t += v;
        }
        return t;
    }

    /** ⟨a†a⟩. */
    public double bosonNumber(double[] xr) {
        double t = 0;
        for (int s = 0; s < configs; s++) {
            int off = pairIndex[s][s] * d;
            for (int r = 1; r < nb; r++) {
                t += r * xr[off + r * nb + r];
            }
        }
        return t;
    }

    /** Boson number distribution P(n) = Σ_σ ⟨σ,n|ρ|σ,n⟩. */
    public double[] fockPopulations(double[] xr) {
        double[] pn = new double[nb];
        for (int s = 0; s < configs; s++) {
            int off = pairIndex[s][s] * d;
            for (int r = 0; r < nb; r++) {
                pn[r] += xr[off + r * nb + r];
            }
        }
        return pn;
    }

    /** Smallest diagonal element ⟨σ,m|ρ|σ,m⟩ (populations must stay ≥ 0). */
    public double minimumDiagonal(double[] xr) {
        double worst = Double.POSITIVE_INFINITY;
        for (int s = 0; s < configs; s++) {
            int off = pairIndex[s][s] * d;
            for (int r = 0; r < nb; r++) {
                worst = Math.min(worst, xr[off + r * nb + r]);
            }
        }
        return worst;
    }

    /** Largest |Im| of a diagonal element and largest |X - X†| inside diagonal blocks: Hermiticity check. */
    public double hermiticityDefect(double[] xr, double[] xi) {
        double worst = 0;
        for (int s = 0; s < configs; s++) {
            int off = pairIndex[s][s] * d;
            for (int r = 0; r < nb; r++) {
                for (int k = r; k < nb; k++) {
                    int a = off + r * nb + k;
                    int b = off + k * nb + r;
                    worst = Math.max(worst, Math.abs(xr[a] - xr[b]));
                    worst = Math.max(worst, Math.abs(xi[a] + xi[b]));
                }
            }
        }
        return worst;
    }

    /** Makes the diagonal blocks exactly Hermitian (average with the adjoint). */
    void symmetrise(double[] xr, double[] xi) {
        for (int s = 0; s < configs; s++) {
            int off = pairIndex[s][s] * d;
            for (int r = 0; r < nb; r++) {
                xi[off + r * nb + r] = 0;
                for (int k = r + 1; k < nb; k++) {
                    int a = off + r * nb + k;
                    int b = off + k * nb + r;
                    double re = 0.5 * (xr[a] + xr[b]);
                    double im = 0.5 * (xi[a] - xi[b]);
                    xr[a] = re;
                    xr[b] = re;
                    xi[a] = im;
                    xi[b] = -im;
                }
            }
        }
    }
}
