#!/usr/bin/python3
"""Side-by-side benchmark: io.iontrap.model.lindblad vs QuTiP 4.7 on the same truncated problems.

Usage (from the repository root, after `mvn -B -q -pl model test-compile`):
    /usr/bin/python3 bench/lindblad_bench.py [--problems eta10,eta1,steady10,steady1,n3,n4]
                                             [--reps 2] [--qutip-cache DIR]

For every time-evolution problem it runs
  * QuTiP mesolve at atol 1e-10, rtol 1e-8 (the target setting),
  * our solver at the same nominal tolerances, and at a looser setting (atol 1e-7, rtol 1e-5),
  * our solver at atol 1e-13, rtol 1e-11 as the accuracy reference (checked against a tight QuTiP
    run to 5e-13 on eta10, see the report in the commit log),
and prints wall times, the largest population error of each run against the reference and the
speed ratio. "At matched accuracy" = our loosest run whose error is still no worse than QuTiP's.
Steady states: qutip.steadystate (direct sparse LU) vs ours (GMRES defect correction).
n3 / n4 only run our solver (N = 3, n_max = 40 and N = 4, n_max = 20) and report time and memory.

Times are wall-clock seconds inside the process (QuTiP: around mesolve/steadystate; Java: around
evolve/steadyState, best of --reps repetitions in one JVM so the JIT is warm; the first, cold
repetition is printed too). The machine is shared: CPU seconds are printed as well.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lindblad_qutip as lq  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
M2 = os.path.expanduser("~/.m2/repository/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar")
CP = ":".join([os.path.join(ROOT, "model/target/classes"), os.path.join(ROOT, "model/target/test-classes"), M2])

PROBLEMS = {
    "eta10": dict(g=[1.3, -2.2], omega=1.0, Omega=0.1, kappa=1.0, gamma=11.0, nmax=15, tEnd=300.0, nOut=31),
    "eta1": dict(g=[1.3, -2.2], omega=1.0, Omega=0.1, kappa=1.0, gamma=2.0, nmax=40, tEnd=2000.0, nOut=21),
    "n3": dict(g=[1.3, -2.2, 0.8], omega=1.0, Omega=0.1, kappa=1.0, gamma=2.0, nmax=40, tEnd=2000.0, nOut=21),
    "n4": dict(g=[1.3, -2.2, 0.8, -1.7], omega=1.0, Omega=0.1, kappa=1.0, gamma=11.0, nmax=20, tEnd=300.0,
               nOut=31),
}


def java(mode, pr, atol, rtol, reps, heap="-Xmx8g"):
    args = ["java", heap, "-cp", CP, "io.iontrap.model.lindblad.LindbladBench", mode,
            ",".join(map(str, pr["g"])), str(pr["omega"]), str(pr["Omega"]), str(pr["kappa"]), str(pr["gamma"]),
            str(pr["nmax"]), str(pr["tEnd"]), str(pr["nOut"]), str(atol), str(rtol), str(reps)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    d = json.loads(out.strip().splitlines()[-1])
    d["maxRssMB"] = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024.0
    return d


def qutip_evolve(pr, atol, rtol, cache):
    key = os.path.join(cache, "qutip_%s_%g_%g.json" % (pr["name"], atol, rtol)) if cache else None
    if key and os.path.exists(key):
        d = json.load(open(key))
        d["cached"] = True
        return d
    times = np.linspace(0, pr["tEnd"], pr["nOut"])
    c0 = time.process_time()
    d = lq.evolve(pr["g"], pr["omega"], pr["Omega"], pr["kappa"], pr["gamma"], pr["nmax"], times, atol=atol, rtol=rtol)
    d["cpuSeconds"] = time.process_time() - c0
    if key:
        json.dump(d, open(key, "w"))
    return d


def maxerr(a, b):
    return float(np.max(np.abs(np.array(a) - np.array(b))))


def evolve_problem(name, reps, cache):
    pr = dict(PROBLEMS[name], name=name)
    print("== %s: N=%d nmax=%d t in [0,%g], %d outputs" % (name, len(pr["g"]), pr["nmax"], pr["tEnd"], pr["nOut"]),
          flush=True)
    ref = java("evolve", pr, 1e-13, 1e-11, reps)
    ours = java("evolve", pr, 1e-10, 1e-8, reps)
    loose = java("evolve", pr, 1e-7, 1e-5, reps)
    q = qutip_evolve(pr, 1e-10, 1e-8, cache)
    eq, eo, el = maxerr(q["p"], ref["p"]), maxerr(ours["p"], ref["p"]), maxerr(loose["p"], ref["p"])
    print("  reference (ours, atol 1e-13): p(t_end) = %s" % np.round(ref["p"][-1], 6).tolist())
    print("  QuTiP mesolve 1e-10/1e-8 : %8.2f s wall %8.2f s cpu  max|dp| vs ref %.1e%s"
          % (q["seconds"], q.get("cpuSeconds", float("nan")), eq, " (cached)" if q.get("cached") else ""))
    print("  ours 1e-10/1e-8          : %8.3f s wall %8.3f s cpu  max|dp| vs ref %.1e  (krylov dim %d, gmres %d)"
          % (ours["seconds"], ours["cpuSeconds"], eo, ours["krylovDim"], ours["gmres"]))
    print("  ours 1e-7/1e-5           : %8.3f s wall %8.3f s cpu  max|dp| vs ref %.1e"
          % (loose["seconds"], loose["cpuSeconds"], el))
    print("  ours 1e-13/1e-11 (ref)   : %8.3f s wall %8.3f s cpu" % (ref["seconds"], ref["cpuSeconds"]))
    print("  max |p_ours - p_qutip|   : %.1e" % maxerr(ours["p"], q["p"]))
    # matched accuracy: our cheapest run at least as accurate as QuTiP's (the reference run counts
    # as accurate to ~1e-12, the level at which it agrees with a tight QuTiP run)
    matched = loose if el <= eq else ours if eo <= eq else ref
    print("  speed ratio QuTiP/ours   : wall %.0fx at the same tolerances, %.0fx at matched accuracy;"
          " cpu %.0fx / %.0fx" % (q["seconds"] / ours["seconds"], q["seconds"] / matched["seconds"],
                                  q.get("cpuSeconds", float("nan")) / ours["cpuSeconds"],
                                  q.get("cpuSeconds", float("nan")) / matched["cpuSeconds"]))
    print("  peak heap %.0f MB, max RSS %.0f MB" % (ours["peakHeapMB"], ours["maxRssMB"]), flush=True)


def steady_problem(name, reps):
    pr = dict(PROBLEMS[name], name=name)
    print("== steady %s: N=%d nmax=%d" % (name, len(pr["g"]), pr["nmax"]), flush=True)
    ours = java("steady", pr, 1e-10, 1e-8, reps)
    c0 = time.process_time()
    q = lq.steady(pr["g"], pr["omega"], pr["Omega"], pr["kappa"], pr["gamma"], pr["nmax"])
    qcpu = time.process_time() - c0
    print("  QuTiP steadystate (direct): %8.2f s wall %8.2f s cpu" % (q["seconds"], qcpu))
    print("  ours (residual %.1e)     : %8.3f s wall %8.3f s cpu" % (ours["residual"], ours["seconds"], ours["cpuSeconds"]))
    print("  max |p_ours - p_qutip| %.1e, ratio wall %.0fx, cpu %.0fx"
          % (maxerr(ours["p"], q["p"]), q["seconds"] / ours["seconds"], qcpu / ours["cpuSeconds"]), flush=True)


def big_problem(name, reps):
    pr = dict(PROBLEMS[name], name=name)
    print("== %s (ours only): N=%d nmax=%d t in [0,%g], %d outputs"
          % (name, len(pr["g"]), pr["nmax"], pr["tEnd"], pr["nOut"]), flush=True)
    d = java("evolve", pr, 1e-10, 1e-8, reps, heap="-Xmx20g")
    print("  %8.2f s wall %8.2f s cpu, krylov dim %d, gmres %d, peak heap %.0f MB, max RSS %.0f MB"
          % (d["seconds"], d["cpuSeconds"], d["krylovDim"], d["gmres"], d["peakHeapMB"], d["maxRssMB"]))
    print("  p(t_end) = %s, max truncation %.1e" % (np.round(d["p"][-1], 5).tolist(), max(d["truncation"])))
    s = java("steady", pr, 1e-10, 1e-8, 1, heap="-Xmx20g")
    print("  steady: %.2f s, residual %.1e, p = %s" % (s["seconds"], s["residual"], np.round(s["p"], 5).tolist()),
          flush=True)


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--problems", default="eta10,steady10,steady1,eta1,n3,n4")
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--qutip-cache", default=None, help="directory to cache/reuse QuTiP mesolve results")
    a = ap.parse_args()
    for name in a.problems.split(","):
        if name in ("eta10", "eta1"):
            evolve_problem(name, a.reps, a.qutip_cache)
        elif name.startswith("steady"):
            steady_problem("eta" + name[len("steady"):], a.reps)
        elif name in ("n3", "n4"):
            big_problem(name, a.reps)
        else:
            raise SystemExit("unknown problem " + name)
