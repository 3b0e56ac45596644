"""Property tests of the certified branch and bound on small games with integer payoffs (often degenerate).

The optimiser may decline (``complete=False``), but whatever it claims must hold:
no exact EU on a rational grid exceeds the proved upper end, an independent float
search does not beat it, the claimed support holds the strategy, and the
independent checker accepts the certificate.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model.counts import count_vectors, multinomial
from exactgames.model.exact import compare
from exactgames.model.game import AnonymousGame
from exactgames.model.profile import symmetric_profile
from exactgames.model.utility import expected_utility
from exactgames.optimize.bnb import BnbLimits, certified_optimum
from proofs_check.checker import check_certificate


@st.composite
def small_games(draw):
    n = draw(st.integers(2, 3))
    m = draw(st.integers(2, 3))
    vals = draw(st.lists(st.integers(-3, 3), min_size=len(list(count_vectors(n, m))), max_size=len(list(count_vectors(n, m)))))
    pay = dict(zip(count_vectors(n, m), vals))
    return AnonymousGame.from_function(n, [f"a{k}" for k in range(m)], pay)


def _grid_max(g: AnonymousGame, k: int = 6) -> Fraction:
    m = len(g.actions)
    best = None
    for pt in itertools.product(range(k + 1), repeat=m - 1):
        if sum(pt) <= k:
            s = [Fraction(p, k) for p in pt] + [Fraction(k - sum(pt), k)]
            v = expected_utility(g, symmetric_profile(g, s))
            v = Fraction(int(sympy.numer(v)), int(sympy.denom(v)))
            best = v if best is None or v > best else best
    return best


def _float_max(g: AnonymousGame, starts: int = 30) -> float:
    from scipy.optimize import minimize

    m = len(g.actions)
    rng = np.random.default_rng(0)

    table = [(np.array(c), float(multinomial(c)) * float(u)) for c, u in g.payoff.items()]

    def f(x):
        x = np.clip(x, 0, None)
        x = x / x.sum()
        return sum(w * float(np.prod(x**c)) for c, w in table)

    best = -np.inf
    for x0 in rng.dirichlet(np.ones(m), size=starts // 10):
        res = minimize(lambda x: -f(x), x0, method="SLSQP", bounds=[(0, 1)] * m, constraints=({"type": "eq", "fun": lambda x: x.sum() - 1},))
        best = max(best, -res.fun)
    return best


@settings(max_examples=12, deadline=None)
@given(small_games())
def test_claims_hold_or_no_claim(g):
    r = certified_optimum(g, limits=BnbLimits(max_cells=1500, max_depth=30, max_restarts=3))
    if not r.complete:
        assert r.reason
        lo, hi = r.value_interval
        if (lo, hi) != (0, 0):  # a partial enclosure must still be valid
            assert _grid_max(g) <= hi
        return
    lo, hi = r.value_interval
    assert _grid_max(g) <= hi
    assert _float_max(g) <= float(hi) + 1e-9
    strat = r.strategies[0]
    eu = expected_utility(g, symmetric_profile(g, list(strat)))
    assert compare(eu, sympy.Rational(lo.numerator, lo.denominator)) >= 0
    assert tuple(a for a, p in enumerate(strat) if compare(p, 0) > 0) == r.support[0]
    assert check_certificate(g, r).ok
