"""Tests of the certified branch and bound (exactgames.optimize.bnb).

Expected answers come from an independent float dense search written here
(hundreds of projected-gradient starts, plus every vertex), never from the
optimiser itself; the exact EU of the returned strategy is computed with
exactgames.model.utility.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
import sympy

from exactgames.experiments.generators import generate
from exactgames.model.exact import ExactError, compare, rational_enclosure
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.profile import symmetric_profile
from exactgames.model.utility import expected_utility
from exactgames.optimize.bnb import BnbLimits, certified_optimum


# ----------------------------------------------------------------------------- independent dense search
def _table(game: AnonymousGame):
    m = len(game.actions)
    exps, w = [], []
    for c, u in game.payoff.items():
        exps.append(c)
        w.append(math.factorial(sum(c)) / math.prod(math.factorial(k) for k in c) * float(u))
    return np.array(exps, dtype=float).reshape(-1, m), np.array(w)


def _project(y: np.ndarray) -> np.ndarray:
    """Euclidean projection of each row onto the simplex (sort-based)."""
    u = -np.sort(-y, axis=1)
    css = np.cumsum(u, axis=1) - 1
    k = np.arange(1, y.shape[1] + 1)
    cond = u - css / k > 0
    r = cond.shape[1] - 1 - np.argmax(cond[:, ::-1], axis=1)
    theta = css[np.arange(len(y)), r] / (r + 1)
    return np.maximum(y - theta[:, None], 0)


def dense_search(game: AnonymousGame, starts: int = 300, iters: int = 300, seed: int = 11, polish: int = 12):
    """Best symmetric strategy: projected gradient ascent from many starts, the best few polished by SLSQP (floats)."""
    from scipy.optimize import minimize

    exps, w = _table(game)
    exps_i = exps.astype(int)
    m = exps.shape[1]
    n = game.n_players
    rng = np.random.default_rng(seed)
    x = np.vstack([rng.dirichlet(np.ones(m), size=starts), np.eye(m), np.full((1, m), 1 / m)])
    ar = np.arange(m)
    dev = []
    for a in range(m):
        e = exps_i.copy()
        e[:, a] = np.maximum(e[:, a] - 1, 0)
        dev.append(e)

    def powers(x):
        return x[:, :, None] ** np.arange(n + 1)[None, None, :]  # (B, m, n+1)

    def val(x):
        p = powers(x)
        return (p[:, ar, exps_i].prod(axis=2) * w).sum(axis=1)

    def grad(x):
        p = powers(x)
        return np.stack([(p[:, ar, dev[a]].prod(axis=2) * (w * exps[:, a])).sum(axis=1) for a in range(m)], axis=1)

    step = 1.0 / (np.abs(w).sum() * n * n + 1e-9)
    for _ in range(iters):
        x = _project(x + step * grad(x))
    v = val(x)
    best_v, best_x = -np.inf, None
    for k in np.argsort(-v)[:polish]:
        res = minimize(lambda y: -val(y[None])[0], x[k], method="SLSQP", bounds=[(0, 1)] * m,
                       constraints=({"type": "eq", "fun": lambda y: y.sum() - 1},), options={"ftol": 1e-15, "maxiter": 500})
        y = _project(res.x[None])[0]
        for cand in (y, x[k]):
            cv = float(val(cand[None])[0])
            if cv > best_v:
                best_v, best_x = cv, cand
    return best_v, best_x


CASES = [(n, m, seed) for n in (2, 3, 4) for m in (2, 3, 4) for seed in (0, 1)]


@pytest.mark.parametrize("n,m,seed", CASES)
def test_matches_dense_search_and_encloses_exact_eu(n, m, seed):
    g = generate("random", n, m, seed)
    r = certified_optimum(g)
    assert r.complete, r.reason
    lo, hi = r.value_interval
    assert hi - lo <= Fraction(1, 10**30)
    # exact EU of the returned strategy lies in the proved enclosure
    strat = r.strategies[0]
    assert sympy.expand(sum(strat) - 1) == 0 and all(compare(p, 0) >= 0 for p in strat)
    eu = expected_utility(g, symmetric_profile(g, list(strat)))
    # certified enclosure of the exact EU (arb, width 1e-90) inside the proved value interval
    elo, ehi = rational_enclosure(eu, Fraction(1, 10**90))
    assert lo <= elo and ehi <= hi
    if r.value_exact:  # the exact algebraic value agrees with the exact EU of the exact strategy to 1e-90
        vlo, vhi = rational_enclosure(r.value, Fraction(1, 10**90))
        assert vlo <= ehi and elo <= vhi
    # independent dense search: value and support agree
    v, x = dense_search(g)
    assert abs(v - float(lo)) < 1e-6, (v, float(lo))
    assert v <= float(hi) + 1e-9  # no float point beats the proved maximum
    support = tuple(a for a in range(m) if x[a] > 1e-5)
    assert support == r.support[0]
    assert r.mixed == (len(support) > 1)


def test_five_by_five_against_dense_search():
    g = generate("random", 5, 5, 1)
    r = certified_optimum(g)
    v, x = dense_search(g, starts=200)
    assert r.complete and abs(v - float(r.value_interval[0])) < 1e-6
    assert tuple(a for a in range(5) if x[a] > 1e-5) == r.support[0]


def test_wrong_float_candidate_is_recovered():
    # a single start far from the optimum: the branch and bound must find the better maximum itself
    g = generate("random", 5, 5, 1)
    r = certified_optimum(g, n_starts=0)
    v, _ = dense_search(g, starts=100)
    assert r.complete and abs(v - float(r.value_interval[0])) < 1e-6


def test_misleading_float_search_is_overruled(monkeypatch):
    # the first float search returns only the worst pure strategy: the branch and bound must find the optimum itself
    from exactgames.optimize import bnb
    from exactgames.optimize.bnb import floats as simplex_regions

    g = generate("random", 5, 5, 1)
    real = simplex_regions._local_maxes
    calls = []

    def misleading(fe, x0):
        calls.append(len(x0))
        if len(calls) == 1:
            worst = min(range(fe.m), key=lambda a: fe.value(np.eye(fe.m)[a]))
            return [np.eye(fe.m)[worst] for _ in x0]
        return real(fe, x0)

    monkeypatch.setattr(simplex_regions, "_local_maxes", misleading)
    r = bnb.certified_optimum(g)
    v, x = dense_search(g, starts=100)
    assert len(calls) > 1  # the branch and bound asked for new candidates
    assert r.complete and abs(v - float(r.value_interval[0])) < 1e-6
    assert tuple(a for a in range(5) if x[a] > 1e-5) == r.support[0]


def test_pure_optimum_is_exact():
    g = AnonymousGame.from_function(3, ["a", "b", "c"], lambda c: {(3, 0, 0): "9/10", (0, 0, 3): "1/2"}.get(c, 0))
    r = certified_optimum(g)
    assert r.complete and r.value_exact and r.value == sympy.Rational(9, 10)
    assert r.value_interval == (Fraction(9, 10), Fraction(9, 10))
    assert r.strategies == ((1, 0, 0),) and not r.mixed


def test_tied_pure_maximisers_reported_as_ties():
    # n-player pure coordination: every "all play the same action" profile ties
    g = AnonymousGame.from_function(4, ["a", "b", "c"], lambda c: 1 if max(c) == 4 else 0)
    r = certified_optimum(g)
    assert r.complete and r.value == 1
    assert r.support == ((0,),)
    assert sorted(r.ties) == [((0, 0, 1),), ((0, 1, 0),)]


def test_mixed_optimum_of_anti_coordination():
    # 2 players, payoff 1 iff they differ: optimum 1/2 at (1/2, 1/2), verified by hand
    g = AnonymousGame.from_function(2, ["H", "W"], {(2, 0): 0, (1, 1): 1, (0, 2): 0})
    r = certified_optimum(g)
    lo, hi = r.value_interval
    assert lo <= Fraction(1, 2) <= hi and r.mixed and r.support == ((0, 1),)
    assert r.value_exact and r.value == sympy.Rational(1, 2) and r.strategies == ((sympy.Rational(1, 2), sympy.Rational(1, 2)),)


def test_edge_support_value_is_exact_algebraic():
    # 4x4 seed 1 has a 2-action optimum: the value is a CRootOf, checked against an independent float search
    g = generate("random", 4, 4, 1)
    r = certified_optimum(g)
    assert r.value_exact and len(r.support[0]) == 2
    assert isinstance(r.value, sympy.CRootOf)
    v, _ = dense_search(g, starts=50)
    assert abs(float(r.value.evalf(30)) - v) < 1e-7
    r2 = certified_optimum(g, exact_value=False)
    assert not r2.value_exact and r2.value_interval == r.value_interval


def test_constant_game_is_a_whole_face_continuum():
    g = AnonymousGame.from_function(3, ["a", "b"], lambda c: 1)
    r = certified_optimum(g, limits=BnbLimits(max_cells=2000, max_depth=20))
    assert r.complete and r.value == 1 and r.value_interval == (1, 1)
    assert any(isinstance(t, str) and "whole face {a,b}" in t for t in r.ties)


def test_face_continuum_is_reported_and_true():
    # EU = (x_a + x_b)^3: every strategy on the face {a, b} is optimal, nothing else is
    g = AnonymousGame.from_function(3, ["a", "b", "c"], lambda c: 1 if c[2] == 0 else 0)
    r = certified_optimum(g)
    assert r.complete and r.value == 1
    assert any(isinstance(t, str) and "whole face {a,b}" in t for t in r.ties)
    # independently: exact EU on the face is 1, and below 1 off it
    for t in (Fraction(0), Fraction(1, 3), Fraction(5, 7), Fraction(1)):
        assert expected_utility(g, symmetric_profile(g, [t, 1 - t, 0])) == 1
    assert expected_utility(g, symmetric_profile(g, [Fraction(1, 2), Fraction(1, 2) - Fraction(1, 100), Fraction(1, 100)])) < 1


def test_segment_continuum_inside_the_simplex():
    # EU = -(x_a - x_b)^2: the maximisers form the segment from (0, 0, 1) to (1/2, 1/2, 0)
    pay = {(2, 0, 0): -1, (1, 1, 0): 1, (0, 2, 0): -1, (1, 0, 1): 0, (0, 1, 1): 0, (0, 0, 2): 0}
    g = AnonymousGame.from_function(2, ["a", "b", "c"], pay)
    r = certified_optimum(g, limits=BnbLimits(max_cells=5000))
    assert r.complete and r.value == 0
    desc = next(t for t in r.ties if isinstance(t, str))
    assert desc.startswith("continuum") and "(1/2, 1/2, 0)" in desc and "(0, 0, 1)" in desc
    assert expected_utility(g, symmetric_profile(g, [Fraction(1, 5), Fraction(1, 5), Fraction(3, 5)])) == 0


def test_unaligned_continuum_is_never_claimed_wrongly():
    # EU = -(2 x_a - x_b)^2 vanishes on a line that no bisection cell edge follows exactly
    pay = {(2, 0, 0): -4, (1, 1, 0): 2, (0, 2, 0): -1, (1, 0, 1): 0, (0, 1, 1): 0, (0, 0, 2): 0}
    g = AnonymousGame.from_function(2, ["a", "b", "c"], pay)
    r = certified_optimum(g, limits=BnbLimits(max_cells=3000))
    if r.complete:  # then the value must be the true maximum 0
        assert r.value == 0
    else:
        lo, hi = r.value_interval
        assert lo <= 0 <= hi and r.reason


def _swap_symmetric(seed: int) -> AnonymousGame:
    import random

    from exactgames.model.counts import count_vectors

    rnd = random.Random(seed)
    base = {c: Fraction(rnd.randint(0, 99)) for c in count_vectors(4, 3)}
    return AnonymousGame.from_function(4, ["a", "b", "c"], lambda c: base[c] + base[(c[1], c[0], c[2])])


@pytest.mark.parametrize("seed", [0, 6])  # 0: ties on the full support, 6: ties on two edges
def test_irrational_ties_by_action_symmetry(seed):
    g = _swap_symmetric(seed)
    r = certified_optimum(g)
    assert r.complete and len(r.ties) == 1 and r.certificate["ties_resolved_exactly"]
    (tie,) = r.ties
    swapped = (r.strategies[0][1], r.strategies[0][0], r.strategies[0][2])
    if r.support[0] == (0, 1, 2):  # the Krawczyk centre: the swapped box is the tie's
        assert all(abs(float(a - b)) < 1e-50 for a, b in zip(tie[0], swapped))
    else:  # exact strategies: the tie is exactly the swapped maximiser
        assert all(sympy.simplify(a - b) == 0 for a, b in zip(tie[0], swapped))
    best, _ = dense_search(g)
    assert abs(best - float(r.value_interval[0])) < 1e-7


def test_dense_game_one_orbit_agrees_with_anonymous_form():
    g = generate("random", 3, 3, 4)
    r1 = certified_optimum(g)
    r2 = certified_optimum(g.to_dense(), orbits=[(0, 1, 2)])
    assert r1.complete and r2.complete and r1.support == r2.support
    assert r1.value_interval[0] <= r2.value_interval[1] and r2.value_interval[0] <= r1.value_interval[1]


def test_bad_input_is_refused():
    g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): "x", (1, 1): 0, (0, 2): 1}, symbols=["x"])
    with pytest.raises(ExactError, match="rational"):
        certified_optimum(g)
    with pytest.raises(ExactError, match="one orbit"):
        certified_optimum(generate("random", 3, 2, 0), orbits=[(0,), (1, 2)])
    asym = Game.from_payoff_function([["a", "b"]] * 2, lambda p: (1, 0) if p[0] == p[1] else (0, 1))
    with pytest.raises(ExactError, match="common-payoff"):
        certified_optimum(asym)


def test_appendix_scale_same_support_as_code_scale():
    # the two scales are affine images (same grid index), so the optimum's support is the same
    for seed in range(3):
        a = certified_optimum(generate("random", 3, 3, seed))
        b = certified_optimum(generate("random", 3, 3, seed, scale="appendix"))
        assert a.support == b.support
        lo_a, lo_b = a.value_interval[0], b.value_interval[0]
        assert abs(float(lo_b) - (-100 + 200 * float(lo_a))) < 1e-9


def test_certificate_is_json_serialisable():
    import json

    r = certified_optimum(generate("random", 3, 3, 2))
    text = json.dumps(r.to_json())
    assert "bnb-simplex-v1" in text


def test_enumerated_grid_never_beats_the_upper_end():
    # a third route: every point of a rational grid, EU exact, never above the proved maximum
    g = generate("random", 3, 3, 7)
    r = certified_optimum(g)
    hi = r.value_interval[1]
    k = 12
    for i, j in itertools.product(range(k + 1), repeat=2):
        if i + j <= k:
            s = [Fraction(i, k), Fraction(j, k), Fraction(k - i - j, k)]
            eu = expected_utility(g, symmetric_profile(g, s))
            assert Fraction(int(sympy.numer(eu)), int(sympy.denom(eu))) <= hi


def test_limits_give_incomplete_result_with_valid_partial_enclosure():
    g = generate("random", 5, 5, 1)
    seen = []
    r = certified_optimum(g, limits=BnbLimits(max_cells=10), progress=seen.append)
    assert not r.complete and "limits" in r.reason
    lo, hi = r.value_interval
    v, _ = dense_search(g, starts=30)
    assert float(lo) <= v + 1e-9 and v <= float(hi) + 1e-9  # still a proved enclosure of the maximum
    full = certified_optimum(g)
    assert lo <= full.value_interval[0] and full.value_interval[1] <= hi


def test_collaboration_game_ties_every_pure_coordination_profile():
    g = generate("collaboration", 3, 3, 2, scale="appendix")  # every all-same outcome pays 100
    r = certified_optimum(g)
    assert r.complete and r.value == 100 and len(r.ties) == 2


def test_payoffs_beyond_float_range():
    # 10^400 times the anti-coordination game: floats overflow, the proof does not care (value 10^400 / 2 at (1/2, 1/2))
    big = Fraction(10) ** 400
    g = AnonymousGame.from_function(2, ["H", "W"], {(2, 0): 0, (1, 1): big, (0, 2): 0})
    r = certified_optimum(g, progress=lambda st: None)
    # the 1e-30 absolute width is out of reach at 320 bits for values near 10^400: refused, not wrong
    assert r.complete or "width" in r.reason
    from exactgames.optimize import optimize

    best = optimize(g)  # the dispatcher then proves it by exact KKT
    assert best.complete and best.value == sympy.Rational(big / 2) and best.support == ((0, 1),)


def test_edge_maximiser_of_a_19_simplex_is_certified_by_corner_cuts(monkeypatch):
    """Random 2x20 (GAMUT, appendix scale), seed 1: the maximiser lies on an edge of the 19-simplex.  Bisection alone
    ran out of depth (80) or cells (200000) there; stellar splits that cut the certified region's corner out close it.
    (``optimize`` answers two-player games by concave faces; the branch and bound is what is tested here.)"""
    monkeypatch.setattr("exactgames.optimize.api.quadratic_optimum", lambda *a, **k: None)
    from fractions import Fraction

    from exactgames.experiments.generators import generate
    from exactgames.optimize import optimize
    from proofs_check.checker import check_certificate

    g = generate("random", 2, 20, 1, scale="appendix")
    r = optimize(g, time_limit=60)
    assert r.complete and r.support == ((0, 18),)
    tree = r.certificate["bnb"]["tree"]
    assert any(t[0] == "c" for t in tree)
    # a different route: the float EU at 400 random points of the simplex never beats the proved upper bound
    import numpy as np

    from exactgames.model.counts import multinomial
    rng = np.random.default_rng(0)
    terms = [(c, float(Fraction(int(v.p), int(v.q))) * multinomial(c)) for c, v in g.payoff.items()]
    hi = float(r.value_interval[1])
    for x in rng.dirichlet(np.ones(20) * 0.2, size=400):
        assert sum(w * np.prod(x ** np.array(c)) for c, w in terms) <= hi + 1e-9
    assert check_certificate(g, r.to_json()).ok


def test_a_flat_face_maximiser_falls_back_to_longest_edge_bisection(monkeypatch):
    """Random 2x10 seed 2 (maximiser on a 2-face, support {a5, a9, a10}, 7 off-support actions): no corner to cut,
    so longest-edge bisection at once (the first strategy, the largest coefficient's edge, ran out of 200000 cells
    and then the 2^10-face KKT enumeration took 17 s)."""
    monkeypatch.setattr("exactgames.optimize.api.quadratic_optimum", lambda *a, **k: None)  # the branch and bound
    from exactgames.experiments.generators import generate
    from exactgames.optimize import optimize
    from proofs_check.checker import check_certificate

    g = generate("random", 2, 10, 2, scale="appendix")
    r = optimize(g, time_limit=60)
    assert r.complete and r.value_exact and r.support == ((4, 8, 9),)
    assert "branch-and-bound" in r.method
    assert not any(t[0] == "c" for t in r.certificate["bnb"]["tree"])  # the second strategy's tree
    assert check_certificate(g, r.to_json()).ok
