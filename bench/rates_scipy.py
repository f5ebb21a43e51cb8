#!/usr/bin/python3
"""SciPy peer for the flip-rate benchmark (bench/run): Eq. (3) by scipy.integrate.quad, the way a
physicist would evaluate it, on the nine checked rates of physics.md §7 (omega = 1, Omega = 0.1,
kappa = 1). Prints one JSON line: evaluations per second and the largest relative error."""
import json
import math
import time
import warnings

from scipy.integrate import quad

CHECKED = [  # eta, g, dE, W
    (10, 0.5, -2, 0.03304238095428962), (10, 1.0, 0, 0.025071813689220093),
    (10, 3.0, 2, 0.004617857163490386), (1, 0.5, 2, 2.4197431920186956e-05),
    (1, 1.0, -2, 0.004495225864855252), (1, 3.0, 0, 4.885693064421592e-05),
    (0.1, 0.5, 0, 0.005392375790058706), (0.1, 1.0, 0, 0.002495310792700887),
    (0.1, 3.0, 2, 0.000254720245653927),
]


def rate(eta, g, de, omega_drive=0.1, kappa=1.0):
    q = eta * eta + 4
    nu = 4 * (2 * kappa + eta) / q
    a = 2 * g * g * nu

    def integrand(t):
        u = math.exp(-eta * t / 2)
        f = (8 - 2 * eta * eta) / (eta * q) * (1 - u * math.cos(t)) - 8 * u * math.sin(t) / q
        s = (4 * eta * (u * math.cos(t) - 1) + (eta * eta - 4) * u * math.sin(t)) / q
        return math.exp(-a * (f + t)) * math.cos(16 * (de * t - g * g * s) / q)

    return 2 * omega_drive ** 2 * quad(integrand, 0, math.inf, limit=2000, epsabs=0, epsrel=1e-10)[0]


warnings.simplefilter("ignore")
t0 = time.perf_counter()
reps = 5
worst = 0.0
for _ in range(reps):
    for eta, g, de, w in CHECKED:
        worst = max(worst, abs(rate(eta, g, de) / w - 1))
elapsed = time.perf_counter() - t0
print(json.dumps({"peer": "scipy.integrate.quad", "ratesPerSecond": reps * len(CHECKED) / elapsed,
                  "maxRelativeErrorOnCheckedRates": worst}))
