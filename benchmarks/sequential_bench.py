"""Benchmark: the proved best symmetric behaviour strategy of Dec-Tiger, by three routes in one run.

Routes, per horizon H:

* **tree** (ours): the symmetric EU polynomial built from the tree and the certified product
  branch and bound when its Bernstein tensor is small enough, else the team-bound proof
  (best symmetric deterministic policy = exact team optimum over all pure profiles);
* **normal form**: build the contingency-plan (reduced) normal form, one pure plan per
  deterministic policy on the agent's reachable histories, then the existing optimiser
  (``exactgames.optimize``) on its single orbit;
* **brute force**: every symmetric deterministic policy evaluated exactly (a lower bound only:
  it proves nothing about mixed policies by itself).

Targets: horizon 2 proved in under 5 s, horizon 3 in under 60 s.  Each route reports its
value, time, and where it stops (horizon, information-set count, sizes).

    python benchmarks/sequential_bench.py [--horizons 1 2 3 4] [--time-limit 60] [--file examples/games/dectiger.dpomdp]
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction
from pathlib import Path

from exactgames.io.dpomdp import read_dpomdp
from exactgames.model.decpomdp import unroll
from exactgames.model.game import Game
from exactgames.sequential.brute import OutOfTime, best_symmetric_pure, player_pure_policies, pure_value
from exactgames.sequential.optimize import MAX_TENSOR, optimize_tree, tensor_size
from exactgames.sequential.symmetry import tree_symmetries

PUBLISHED = {1: "-2.000000", 2: "-4.000000", 3: "5.190812", 4: "4.802755"}
MAX_NF_PROFILES = 200_000


def _fmt(v: Fraction | None) -> str:
    return "-" if v is None else f"{v} (= {float(v):.6f})"


def tree_route(tree, limit: float) -> tuple[str, float]:
    t0 = time.perf_counter()
    r = optimize_tree(tree, time_limit=limit)
    dt = time.perf_counter() - t0
    if not r.complete:
        return f"INCOMPLETE: {r.reason}", dt
    how = "bnb" if r.method.startswith("certified") else "team bound"
    return f"{_fmt(r.value)} proved [{how}], Nash {r.nash}, deterministic {r.deterministic}", dt


def normal_form_route(tree, limit: float) -> tuple[str, float]:
    t0 = time.perf_counter()
    plans = [list(player_pure_policies(tree, p)) for p in range(tree.n_players)]
    counts = [len(p) for p in plans]
    profiles = 1
    for c in counts:
        profiles *= c
    if profiles > MAX_NF_PROFILES:
        return f"stops: the reduced normal form has {' x '.join(map(str, counts))} = {profiles} profiles (> {MAX_NF_PROFILES}), not built", time.perf_counter() - t0
    names = [[f"plan{k}" for k in range(c)] for c in counts]

    def u(profile: tuple[str, ...]) -> Fraction:
        choice: dict[int, int] = {}
        for p, name in enumerate(profile):
            choice.update(plans[p][int(name[4:])])
        return pure_value(tree, choice)

    game = Game.from_common(names, u)
    built = time.perf_counter() - t0
    import exactgames as eg

    rest = max(1.0, limit - built)
    res = eg.optimize(game, time_limit=rest)
    dt = time.perf_counter() - t0
    if not res.complete:
        return f"stops: {counts[0]} plans per agent, normal form built in {built:.1f} s, optimiser incomplete ({res.reason[:80]})", dt
    v = Fraction(str(res.value)) if res.value_exact else None
    return f"{_fmt(v) if v is not None else res.value} proved ({counts[0]} plans per agent, built in {built:.1f} s)", dt


def brute_route(tree, sym, limit: float) -> tuple[str, float]:
    t0 = time.perf_counter()
    try:
        r = best_symmetric_pure(tree, sym, time_limit=limit)
    except OutOfTime as exc:
        return f"stops: {exc}", time.perf_counter() - t0
    return f"{_fmt(r.value)} best of {r.count} symmetric deterministic policies (lower bound only)", time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--horizons", type=int, nargs="+", default=[1, 2, 3, 4])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--file", default=str(Path(__file__).resolve().parents[1] / "examples" / "games" / "dectiger.dpomdp"))
    ap.add_argument("--skip", nargs="*", default=[], choices=["tree", "normal-form", "brute"])
    ap.add_argument("--max-plans", type=int, default=100_000, help="largest number of deterministic policies per agent attempted")
    ap.add_argument("--max-nodes", type=int, default=500_000, help="largest unrolled tree attempted")
    args = ap.parse_args()
    model = read_dpomdp(args.file)
    for h in args.horizons:
        # sizes from the model alone: observation histories per agent and deterministic policies per agent
        n_obs_hist = [sum(len(o) ** t for t in range(h)) for o in model.observations]
        n_aoh = [sum((len(a) * len(o)) ** t for t in range(h)) for a, o in zip(model.actions, model.observations)]
        plans = [len(a) ** k for a, k in zip(model.actions, n_obs_hist)]
        per = 1
        for a, o in zip(model.actions, model.observations):
            per *= len(a) * len(o)
        nodes = len(model.states) * sum(per ** t for t in range(h)) * len(model.joint_actions())
        if nodes > args.max_nodes or plans[0] > args.max_plans:
            print(f"== {Path(args.file).name}, horizon {h}: {sum(n_aoh)} information sets (action-observation histories), "
                  f"~{nodes} tree nodes; published {PUBLISHED.get(h, '?')}")
            print(f"  all routes stop: {plans[0]} deterministic policies per agent (> {args.max_plans}): the team bound "
                  f"would enumerate them with one best response each, brute force {plans[0]} symmetric policies, the "
                  f"normal form has {plans[0]}^2 profiles, and the product tensor is far beyond {MAX_TENSOR}")
            continue
        t0 = time.perf_counter()
        tree = unroll(model, h)
        sym = tree_symmetries(tree)
        prep = time.perf_counter() - t0
        size = tensor_size(tree, sym)
        print(f"== {Path(args.file).name}, horizon {h}: {len(tree.infosets)} information sets, {len(sym.classes)} classes, "
              f"{sum(1 for _ in tree.nodes())} shared nodes, product tensor {size} coefficients per cell "
              f"(branch and bound up to {MAX_TENSOR}); unroll + symmetries {prep:.2f} s; published {PUBLISHED.get(h, '?')}")
        if "tree" not in args.skip:
            text, dt = tree_route(tree, args.time_limit)
            print(f"  tree route        {dt:8.2f} s  {text}")
        if "normal-form" not in args.skip:
            text, dt = normal_form_route(tree, args.time_limit)
            print(f"  normal-form route {dt:8.2f} s  {text}")
        if "brute" not in args.skip:
            text, dt = brute_route(tree, sym, args.time_limit)
            print(f"  brute force       {dt:8.2f} s  {text}")


if __name__ == "__main__":
    main()
