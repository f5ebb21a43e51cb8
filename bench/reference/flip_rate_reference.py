#!/usr/bin/python3
"""Independent high-precision reference values of the flip rate W(dE) of Eq. (3).

Run:  /usr/bin/python3 bench/reference/flip_rate_reference.py > out.txt   (Debian python3-mpmath 1.2)
      (optional arguments "eta,kappa,g" restrict the cases; the full run takes ~30 min on one loaded core)

How it computes (omega = 1, Omega = 0.1; physics.md §3):
  W(dE) = 2 Omega^2 int_0^inf exp(-a (f(t)+t)) cos(c (dE t - g^2 s(t))) dt,
  a = 2 g^2 nu, c = 16/(eta^2+4), f and s written out literally from physics.md.
  * [0, T]: mpmath.quad (tanh-sinh, 25 significant digits) period by period,
    [2 pi k, 2 pi (k+1)], each period cut at 2 pi k +- w 4^j (w = width of the revival peak at
    2 pi k) and into pieces no longer than 1.5 periods of the cosine, so that the narrow revival
    peaks at t = 2 pi k are always resolved.
  * Stop when the bound exp(-a (A - sqrt(A^2+B^2) u + T))/a on |rest| is below 1e-22 of the sum
    (u = e^{-eta T/2}), or
  * [T, inf) (T >= 6 pi) once u D < 1/2 (D = a sqrt(A^2+B^2) + c g^2 bounds |delta|/u): there the integrand is
    Re[h_inf(t) e^{i c dE t} e^{delta(t)}], h_inf = exp(-a(A+t) + i c g^2 4 eta/(eta^2+4)) its u -> 0
    limit and delta = u (P cos t + Q sin t), |delta| <= 1/2; e^delta is expanded to delta^44
    (remainder < 1e-60) and every term integrated exactly (a sum of complex exponentials).
  Printed per line: eta kappa g dE W  relative error estimate of mpmath  seconds.
The values are pasted into model/src/test/java/io/iontrap/model/rates/MpmathReferenceTest.java.
"""
import sys
import time
from math import comb, factorial
from mpmath import mp, mpf, mpc, exp, cos, sin, sqrt, pi, quad, fabs, log

mp.dps = 25
DRIVE = mpf('0.1')


def rate(eta, kappa, g, dE):
    eta, kappa, g, dE = mpf(eta), mpf(kappa), mpf(g), mpf(dE)
    q = eta ** 2 + 4
    nu = 4 * (2 * kappa + eta) / q
    a = 2 * g ** 2 * nu
    c = 16 / q
    G = g ** 2
    A = (8 - 2 * eta ** 2) / (eta * q)
    B = 8 / q

    def f(t):
        return (8 - 2 * eta ** 2) / (eta * q) * (1 - exp(-eta * t / 2) * cos(t)) - 8 * exp(-eta * t / 2) * sin(t) / q

    def s(t):
        return (4 * eta * (exp(-eta * t / 2) * cos(t) - 1) + (eta ** 2 - 4) * exp(-eta * t / 2) * sin(t)) / q

    def integrand(t):
        return exp(-a * (f(t) + t)) * cos(c * (dE * t - G * s(t)))

    x = c * dE
    R = sqrt(A ** 2 + B ** 2)
    D = a * R + c * G
    width0 = sqrt(4 * eta / (a * q))
    freq = fabs(x) + 2 * c * G + 1
    maxlen = 1.5 * 2 * pi / freq
    total = mpf(0)
    err = mpf(0)
    k = 0
    while True:
        t0 = 2 * pi * k
        u = exp(-eta * t0 / 2)
        env = exp(-a * (A - R * u + t0)) / a
        if k > 0 and env < mpf('1e-22') * fabs(total):
            break
        if k >= 3 and u * D < mpf('0.5'):
            total += tail(t0, eta, a, c, G, A, B, x)
            break
        pts = set([t0, t0 + 2 * pi])
        for end, sgn, kk in ((t0, 1, k), (t0 + 2 * pi, -1, k + 1)):
            w = width0 / sqrt(exp(-eta * pi * kk))
            d = w / 4
            while d < pi:
                pts.add(end + sgn * d)
                d *= 4
        pts = sorted(pts)
        fine = [pts[0]]
        for p in pts[1:]:
            n = int(mp.ceil((p - fine[-1]) / maxlen))
            base = fine[-1]
            for i in range(1, n + 1):
                fine.append(base + (p - base) * i / n)
        v, e = quad(integrand, fine, error=True)
        total += v
        err += e
        k += 1
    return 2 * DRIVE ** 2 * total, err / fabs(total)


def tail(T, eta, a, c, G, A, B, x):
    """Re int_T^inf h(t) e^{ixt} dt with h = h_inf * exp(delta), delta = u (P cos t + Q sin t)."""
    q = eta ** 2 + 4
    P = a * A - 1j * c * G * 4 * eta / q           # coefficient of u cos t in the exponent
    Q = a * B - 1j * c * G * (eta ** 2 - 4) / q    # coefficient of u sin t
    h0 = -a * A + 1j * c * G * 4 * eta / q         # exponent of h_inf without -a t
    lam = mpc(-eta / 2, 1)
    # u cos t = (z + zb)/2, u sin t = (z - zb)/(2i) with z = e^{lam t}, zb = conj: delta = al z + be zb
    al = P / 2 + Q / (2j)
    be = P / 2 - Q / (2j)
    total = mpc(0)
    for n in range(0, 45):
        for m in range(0, n + 1):      # delta^n/n! = sum_m C(n,m) al^m be^(n-m) z^m zb^(n-m) / n!
            coef = comb(n, m) * al ** m * be ** (n - m) / factorial(n)
            rate_ = -a + 1j * x + m * lam + (n - m) * lam.conjugate()
            total += coef * exp(rate_ * T) / (-rate_)
    return (exp(h0) * total).real


CASES = []


def add(eta, kappa, g, des):
    CASES.append((eta, kappa, g, [mpf(d) for d in des]))


# The parameter box eta in [1e-2, 1e2], kappa in [0, 10], |g| in [0.1, 10]; dE at the peak -g^2,
# at 0, at moderate jumps, at +-30 g (largest jumps in a chain of ~30 spins), and in the S21 tail.
for eta in ('0.01', '1', '100'):
    for kappa in ('0', '10'):
        for g in ('0.1', '1', '10'):
            gg = mpf(g)
            des = [-gg ** 2, 0, 3 * gg, -3 * gg, 30 * gg, -30 * gg]
            if eta == '0.01' and kappa == '0' and g != '10':
                des = [-gg ** 2, 0, 3 * gg, -3 * gg]   # long revival trains: fewer, costly values
            add(eta, kappa, g, des)
add('0.01', '1', '0.3', ['-0.09', 0, '0.25', '-0.5', 9, -9])      # revivals with moderate a
add('0.1', '1', '0.5', ['-0.25', 0, '1.5', '-1.5', 15, -15, 200])  # 200: S21 tail
add('0.1', '0', '0.1', ['-0.01', 0, '0.25', '0.3', -3, 3])       # small a: long tail, sidebands
add('10', '1', '3', [-9, 0, 90, -90, 2000, -2000])                # large eta, S21 tail
add('1', '1', '1', [-1, 0, 40, 100, 1000, -1000])                 # S21 tail

if __name__ == '__main__':
    only = sys.argv[1:]
    for eta, kappa, g, des in CASES:
        if only and '%s,%s,%s' % (eta, kappa, g) not in only:
            continue
        for dE in des:
            t = time.time()
            W, rel = rate(eta, kappa, g, dE)
            print('%s %s %s %s %s %.1e %.1fs' % (eta, kappa, g, mp.nstr(dE, 17), mp.nstr(W, 20), rel,
                                               time.time() - t), flush=True)
