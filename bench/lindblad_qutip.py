#!/usr/bin/python3
"""QuTiP 4.7 reference for the full Lindblad model of physics.md Eqs. (1)-(2).

Run with the system interpreter: /usr/bin/python3 bench/lindblad_qutip.py [problem ...]

Conventions (identical to io.iontrap.model.lindblad):
  H = omega a^dag a + sum_i g_i sz_i (a + a^dag) + Omega sum_i sx_i
  L_loss = sqrt(gamma) a, L_gain = sqrt(kappa) a^dag, Fock states 0..nmax
  tensor order: spin 0, spin 1, ..., spin N-1, boson
  configuration index: bit i = spin i, bit 1 = sigma_z eigenvalue +1 (QuTiP basis(2,0)).
Prints one JSON object per problem: times, p[t][config], n[t], seconds.
"""
import json
import sys
import time

import numpy as np
import qutip as qt


def operators(g, omega, Omega, kappa, gamma, nmax):
    N = len(g)
    nb = nmax + 1
    I2 = qt.qeye(2)

    def spin_op(op, i):
        ops = [I2] * N + [qt.qeye(nb)]
        ops[i] = op
        return qt.tensor(ops)

    a = qt.tensor([I2] * N + [qt.destroy(nb)])
    H = omega * a.dag() * a
    for i in range(N):
        H += g[i] * spin_op(qt.sigmaz(), i) * (a + a.dag())
        H += Omega * spin_op(qt.sigmax(), i)
    c_ops = [np.sqrt(gamma) * a]
    if kappa > 0:
        c_ops.append(np.sqrt(kappa) * a.dag())
    return H, c_ops, a


def spin_ket(bits, N):
    # bit i = 1 means sigma_z = +1 = qutip basis(2, 0)
    return qt.tensor([qt.basis(2, 0 if (bits >> i) & 1 else 1) for i in range(N)])


def projectors(N, nmax):
    out = []
    for c in range(1 << N):
        k = spin_ket(c, N)
        out.append(qt.tensor(k * k.dag(), qt.qeye(nmax + 1)))
    return out


def evolve(g, omega, Omega, kappa, gamma, nmax, times, initial=0, atol=1e-10, rtol=1e-8):
    N = len(g)
    H, c_ops, a = operators(g, omega, Omega, kappa, gamma, nmax)
    psi0 = qt.tensor(spin_ket(initial, N), qt.basis(nmax + 1, 0))
    rho0 = psi0 * psi0.dag()
    e_ops = projectors(N, nmax) + [a.dag() * a]
    opts = qt.Options(atol=atol, rtol=rtol, nsteps=10 ** 9, store_states=False)
    t0 = time.perf_counter()
    res = qt.mesolve(H, rho0, times, c_ops, e_ops, options=opts)
    sec = time.perf_counter() - t0
    P = np.array([np.real(res.expect[c]) for c in range(1 << N)]).T
    n = np.real(res.expect[1 << N])
    return {"times": list(map(float, times)), "p": P.tolist(), "n": n.tolist(), "seconds": sec}


def steady(g, omega, Omega, kappa, gamma, nmax, method="direct"):
    N = len(g)
    H, c_ops, a = operators(g, omega, Omega, kappa, gamma, nmax)
    t0 = time.perf_counter()
    rho = qt.steadystate(H, c_ops, method=method)
    sec = time.perf_counter() - t0
    p = [float(np.real(qt.expect(P, rho))) for P in projectors(N, nmax)]
    n = float(np.real(qt.expect(a.dag() * a, rho)))
    return {"p": p, "n": n, "seconds": sec}


G2 = [1.3, -2.2]


def problem(name):
    if name == "eta10":   # physics.md section 7, eta = 10
        return dict(g=G2, omega=1.0, Omega=0.1, kappa=1.0, gamma=11.0, nmax=15,
                    times=np.linspace(0, 300, 31))
    if name == "eta1":    # physics.md section 7, eta = 1
        return dict(g=G2, omega=1.0, Omega=0.1, kappa=1.0, gamma=2.0, nmax=40,
                    times=np.linspace(0, 2000, 21))
    if name == "small":   # quick unit-test reference
        return dict(g=G2, omega=1.0, Omega=0.1, kappa=1.0, gamma=11.0, nmax=8,
                    times=np.array([0.0, 1.0, 5.0, 20.0]))
    if name == "early":   # early outputs inside the fast transient
        return dict(g=G2, omega=1.0, Omega=0.1, kappa=1.0, gamma=11.0, nmax=8,
                    times=np.array([0.0, 0.05, 0.3, 1.0, 5.0, 20.0]))
    if name == "n3":      # three spins, sector-independent check of L1 wiring
        return dict(g=[0.9, -0.6, 1.4], omega=1.0, Omega=0.3, kappa=0.5, gamma=3.0, nmax=10,
                    times=np.array([0.0, 0.5, 2.0, 10.0]))
    raise ValueError(name)


if __name__ == "__main__":
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("problems", nargs="*", default=["small"])
    ap.add_argument("--steady", action="store_true", help="qutip.steadystate instead of mesolve")
    ap.add_argument("--atol", type=float, default=1e-10)
    ap.add_argument("--rtol", type=float, default=1e-8)
    ap.add_argument("--nmax", type=int, default=None, help="override the problem's Fock cut-off")
    opts = ap.parse_args()
    for name in opts.problems:
        pr = problem(name)
        if opts.nmax is not None:
            pr["nmax"] = opts.nmax
        args = (pr["g"], pr["omega"], pr["Omega"], pr["kappa"], pr["gamma"], pr["nmax"])
        if opts.steady:
            out = steady(*args)
        else:
            out = evolve(*args, pr["times"], atol=opts.atol, rtol=opts.rtol)
            out["atol"] = opts.atol
            out["rtol"] = opts.rtol
        out["nmax"] = pr["nmax"]
        out["problem"] = name
        print(json.dumps(out), flush=True)
