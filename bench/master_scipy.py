#!/usr/bin/python3
"""SciPy peer for the effective master equation benchmark (bench/run).

Reads what `iontrap bench master --out DIR` wrote into DIR:
  meta.json   {"n": N, "times": [...], "javaStationarySeconds": s, "javaEvolveSeconds": s, ...}
  rates.f64   little-endian float64, W[sigma * N + i] = rate of flipping spin i out of sigma
  pi.f64      the Java stationary distribution (2^N float64)
  pt.f64      the Java p(t) at each requested time (len(times) x 2^N float64), from all spins down
and solves the same problem the way a physicist would with SciPy: a sparse generator
Q (dp/dt = Q p), the stationary state from spsolve with one row replaced by the normalisation,
and p(t) from expm_multiply. Prints one JSON line with timings, ratios and the largest
difference from the Java results.
"""
import json
import sys
import time

import numpy as np
import scipy
import scipy.sparse as sp
import scipy.sparse.linalg as spla


def generator(rates, n):
    dim = 1 << n
    w = rates.reshape(dim, n)
    src = np.repeat(np.arange(dim), n)
    spin = np.tile(np.arange(n), dim)
    dst = src ^ (1 << spin)
    exit_rate = w.sum(axis=1)
    rows = np.concatenate([dst, np.arange(dim)])
    cols = np.concatenate([src, np.arange(dim)])
    vals = np.concatenate([w.ravel(), -exit_rate])
    return sp.csc_matrix((vals, (rows, cols)), shape=(dim, dim))


def main(out, skip_stationary):
    meta = json.load(open(f"{out}/meta.json"))
    n = meta["n"]
    dim = 1 << n
    rates = np.fromfile(f"{out}/rates.f64", dtype="<f8")
    t0 = time.perf_counter()
    q = generator(rates, n)
    build = time.perf_counter() - t0
    result = {"n": n, "scipy": scipy.__version__, "scipyBuildSeconds": build}

    if not skip_stationary:
        a = q.tolil()
        a[0, :] = np.ones(dim)
        a = a.tocsc()
        b = np.zeros(dim)
        b[0] = 1.0
        t0 = time.perf_counter()
        pi = spla.spsolve(a, b)
        result["scipyStationarySeconds"] = time.perf_counter() - t0
        pi_java = np.fromfile(f"{out}/pi.f64", dtype="<f8")
        result["stationaryMaxAbsDiff"] = float(np.max(np.abs(pi - pi_java)))
        result["stationaryRatio"] = result["scipyStationarySeconds"] / meta["javaStationarySeconds"]

    times = meta["times"]
    p0 = np.zeros(dim)
    p0[0] = 1.0
    t0 = time.perf_counter()
    pts = []
    p, t_prev = p0, 0.0
    for t in times:
        p = spla.expm_multiply(q * (t - t_prev), p)
        t_prev = t
        pts.append(p)
    result["scipyEvolveSeconds"] = time.perf_counter() - t0
    pt_java = np.fromfile(f"{out}/pt.f64", dtype="<f8").reshape(len(times), dim)
    result["evolveMaxAbsDiff"] = float(np.max(np.abs(np.array(pts) - pt_java)))
    result["evolveRatio"] = result["scipyEvolveSeconds"] / meta["javaEvolveSeconds"]
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], "--skip-stationary" in sys.argv[2:])
