"""Sec. 3.2's conjecture, tested: Theorem 4.0.2 for groups of automorphisms over players AND actions (issue 15).

Random common-payoff games with a planted automorphism group H (kinds in :data:`KINDS`): the certified optimum
over H-invariant profiles, every strict local maximum among H-invariant vertex profiles and every exact KKT point
of the invariant EU (on every face) that is proved a local maximum among H-invariant profiles are checked to be
Nash equilibria of G by the exact payoff of every pure deviation (never through the theorem).  No proof: the ledger
records "checked, not proved" with the counts.

Examples
--------
>>> g, gens = planted_game(random.Random(1), "swap-players-and-actions")
>>> check_game(g, gens)["counterexample"] is None
True
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import sympy

from exactgames.model.game import Game
from proofs_check.ledger import Verdict, claim

__all__ = ["KINDS", "planted_game", "check_game", "check_automorphism_conjecture"]

KINDS = ("swap-players-and-actions", "own-actions", "cycle-with-renaming", "player-only", "swap-and-own-actions")


def _gens(rng: random.Random, kind: str) -> tuple[int, int, list[Any]]:
    from exactgames.symmetry.automorphisms import GameAutomorphism

    ident = lambda m: tuple(range(m))  # noqa: E731
    if kind == "swap-players-and-actions":
        m = rng.randint(2, 3)
        tau = list(range(m))
        while tau == list(range(m)):
            rng.shuffle(tau)
        inv = [tau.index(k) for k in range(m)]
        return 2, m, [GameAutomorphism((1, 0), (tuple(tau), tuple(inv)))]
    if kind == "own-actions":
        n, m = rng.randint(2, 3), 3
        return n, m, [GameAutomorphism(ident(n), ((1, 0, 2),) + (ident(m),) * (n - 1))]
    if kind == "cycle-with-renaming":
        m = 2
        maps = [(1, 0)] + [tuple(rng.sample(range(m), m)) for _ in range(2)]  # at least one renaming
        return 3, m, [GameAutomorphism((1, 2, 0), tuple(maps))]
    if kind == "player-only":
        n, m = 3, rng.randint(2, 3)
        return n, m, [GameAutomorphism((1, 0, 2), (ident(m),) * n)]
    if kind == "swap-and-own-actions":
        return 2, 3, [GameAutomorphism((1, 0), ((2, 1, 0), (2, 1, 0))), GameAutomorphism((0, 1), ((1, 0, 2), (1, 0, 2)))]
    raise ValueError(kind)


def planted_game(rng: random.Random, kind: str) -> tuple[Game, list[Any]]:
    """A random game with integer payoffs in -3..6 constant on the profile orbits of the planted generators."""
    n, m, gens = _gens(rng, kind)
    profiles = list(itertools.product(range(m), repeat=n))
    value: dict[tuple[int, ...], int] = {}
    for a in profiles:
        if a in value:
            continue
        v = rng.randint(-3, 6)
        stack = [a]
        value[a] = v
        while stack:
            x = stack.pop()
            for g in gens:
                y = [0] * n
                for i in range(n):
                    y[g.players[i]] = g.actions[i][x[i]]
                y = tuple(y)
                if y not in value:
                    value[y] = v
                    stack.append(y)
    names = [f"a{k + 1}" for k in range(m)]
    game = Game.from_common([names] * n, lambda p: value[tuple(names.index(x) for x in p)])
    return game, gens


def _vertex_local_maxima(red: Any) -> list[tuple[tuple[int, ...], ...]]:
    """Pure invariant profiles of G' (one block per orbit) with every orbit-wide first-order change negative."""
    g = red.game
    orbits = red.orbits
    out = []
    for choice in itertools.product(*[range(len(g.actions[o[0]])) for o in orbits]):
        t = [0] * g.n_players
        for o, c in zip(orbits, choice):
            for j in o:
                t[j] = c
        base = g.payoffs[0][g.index([g.actions[j][t[j]] for j in range(g.n_players)])]
        strict = True
        for o, c in zip(orbits, choice):
            for c2 in range(len(g.actions[o[0]])):
                if c2 == c:
                    continue
                d = 0
                for j in o:
                    t2 = list(t)
                    t2[j] = c2
                    d += g.payoffs[0][g.index([g.actions[k][t2[k]] for k in range(g.n_players)])] - base
                if d >= 0:
                    strict = False
        if strict:
            out.append(tuple(tuple(sympy.Integer(1 if k == t[j] else 0) for k in range(len(g.actions[j]))) for j in range(g.n_players)))
    return out


def _kkt_local_maxima(red: Any, time_limit: float = 20.0) -> tuple[list[Any], int]:
    """Exact KKT points of the reduced EU on every face (supports) that are local maxima among invariant profiles.

    Local optimality (Definition 4.0.1 on G' with H's player orbits, exact first- and second-order tests)
    among P-invariant profiles of G' is local optimality among H-invariant profiles of G: the lift is an
    affine bijection between the two sets preserving the EU.  Returns the local maxima (profiles of G')
    and the number of KKT points examined; undecided points are skipped (counted, not claimed).
    """
    from exactgames.certify.local_symmetric import locally_optimal_symmetric
    from exactgames.optimize.kkt import kkt_points

    g, orbits = red.game, [list(o) for o in red.orbits]
    ms = [len(g.actions[o[0]]) for o in orbits]
    faces = [[S for r in range(1, m + 1) for S in itertools.combinations(range(m), r)] for m in ms]
    out, seen = [], 0
    for supports in itertools.product(*faces):
        res = kkt_points(g, orbits, supports, time_limit=time_limit)
        if res.status != "solved":
            continue
        for p in res.points:
            seen += 1
            strat = p.sympy_strategies()
            y: list[Any] = [None] * g.n_players
            for o, s in zip(orbits, strat):
                for j in o:
                    y[j] = s
            if locally_optimal_symmetric(g, [list(s) for s in y], orbits).locally_optimal is True:
                out.append(y)
    return out, seen


def check_game(game: Game, gens: list[Any]) -> dict[str, Any]:
    """Invariant optimum, strict invariant vertex local maxima and invariant KKT local maxima, each checked for Nash on G."""
    from exactgames.certify.nash import nash_certificate
    from exactgames.invariant_optimum import invariant_optimum
    from exactgames.model.profile import make_profile

    opt = invariant_optimum(game, gens, time_limit=20)
    checked, bad = 0, None
    candidates = [opt.profile] if opt.result.complete else []
    candidates += [opt.reduced.lift(y) for y in _vertex_local_maxima(opt.reduced)]
    kkt_max, kkt_seen = _kkt_local_maxima(opt.reduced)
    candidates += [opt.reduced.lift(y) for y in kkt_max]
    for prof in candidates:
        cert = nash_certificate(game, make_profile(game, [list(s) for s in prof]))
        checked += 1
        if not cert.is_nash and bad is None:
            bad = {"profile": [[str(p) for p in s] for s in prof], "gain": str(cert.max_gain), "payoffs": [str(v) for v in game.payoffs[0]]}
    return {"complete": opt.result.complete, "profiles_checked": checked, "counterexample": bad, "value": opt.value,
            "kkt_points": kkt_seen, "kkt_local_maxima": len(kkt_max)}


@claim("C3.2-aut", "Sec. 3.2, conjecture", "Theorem 4.0.2 extends to symmetries revealed by renamings of actions: a locally "
       "optimal profile invariant under a group of game automorphisms is a Nash equilibrium (checked, not proved).",
       "conjecture")
def check_automorphism_conjecture(budget: int) -> Verdict:
    rng = random.Random(15)
    games, profiles, kkt, per_kind = 0, 0, 0, {k: 0 for k in KINDS}
    for _ in range(max(1, budget // 2)):
        for kind in KINDS:
            game, gens = planted_game(rng, kind)
            r = check_game(game, gens)
            games += 1
            per_kind[kind] += 1
            profiles += r["profiles_checked"]
            kkt += r["kkt_local_maxima"]
            if r["counterexample"] is not None:
                return Verdict("refuted", "exact Nash certificate on G of an invariant local optimum",
                               f"{kind}: {r['counterexample']}", "Nash", "not Nash", cases=games)
    kinds = ", ".join(f"{k}: {v}" for k, v in per_kind.items())
    return Verdict("not checkable", "checked, not proved: random planted automorphism groups, exact Nash certificates on G",
                   f"no counterexample in {games} games ({kinds}); {profiles} invariant optima / strict invariant vertex "
                   f"local maxima / invariant KKT local maxima ({kkt} of these) all Nash by exact pure deviations", "conjecture", "no counterexample", cases=games)
