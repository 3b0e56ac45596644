"""Benchmark: Γ(G) by pruned search against brute force over all n! permutations.

Dense 8-, 10- and 12-player games with 2 and 3 actions:

* ``full``     -- fully symmetric (a random anonymous payoff expanded to dense form), |Γ| = n!;
* ``dihedral`` -- random payoff invariant under the dihedral group of the n-gon
  (one random value per orbit of pure profiles), |Γ| >= 2n;
* ``cyclic``   -- the same for the cyclic group, |Γ| >= n.

Brute force is stopped after ``--bf-limit`` seconds and reported as "did not
finish in X s" with the fraction of permutations it had checked.  The target
of issue 3: the dense 10-player 3-action fully symmetric game (59,049
profiles, order 3,628,800) in under 10 s on one core.

Run:  python benchmarks/symmetry_bench.py [--bf-limit 60] [--players 8 10 12] [--actions 2 3]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import sympy  # noqa: E402
from sympy.combinatorics import Permutation, PermutationGroup  # noqa: E402

from exactgames.model.game import AnonymousGame, Game  # noqa: E402
from exactgames.symmetry import verify as _verify  # noqa: E402
from exactgames.symmetry.search import BruteForceTimeout, SearchStats, symmetry_group, symmetry_group_bruteforce  # noqa: E402


def invariant_game(n: int, m: int, gens: list[list[int]], seed: int) -> Game:
    """A common-payoff game with one random integer per orbit of pure profiles under <gens>."""
    group = PermutationGroup([Permutation(g) for g in gens])
    idx = np.arange(m**n, dtype=np.int64).reshape((m,) * n)
    canon = idx.copy()
    for h in group.generate():
        inv = np.argsort(np.asarray(h.array_form))
        canon = np.minimum(canon, idx.transpose(inv))  # index of a o h, minimised over the group
    canon = canon.reshape(-1)
    rng = random.Random(seed)
    reps = np.unique(canon)
    value = {int(r): sympy.Integer(rng.randint(-10**6, 10**6)) for r in reps}
    row = tuple(value[int(c)] for c in canon)
    acts = tuple(tuple(f"a{k}" for k in range(m)) for _ in range(n))
    return Game(acts, tuple(row for _ in range(n)), title=f"random invariant n={n} m={m}")


def full_game(n: int, m: int, seed: int) -> Game:
    rng = random.Random(seed)
    anon = AnonymousGame.from_function(n, [f"a{k}" for k in range(m)], lambda c: rng.randint(-10**6, 10**6))
    return anon.to_dense(max_profiles=10**7)


def cyclic(n: int) -> list[list[int]]:
    return [[(i + 1) % n for i in range(n)]]


def dihedral(n: int) -> list[list[int]]:
    return cyclic(n) + [[(-i) % n for i in range(n)]]


def timed(fn, *args, **kw):
    _verify._CACHE.clear()  # each run builds its own exact code table
    t = time.perf_counter()
    out = fn(*args, **kw)
    return out, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--players", type=int, nargs="+", default=[8, 10, 12])
    ap.add_argument("--actions", type=int, nargs="+", default=[2, 3])
    ap.add_argument("--kinds", nargs="+", default=["full", "dihedral", "cyclic"])
    ap.add_argument("--bf-limit", type=float, default=30.0, help="seconds before brute force is stopped")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    print(f"{'game':<28}{'profiles':>10}{'|Gamma|':>12}{'search s':>10}{'verified':>9}{'brute force':>42}{'ratio':>12}")
    target_ok = None
    for n in args.players:
        for m in args.actions:
            for kind in args.kinds:
                t0 = time.perf_counter()
                if kind == "full":
                    g = full_game(n, m, args.seed)
                else:
                    g = invariant_game(n, m, dihedral(n) if kind == "dihedral" else cyclic(n), args.seed)
                build = time.perf_counter() - t0
                res, ts = timed(symmetry_group, g)
                verified = SearchStats.verified
                expected_min = {"full": math.factorial(n), "dihedral": 2 * n, "cyclic": n}[kind]
                assert res.order % expected_min == 0, "the chosen subgroup must be in Gamma(G)"
                try:
                    bf, tb = timed(symmetry_group_bruteforce, g, time_limit=args.bf_limit)
                    assert bf.order == res.order, f"brute force order {bf.order} != search order {res.order}"
                    bf_text = f"{tb:10.2f} s (order agrees)"
                    ratio = f"{tb / ts:.0f}x"
                except BruteForceTimeout as exc:
                    est = exc.elapsed * exc.total / max(exc.checked, 1)
                    bf_text = f"did not finish in {args.bf_limit:g} s (est. {est:,.0f} s)"
                    ratio = f"> {args.bf_limit / ts:.0f}x"
                name = f"{kind} n={n} m={m}"
                print(f"{name:<28}{m**n:>10}{res.order:>12}{ts:>10.3f}{verified:>9}{bf_text:>42}{ratio:>12}   (build {build:.1f} s)")
                sys.stdout.flush()
                if kind == "full" and n == 10 and m == 3:
                    target_ok = ts < 10.0
    if target_ok is not None:
        print(f"target (dense 10-player 3-action fully symmetric game under 10 s): {'MET' if target_ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
