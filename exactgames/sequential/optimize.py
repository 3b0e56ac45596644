"""The proved best symmetric behaviour strategy of a team game tree.

The agents of an orbit share one distribution per information-set class
(:mod:`exactgames.sequential.symmetry`); the expected payoff is an exact polynomial
over a product of simplices, one per class, built from the tree
(:func:`exactgames.model.tree_eu.symmetric_eu`, never through the normal form) and
homogenised per class; the certified product branch and bound
(:func:`exactgames.optimize.bnb.certified_optimum_setup`) proves its global
maximum.  Classes whose variables do not occur (no payoff depends on them) and
classes with one action are left out of the product (any distribution there is
optimal; they are reported as "free").

A certified mixed maximiser is made exact when it is rational: the Krawczyk centre
is rounded to small denominators and accepted only when it is exactly a critical
point of the support face (every reduced gradient 0, exactly) lying inside the
certified region, where the maximiser is proved unique; its value is then the exact
polynomial value.

Then the verdicts: Nash by an exact best response of one agent per orbit
(:func:`exactgames.sequential.nash.best_response`), and whether the policy is deterministic.

Examples
--------
>>> from exactgames.model.decpomdp import tiny, unroll
>>> r = optimize_tree(unroll(tiny(), 2))
>>> r.complete, r.value, r.nash, r.deterministic
(True, Fraction(2, 1), True, True)
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

import flint

from exactgames.model.tree import TeamTree, TreeError
from exactgames.model.tree_eu import evaluate, symmetric_eu, tree_polynomial
from exactgames.optimize.bnb import BnbLimits
from exactgames.optimize.bnb.form import ProductSetup
from exactgames.sequential.nash import nash_gain
from exactgames.sequential.symmetry import TreeSymmetries, tree_symmetries

__all__ = ["SequentialResult", "symmetric_setup", "optimize_tree", "policy_table"]

METHOD = "certified product branch and bound on the symmetric behaviour-strategy polynomial (built from the tree)"


@dataclass(frozen=True)
class SequentialResult:
    """The proved optimal symmetric behaviour strategy (one distribution per information-set class).

    ``policy[c]`` is the distribution of class ``c`` (exact Fractions when ``value_exact``,
    else the certified region's rational centre, within 2^-200 of the unique maximiser there,
    and ``value`` is the exact payoff at that centre, a proved lower bound inside
    ``value_interval``); ``free`` lists classes where any distribution is optimal (not reached
    under the policy, or not affecting the payoff).
    """

    symmetries: TreeSymmetries
    policy: tuple[tuple[Fraction, ...], ...]
    value: Fraction | None
    value_interval: tuple[Fraction, Fraction]
    value_exact: bool
    complete: bool
    nash: bool | None
    nash_gain: Fraction | None
    deterministic: bool | None
    free: tuple[int, ...]
    method: str
    reason: str = ""
    seconds: float = 0.0
    certificate: dict = field(default_factory=dict)
    ties: tuple = ()

    def behaviour(self) -> dict[int, tuple[Fraction, ...]]:
        """Information set -> distribution."""
        return {i: self.policy[c] for c, members in enumerate(self.symmetries.classes) for i in members}

    def to_json(self) -> dict[str, Any]:
        sym = self.symmetries
        t = sym.tree
        return {
            "kind": "sequential-symmetric-v1",
            "title": t.title,
            "complete": self.complete,
            "reason": self.reason,
            "method": self.method,
            "value": None if self.value is None else str(self.value),
            "value_exact": self.value_exact,
            "value_interval": [str(self.value_interval[0]), str(self.value_interval[1])],
            "agent_orbits": [[t.players[i] for i in o] for o in sym.agent_orbits],
            "policy": [
                {"class": c, "history": sym.class_label(c), "infosets": list(sym.classes[c]),
                 "agents": sorted({t.players[t.infosets[i].player] for i in sym.classes[c]}),
                 "free": c in self.free,
                 "probabilities": {a: str(p) for a, p in zip(t.infosets[sym.classes[c][0]].actions, self.policy[c])}}
                for c in range(len(sym.classes))
            ],
            "nash": self.nash,
            "nash_gain": None if self.nash_gain is None else str(self.nash_gain),
            "deterministic": self.deterministic,
            "ties": [str(x) for x in self.ties],
            "seconds": self.seconds,
            "certificate": self.certificate,
        }


def policy_table(result: SequentialResult, show_free: bool = False) -> str:
    """History -> action probabilities, one line per information-set class."""
    sym = result.symmetries
    t = sym.tree
    lines = []
    for c, members in enumerate(sym.classes):
        if c in result.free and not show_free:
            continue
        agents = ",".join(sorted({t.players[t.infosets[i].player] for i in members}))
        show = str if result.value_exact else (lambda p: f"~{float(p):.12g}")  # a certified region's centre: approximate
        probs = ", ".join(f"{a}={show(p)}" for a, p in zip(t.infosets[members[0]].actions, result.policy[c]) if p)
        lines.append(f"  [{agents}] {sym.class_label(c)}  ->  {probs}" + ("   (free: any distribution)" if c in result.free else ""))
    hidden = sum(1 for c in result.free) if not show_free else 0
    if hidden:
        lines.append(f"  ({hidden} classes not reached under this policy or not affecting the payoff: any distribution there keeps the value)")
    return "\n".join(lines)


def symmetric_setup(tree: TeamTree, sym: TreeSymmetries) -> tuple[ProductSetup, tuple[int, ...], tuple[int, ...]]:
    """The ProductSetup of shared behaviour strategies, the classes it keeps (factor order) and the free classes.

    Kept classes have at least two actions and the payoff depends on them; the others play their
    first action (:func:`exactgames.model.tree_eu.symmetric_eu` with ``keep``), which is exact for
    one action and loses nothing for a class the payoff does not depend on (reported as free).
    """
    classes = sym.classes
    ms = [len(tree.infosets[m[0]].actions) for m in classes]
    offsets = [sum(ms[:c]) for c in range(len(ms))]
    # a class is in the product when it has >= 2 actions and the polynomial on the simplices depends on it
    raw = _raw(tree, classes)
    depends = [ms[c] >= 2 and _depends(raw, offsets[c], ms[c]) for c in range(len(ms))]
    keep = tuple(c for c in range(len(ms)) if depends[c])
    free = tuple(c for c in range(len(ms)) if not depends[c] and ms[c] >= 2)
    sizes2, ms2, coef2 = symmetric_eu(tree, classes, keep=keep)
    s = ProductSetup(tuple(tuple(classes[c]) for c in keep), sizes2, ms2,
                     tuple(tree.infosets[classes[c][0]].actions for c in keep), coef2)
    return s, keep, free


def _raw(tree: TeamTree, classes: Sequence[Sequence[int]]) -> flint.fmpq_mpoly:
    ms = [len(tree.infosets[m[0]].actions) for m in classes]
    offsets = [sum(ms[:c]) for c in range(len(ms))]
    cls = {i: c for c, m in enumerate(classes) for i in m}
    poly, _ = tree_polynomial(tree, lambda i, a: offsets[cls[i]] + a, sum(ms))
    return poly


def _depends(raw: flint.fmpq_mpoly, off: int, m: int) -> bool:
    """Does the polynomial on the simplex depend on this class (some reduced derivative nonzero)?"""
    d0 = raw.derivative(off)
    return any(not (raw.derivative(off + a) - d0).is_zero() for a in range(1, m))


def _exact_mixed(raw: flint.fmpq_mpoly, ms: Sequence[int], keep: Sequence[int], point: Sequence[Sequence[Fraction]],
                 supports: Sequence[Sequence[int]], lower: Sequence[Sequence[Fraction]] | None) -> tuple | None:
    """A rational critical point of the support face near ``point`` inside the region, or None."""
    offsets = [sum(ms[:c]) for c in range(len(ms))]
    for den in (10**3, 10**6, 10**12):
        cand = [tuple(Fraction(x).limit_denominator(den) for x in xi) for xi in point]
        fixed = []
        for xi, S in zip(cand, supports):
            xi = [x if a in S else Fraction(0) for a, x in enumerate(xi)]
            tot = sum(xi)
            if tot <= 0:
                break
            fixed.append(tuple(x / tot for x in xi))
        else:
            if lower is not None and any(x < lo for xi, li, S in zip(fixed, lower, supports) for a, (x, lo) in enumerate(zip(xi, li)) if a in S):
                continue
            full: dict[int, tuple] = {}
            for j, c in enumerate(keep):
                full[c] = fixed[j]
            vals = []
            for c in range(len(ms)):
                xi = full.get(c, (Fraction(1),) + (Fraction(0),) * (ms[c] - 1))
                vals.extend(flint.fmpq(x.numerator, x.denominator) for x in xi)
            ok = True
            for j, c in enumerate(keep):
                S = supports[j]
                g = [raw.derivative(offsets[c] + a)(*vals) for a in S]
                if any(x != g[0] for x in g[1:]):
                    ok = False
                    break
            if ok:
                v = raw(*vals)
                return tuple(fixed), Fraction(int(v.p), int(v.q))
    return None


MAX_TENSOR = 20_000
"""Largest Bernstein tensor (coefficients per cell, the product over classes of ``C(deg + m - 1, m - 1)``) the
branch-and-bound route takes on; the dense tensor of every cell grows exponentially in the number of classes."""


def tensor_size(tree: TeamTree, sym: TreeSymmetries) -> int:
    """Coefficients per cell of the product Bernstein form of the symmetric EU (before dropping free classes).

    The degree of a class is at most the number of its information sets met on one play; here it
    is bounded by the agents of the class (one information set per agent per play, perfect recall).
    """
    import math

    total = 1
    for members in sym.classes:
        m = len(tree.infosets[members[0]].actions)
        deg = len({tree.infosets[i].player for i in members})
        total *= math.comb(deg + m - 1, m - 1)
    return total


def _team_bound(tree: TeamTree, sym: TreeSymmetries, time_limit: float | None, t0: float, check_nash: bool,
                size: int) -> SequentialResult:
    """Best symmetric deterministic policy vs the team optimum over all pure profiles (see :mod:`exactgames.sequential.brute`)."""
    from exactgames.sequential.brute import OutOfTime, best_symmetric_pure, team_optimum

    ms = [len(tree.infosets[m[0]].actions) for m in sym.classes]
    try:
        sp = best_symmetric_pure(tree, sym, time_limit=time_limit)
        rest = None if time_limit is None else max(0.0, time_limit - (time.perf_counter() - t0))
        team = team_optimum(tree, time_limit=rest)
    except OutOfTime as exc:
        policy = tuple((Fraction(1),) + (Fraction(0),) * (m - 1) for m in ms)
        return SequentialResult(sym, policy, None, (Fraction(0), Fraction(0)), False, False, None, None, None, (),
                                TEAM_METHOD, f"time limit: {exc}", time.perf_counter() - t0, {})
    pol = []
    for c, members in enumerate(sym.classes):
        a = sp.choice[members[0]]
        pol.append(tuple(Fraction(int(a == b)) for b in range(ms[c])))
    policy = tuple(pol)
    cert = {
        "kind": "sequential-team-bound-v1",
        "claim": "max over symmetric behaviour strategies <= max over all pure profiles (perfect recall: the EU is "
                 "multilinear in the information sets' distributions) = team_optimum, attained by the symmetric policy",
        "team_optimum": str(team.value), "team_policies_enumerated": team.count,
        "team_profile": {str(i): a for i, a in sorted(team.choice.items())},
        "symmetric_value": str(sp.value), "symmetric_policies_enumerated": sp.count,
        "symmetric_policy": {str(c): sp.choice[m[0]] for c, m in enumerate(sym.classes)},
        "tensor_size": size,
    }
    if sp.value != team.value:
        return SequentialResult(sym, policy, None, (sp.value, team.value), False, False, None, None, None, (), TEAM_METHOD,
                                f"the best symmetric deterministic policy ({sp.value}) is below the team optimum ({team.value}): "
                                "the symmetric optimum may be mixed; value_interval is a proved enclosure",
                                time.perf_counter() - t0, cert)
    reached = _reached_classes(tree, sym, sp.choice)
    free = tuple(c for c in range(len(ms)) if c not in reached and ms[c] >= 2)
    r = _finish(tree, sym, policy, sp.value, (sp.value, sp.value), True, True, free, "", t0, cert, (), check_nash)
    return dataclasses.replace(r, method=TEAM_METHOD)


CONSTANT_METHOD = ("the symmetric behaviour-strategy polynomial built from the tree is constant on the product of simplices "
                   "(every reduced derivative exactly 0)")


def _constant(tree: TeamTree, sym: TreeSymmetries, time_limit: float | None, t0: float, check_nash: bool,
              size: int) -> SequentialResult:
    """Every symmetric behaviour strategy gives the same payoff: every policy is optimal, the value is exact.

    The answer carries a certificate ``verify`` checks: when the team optimum over all pure profiles
    equals the constant (the game is constant for asymmetric play too, or a symmetric pure policy is a
    team optimum), the ``sequential-team-bound-v1`` certificate of the first-action policy (two agents,
    as the checker's sequence form). Otherwise the answer has no certificate (``verify`` refuses it,
    naming the missing kind) and the reason says so.
    """
    ms = [len(tree.infosets[m[0]].actions) for m in sym.classes]
    policy = tuple((Fraction(1),) + (Fraction(0),) * (m - 1) for m in ms)
    v = evaluate(tree, {i: policy[c] for c, m in enumerate(sym.classes) for i in m})
    every = f"every symmetric behaviour strategy gives the same payoff {v} (the polynomial is constant): every policy is optimal"
    if tree.n_players == 2:
        r = _team_bound(tree, sym, time_limit, t0, check_nash, size)
        if r.complete and r.value == v:
            return dataclasses.replace(r, method=CONSTANT_METHOD + "; certificate: " + TEAM_METHOD,
                                       reason=every + "; the policy shown is certified by the team bound")
    free = tuple(c for c in range(len(ms)) if ms[c] >= 2)
    r = _finish(tree, sym, policy, v, (v, v), True, True, free,
                every + "; no certificate for verify (the team optimum over asymmetric pure profiles is not this value, or "
                "the tree does not have two agents)", t0, {}, (), check_nash)
    return dataclasses.replace(r, method=CONSTANT_METHOD)


def _reached_classes(tree: TeamTree, sym: TreeSymmetries, choice: dict[int, int]) -> set[int]:
    cls = {i: c for c, m in enumerate(sym.classes) for i in m}
    seqs = tree.sequences()
    out = set()
    for i in range(len(tree.infosets)):
        s = next(iter(seqs[i]), None) if seqs[i] else None
        if s is not None and all(choice[j] == a for j, a in s):
            out.add(cls[i])
    return out


TEAM_METHOD = ("team bound: exhaustive symmetric deterministic policies, and the exact team optimum over all pure "
               "profiles (enumeration plus backward-induction best response) as a proved upper bound")


def optimize_tree(
    tree: TeamTree, symmetries: TreeSymmetries | None = None, time_limit: float | None = 60.0, seed: int = 0,
    check_nash: bool = True, route: str = "auto",
) -> SequentialResult:
    """Proved global optimum of the expected common payoff over symmetric behaviour strategies.

    Two routes: ``"bnb"``, the certified product branch and bound on the symmetric EU
    polynomial (any optimum, mixed or pure, within ``MAX_TENSOR``), and ``"team-bound"``:
    the best symmetric deterministic policy by exhaustive enumeration, proved optimal
    when it attains the exact team optimum over all pure profiles (an upper bound of
    every symmetric behaviour strategy); otherwise the result is incomplete with that
    enclosure.  ``"auto"`` takes the branch and bound when the tensor is small enough.

    Parameters
    ----------
    tree : TeamTree
        Common payoff; every agent with perfect recall (for the Nash verdict).
    symmetries : TreeSymmetries, optional
        Default :func:`tree_symmetries` (all symmetries found).
    time_limit : float or None
        Seconds for the branch and bound.
    """
    from exactgames.optimize.bnb import certified_optimum_setup

    t0 = time.perf_counter()
    if not tree.is_common_payoff:
        raise TreeError("the game tree must be common-payoff (a team game)")
    sym = symmetries or tree_symmetries(tree)
    classes = sym.classes
    ms = [len(tree.infosets[m[0]].actions) for m in classes]
    default = {c: (Fraction(1),) + (Fraction(0),) * (ms[c] - 1) for c in range(len(ms))}
    size = tensor_size(tree, sym)
    if route == "auto":
        route = "bnb" if size <= MAX_TENSOR else "team-bound"
    if route == "team-bound":
        return _team_bound(tree, sym, time_limit, t0, check_nash, size)
    if route != "bnb":
        raise ValueError(f"route {route!r}: expected 'auto', 'bnb' or 'team-bound'")
    if size > MAX_TENSOR:
        policy = tuple(default[c] for c in range(len(ms)))
        return SequentialResult(sym, policy, None, (Fraction(0), Fraction(0)), False, False, None, None, None, (), METHOD,
                                f"the product Bernstein tensor has {size} coefficients per cell (more than {MAX_TENSOR}): "
                                "the branch and bound is out of reach; try the team-bound route", time.perf_counter() - t0)
    setup, keep, free = symmetric_setup(tree, sym)
    raw = _raw(tree, classes)
    if not keep:
        return _constant(tree, sym, time_limit, t0, check_nash, size)
    res = certified_optimum_setup(setup, limits=BnbLimits(time_limit=time_limit), seed=seed)
    cert = dict(res.certificate)
    cert["classes"] = [list(m) for m in classes]  # the information-set partition (the factors are cert["classes_in_product"])
    cert["classes_in_product"] = list(keep)
    cert["free_classes"] = list(free)
    if not res.complete:
        lo, hi = res.value_interval
        policy = tuple(default[c] for c in range(len(ms)))
        return SequentialResult(sym, policy, None, (lo, hi), False, False, None, None, None, free, METHOD, res.reason,
                                time.perf_counter() - t0, cert)
    strategies = [tuple(Fraction(str(p)) for p in xi) for xi in res.strategies]
    exact = res.value_exact
    value = Fraction(str(res.value)) if exact else None
    if not exact:
        win = cert.get("winner")
        lower = None
        if isinstance(win, int) and win >= 0:
            lower = [[Fraction(x) for x in li] for li in cert["regions"][win]["lower"]] if "lower" in cert["regions"][win] else None
        got = _exact_mixed(raw, ms, keep, strategies, res.support, lower)
        if got is not None:
            strategies, value = [tuple(x) for x in got[0]], got[1]
            exact = True
    policy_l = [default[c] for c in range(len(ms))]
    for j, c in enumerate(keep):
        policy_l[c] = tuple(strategies[j])
    policy = tuple(policy_l)
    beh = {i: policy[c] for c, m in enumerate(classes) for i in m}
    at = evaluate(tree, beh)
    if exact and at != value:
        raise AssertionError(f"internal: the tree evaluates to {at} at the optimiser's policy, not {value}")
    lo, hi = res.value_interval
    if exact:
        lo = hi = value
    return _finish(tree, sym, policy, value if exact else at, (lo, hi), exact, True, free, "", t0, cert, res.ties, check_nash)


def _finish(tree: TeamTree, sym: TreeSymmetries, policy: tuple, value: Fraction, interval: tuple, exact: bool, complete: bool,
            free: tuple, reason: str, t0: float, cert: dict, ties: tuple, check_nash: bool) -> SequentialResult:
    beh = {i: policy[c] for c, m in enumerate(sym.classes) for i in m}
    nash = gain = None
    if check_nash and exact:
        reps = [o[0] for o in sym.agent_orbits]
        gain, _ = nash_gain(tree, beh, reps)
        nash = gain == 0
    relevant = [c for c in range(len(policy)) if c not in free]
    deterministic = all(sum(1 for p in policy[c] if p) == 1 for c in relevant)
    return SequentialResult(sym, policy, value, interval, exact, complete, nash, gain, deterministic, free, METHOD, reason,
                            time.perf_counter() - t0, cert, tuple(ties))
