"""sign_at (balls first, exact fallback) against the exact sign of the point's value in its number field."""

from __future__ import annotations

import flint
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.numbers.algebraic import element_sign
from exactgames.optimize.point_signs import sign_at
from exactgames.optimize.polysolve import evaluate_at, solve_system

CTX = flint.fmpq_mpoly_ctx.get(("a", "b"))
A, B = CTX.gens()
coef = st.integers(-6, 6)


@settings(max_examples=60, deadline=None)
@given(c=st.lists(coef, min_size=6, max_size=6), q=st.integers(2, 30), r=st.integers(-3, 3))
def test_sign_at_equals_the_exact_sign(c, q, r):
    points = solve_system([A * A - q, B - r * A - 1], CTX).points  # a = +-sqrt(q), b = r a + 1 (rational when q is a square)
    p = c[0] + c[1] * A + c[2] * B + c[3] * A * B + c[4] * A * A + c[5] * B * B * B
    for pt in points:
        assert sign_at(p, pt) == element_sign(pt.theta, evaluate_at(p, pt))


def test_sign_at_decides_exact_zeros_and_tiny_values():
    (neg, pos) = solve_system([A * A - 2, B - A], CTX).points
    assert sign_at(A * B - 2, pos) == 0 and sign_at(A * A - 2, neg) == 0  # zeros: no ball excludes 0, decided exactly
    # 665857^2 - 2 * 470832^2 = 1, so 470832 sqrt(2) - 665857 = -1 / (470832 sqrt(2) + 665857), about -1.1e-6
    tiny = A * 470832 - 665857
    assert sign_at(tiny, pos) == -1 and sign_at(-tiny, pos) == 1 and sign_at(tiny, neg) == -1
