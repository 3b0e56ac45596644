"""The optimiser's exact definiteness tests against sympy's."""

from fractions import Fraction

from flint import fmpq
from hypothesis import given, settings
from hypothesis import strategies as st
from sympy import Matrix, Rational

from exactgames.optimize.interval import coefficient_matrices_negative_definite, is_positive_definite

rationals = st.fractions(min_value=-5, max_value=5, max_denominator=7)


def _sympy_pd(a) -> bool:
    return bool(Matrix([[Rational(v.numerator, v.denominator) for v in r] for r in a]).is_positive_definite)


@st.composite
def symmetric(draw, k):
    a = [[Fraction(0)] * k for _ in range(k)]
    for i in range(k):
        for j in range(i, k):
            a[i][j] = a[j][i] = draw(rationals)
    return a


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(symmetric))
def test_is_positive_definite_matches_sympy(a):
    assert is_positive_definite(a) is _sympy_pd(a)
    assert is_positive_definite([[fmpq(v.numerator, v.denominator) for v in r] for r in a]) is _sympy_pd(a)


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.data())
def test_coefficient_matrices_match_sympy(k, n_keys, data):
    keys = list(range(n_keys))
    index = [f"v{i}" for i in range(k)]
    coefs: dict = {}
    mats = [[[Fraction(0)] * k for _ in range(k)] for _ in keys]
    for i in range(k):
        for j in range(i, k):
            present = data.draw(st.lists(st.booleans(), min_size=n_keys, max_size=n_keys))
            cf = {}
            for g in keys:
                if present[g]:
                    v = data.draw(rationals)
                    if v:
                        cf[g] = fmpq(v.numerator, v.denominator)
                        mats[g][i][j] = mats[g][j][i] = v
            if cf:
                coefs[(index[i], index[j])] = cf
    expected = all(_sympy_pd([[-v for v in r] for r in m]) for m in mats)
    assert coefficient_matrices_negative_definite(coefs, keys, index) is expected
