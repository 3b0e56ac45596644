"""Section 2 claims: the self-driving taxi games (Table 1 a/b/c, Figure 1) and the ten robots (Section 2.1).

The taxi payoffs are those documented in :mod:`exactgames.paper_games`
(the table layout was lost in the text copy): the common payoff is the
number of groups driven.

Examples
--------
>>> check_taxi_b(1).verdict
'verified'
"""

from __future__ import annotations

import itertools

import sympy

from exactgames.paper_games import EPS, taxi_large_groups, taxi_permits, taxi_symmetric, ten_robots
from proofs_check.helpers import (
    P,
    brute_eu_anonymous,
    certified_radius,
    eu,
    library_optimum,
    local_maxima_01,
    nash_gain,
    payoff_table,
    same_number,
)
from proofs_check.ledger import Verdict, claim

__all__ = ["check_taxi_a", "check_taxi_b", "check_taxi_c", "robots_threshold", "check_robots_optimum",
           "check_robots_stable", "check_robots_asymmetric"]

Q = sympy.Symbol("q")
EXACT = "exact rational arithmetic (sympy, brute force over pure profiles)"


def _library_symmetric(game, orbits, value, strategy) -> tuple[bool | None, str]:
    res, why = library_optimum(game, orbits)
    if res is None:
        return None, why
    ok = same_number(res.value, value) and (strategy is None or all(
        same_number(a, b) for a, b in zip(res.strategies[0], strategy)))
    return ok, f"library optimiser: value {res.value}, strategy {tuple(str(x) for x in res.strategies[0])}"


@claim("S2.T1a", "Sec. 2, Table 1a", "Different permits: (W, H) is globally optimal and a Nash equilibrium; "
       "with work probabilities p, q the gradients dU/dp, dU/dq are +1 and -1.", "taxi")
def check_taxi_a(budget: int) -> Verdict:
    g = taxi_permits()
    t = payoff_table(g)
    best = max(t.values())
    argmax = [tuple(g.actions[i][k] for i, k in enumerate(idx)) for idx, v in t.items() if v == best]
    f = eu(g, [[1 - P, P], [1 - Q, Q]])
    grads = (sympy.diff(f, P), sympy.diff(f, Q))
    gain, _ = nash_gain(g, [[0, 1], [1, 0]])
    ok = argmax == [("W", "H")] and grads == (1, -1) and gain == 0
    return Verdict("verified" if ok else "refuted", EXACT,
                   f"argmax U = {argmax} (value {best}); EU(p,q) = {f}; gradients {grads}; Nash gain at (W,H) = {gain}",
                   "(W,H) optimal & Nash; grads +1, -1", f"{argmax}; grads {grads}")


@claim("S2.T1b", "Sec. 2, Table 1b / Fig. 1", "Identical taxis: (H, W) and (W, H) are global optima (Nash); among symmetric "
       "profiles the optimum is p = q = 1/2, a Nash equilibrium with lower EU than the asymmetric optima.", "taxi")
def check_taxi_b(budget: int) -> Verdict:
    g = taxi_symmetric()
    t = payoff_table(g)
    best = max(t.values())
    argmax = sorted(tuple(g.actions[i][k] for i, k in enumerate(idx)) for idx, v in t.items() if v == best)
    f = eu(g, [[1 - P, P]] * 2)
    maxima = local_maxima_01(f)
    pts = [m.expr() for m in maxima]
    values = [f.subs(P, x) for x in pts]
    half = sympy.Rational(1, 2)
    gain, _ = nash_gain(g, [[half, half]] * 2)
    pure_gains = [nash_gain(g, [[1, 0], [0, 1]])[0], nash_gain(g, [[0, 1], [1, 0]])[0]]
    ok = argmax == [("H", "W"), ("W", "H")] and pts == [half] and gain == 0 and values[0] < best and pure_gains == [0, 0]
    agree, lib = _library_symmetric(g, [[0, 1]], values[0] if values else None, (half, half))
    return Verdict("verified" if ok else "refuted", EXACT,
                   f"global optima {argmax} value {best}; symmetric EU(p) = {f}; local maxima p = {pts} with EU {values}; "
                   f"Nash gain at 1/2 = {gain}; {lib}", "p=q=1/2, EU 3/2 < 2", f"p={pts}, EU {values}", routes_agree=agree)


@claim("S2.T1c", "Sec. 2, Table 1c", "Large groups: p = q = 1/2 is a Nash equilibrium but a local minimum (not maximum) "
       "in symmetric strategy space.", "taxi")
def check_taxi_c(budget: int) -> Verdict:
    g = taxi_large_groups()
    f = eu(g, [[1 - P, P]] * 2)
    half = sympy.Rational(1, 2)
    gain, _ = nash_gain(g, [[half, half]] * 2)
    d1, d2 = sympy.diff(f, P).subs(P, half), sympy.diff(f, P, 2).subs(P, half)
    maxima = [m.expr() for m in local_maxima_01(f)]
    ok = gain == 0 and d1 == 0 and d2 > 0 and half not in maxima
    return Verdict("verified" if ok else "refuted", EXACT,
                   f"EU(p) = {f}; f'(1/2) = {d1}, f''(1/2) = {d2} > 0 (strict local min); local maxima p = {maxima}; "
                   f"Nash gain at 1/2 = {gain}", "Nash, local min", f"f''(1/2)={d2}, gain {gain}")


# ------------------------------------------------------------------ ten robots
def robots_threshold(n: int = 10) -> sympy.Rational:
    """The exact eps at which the optimal symmetric strategy of the n-robot game changes: ``(n/(n-1))^(n-1) - 1``.

    Derived step by step with sympy in :func:`check_robots_optimum`.

    Examples
    --------
    >>> robots_threshold(10)
    612579511/387420489
    """
    return sympy.Rational(n, n - 1) ** (n - 1) - 1


def _robots_reduction(n: int = 10) -> tuple[bool, str, sympy.Expr]:
    """Derive the symmetric optimum of the n-robot game; returns (steps ok, text, c(eps))."""
    xa, xb, xc, t = sympy.symbols("x_a x_b x_c t", nonnegative=True)
    g = ten_robots(n)
    f = brute_eu_anonymous(n, dict(g.payoff), (xa, xb, xc))
    closed = xa**n + n * (1 + EPS) * xb * xc ** (n - 1)
    step1 = sympy.expand(f - closed) == 0
    # for x_a = t fixed, maximise h(x_b) = n x_b (1 - t - x_b)^(n-1) over [0, 1 - t]
    h = n * xb * (1 - t - xb) ** (n - 1)
    crit = sympy.solve(sympy.diff(h, xb), xb)
    inner = [c for c in crit if sympy.simplify(c - (1 - t) / n) == 0]
    hmax = sympy.factor(h.subs(xb, (1 - t) / n))
    step2 = bool(inner) and sympy.simplify(hmax - sympy.Rational(n - 1, n) ** (n - 1) * (1 - t) ** n) == 0
    c = (1 + EPS) * sympy.Rational(n - 1, n) ** (n - 1)
    gt = t**n + c * (1 - t) ** n  # convex in t: maximum at t = 0 or t = 1
    step3 = sympy.expand(sympy.diff(gt, t, 2) - (n * (n - 1) * t ** (n - 2) + c * n * (n - 1) * (1 - t) ** (n - 2))) == 0
    text = (f"EU = x_a^{n} + {n}(1+eps) x_b x_c^{n - 1} (from the count table: {step1}); inner max at x_b = (1-x_a)/{n} "
            f"gives ({n - 1}/{n})^{n - 1}(1-x_a)^{n} ({step2}); t^{n} + c(1-t)^{n} is convex so max(1, c) with "
            f"c = (1+eps)({n - 1}/{n})^{n - 1} ({step3})")
    return step1 and step2 and step3, text, c


@claim("S2.1a", "Sec. 2.1", "Ten robots: for small enough eps the optimal symmetric policy is for all robots to play a.", "robots")
def check_robots_optimum(budget: int) -> Verdict:
    ok, text, c = _robots_reduction(10)
    thr = robots_threshold(10)
    solved = sympy.solve(sympy.Eq(c, 1), EPS)
    ok = ok and solved == [thr]
    # dense-grid second route just below and just above the threshold (exact rationals)
    below, above = thr * sympy.Rational(99, 100), thr * sympy.Rational(101, 100)
    g = ten_robots(10)
    grid = 12
    worst_below, best_above = sympy.Integer(0), sympy.Integer(0)
    for i, j in itertools.product(range(grid + 1), repeat=2):
        if i + j > grid:
            continue
        x = (sympy.Rational(i, grid), sympy.Rational(j, grid), sympy.Rational(grid - i - j, grid))
        if x[0] == 1:
            continue
        vb = brute_eu_anonymous(10, {k: v.subs(EPS, below) for k, v in g.payoff.items()}, x)
        va = brute_eu_anonymous(10, {k: v.subs(EPS, above) for k, v in g.payoff.items()}, x)
        worst_below, best_above = max(worst_below, vb), max(best_above, va)
    at_opt_above = (1 + above) * sympy.Rational(9, 10) ** 9
    ok = ok and worst_below < 1 and at_opt_above > 1
    res, why = library_optimum(g.subs({"eps": "3/2"}), time_limit=2.0)
    agree = None
    if res is not None:
        agree = same_number(res.value, 1) and same_number(res.strategies[0][0], 1)
        why = f"library optimiser at eps = 3/2: value {res.value}, strategy {tuple(map(str, res.strategies[0]))}"
    return Verdict("verified" if ok else "refuted", "exact symbolic derivation (sympy) + exact grid search",
                   f"all-a is the unique symmetric optimum iff eps < eps* = (10/9)^9 - 1 = {thr} ≈ {float(thr):.4f}; "
                   f"at eps = eps*, tie with (0, 1/10, 9/10); above, (0, 1/10, 9/10) wins. {text}. Grid (step 1/{grid}) "
                   f"max at 0.99 eps* = {float(worst_below):.4f} < 1; {why}",
                   "small enough eps", f"eps < {thr}", routes_agree=agree)


@claim("S2.1b", "Sec. 2.1 / Sec. 5", "The best symmetric strategy (all a) is stable: locally optimal even among joint "
       "(possibly asymmetric) deviations.", "robots")
def check_robots_stable(budget: int) -> Verdict:
    thr = robots_threshold(10)
    g = ten_robots(10)
    # unilateral deviations from all-a: counts (9,1,0) and (9,0,1)
    dev = [g.value((9, 1, 0)), g.value((9, 0, 1))]
    gap = 1 - max(dev)
    spread = (1 + thr) - 0  # payoff spread is largest at the threshold (payoffs 0, 1, 1 + eps)
    eta = certified_radius(gap, spread, 10)
    ok = eta is not None and gap == 1
    return Verdict("verified" if ok else "refuted", "exact certificate (strict Nash gap + multilinear expansion bound)",
                   f"every unilateral deviation from all-a gives {dev} (gap {gap}, strict, hence non-degenerate); for every "
                   f"0 < eps <= eps* no profile with each player's probabilities moved by at most {eta} has higher EU "
                   "(bound -gap(1-eta)^9 + spread((1+eta)^9 - 1) < 0)", "stable", f"local optimum, radius {eta}")


@claim("S2.1c", "Sec. 2.1", "The asymmetric optimum (one robot b, the rest c) beats the best symmetric strategy.", "robots")
def check_robots_asymmetric(budget: int) -> Verdict:
    g = ten_robots(10)
    best = max(g.payoff.values(), key=lambda v: v.subs(EPS, sympy.Rational(1, 100)))
    ok = sympy.simplify(best - (1 + EPS)) == 0 and g.value((0, 1, 9)) == 1 + EPS
    return Verdict("verified" if ok else "refuted", EXACT,
                   f"global optimum value {best} at counts (0,1,9) > 1 for every eps > 0", "1+eps", str(best))
