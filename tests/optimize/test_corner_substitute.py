"""The corner substitution by Taylor's formula (optimiser and checker) against FLINT's general ``compose``.

Both :func:`exactgames.optimize.bnb.corner_form.corner_substitute` and the checker's
``Setup.corner`` replace FLINT's ``fmpq_mpoly.compose`` (which expands powers of
the linear forms) by directional derivatives and a Horner sum; the definition
is the composition itself, which this test computes with ``compose``.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import flint
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.model.counts import count_vectors
from exactgames.optimize.bnb.corner_form import ProductCornerForm, corner_substitute
from proofs_check.checker.polynomial import Setup


def _q(v: Fraction) -> flint.fmpq:
    return flint.fmpq(v.numerator, v.denominator)


@st.composite
def cases(draw):
    k = draw(st.integers(1, 3))
    ms = [draw(st.integers(1, 4)) for _ in range(k)]
    degs = [draw(st.integers(0, 4)) for _ in range(k)]
    form = {}
    for parts in itertools.product(*(list(count_vectors(d, m)) for d, m in zip(degs, ms))):
        c = draw(st.fractions(min_value=-9, max_value=9, max_denominator=7))
        if c != 0:
            form[tuple(x for p in parts for x in p)] = c
    active = [sorted(draw(st.sets(st.integers(0, m - 1), min_size=1))) for m in ms]
    lower = [[Fraction(draw(st.integers(0, 3)), 16) if a in act else Fraction(0) for a in range(m)]
             for m, act in zip(ms, active)]
    return ms, degs, form, active, lower


def _compose(poly, ctx, ms, lower, active):
    gens, zero, subs, off = ctx.gens(), ctx.from_dict({}), [], 0
    for i, m in enumerate(ms):
        tot = zero
        for a in active[i]:
            tot = tot + gens[off + a]
        s = 1 - sum(lower[i])
        subs += [tot * _q(lower[i][a]) + gens[off + a] * _q(s) if a in active[i] else zero for a in range(m)]
        off += m
    return poly.compose(*subs)


@settings(max_examples=120, deadline=None)
@given(cases())
def test_taylor_substitution_equals_compose(case):
    ms, degs, form, active, lower = case
    pf = ProductCornerForm(form, ms)
    want = _compose(pf.poly, pf.ctx, ms, lower, active)
    assert corner_substitute(pf.poly, pf.ctx, pf.offsets, pf.ms, pf.degrees, lower, active) == want
    setup = Setup.from_terms(degs, ms, [tuple(f"a{j}" for j in range(m)) for m in ms], form)
    got = setup.corner(setup.f, lower, active)
    assert got == _compose(setup.f, setup.ctx, ms, lower, active)
    assert dict(got.terms()) == dict(want.terms())  # the same polynomial, the two contexts name variables apart


def test_large_corner_matches_compose():
    """One large case: a degree-12 form in 4 variables on a corner near a vertex (the shape of random 50x4)."""
    import random

    rng = random.Random(3)
    form = {e: Fraction(rng.randint(-100, 100), rng.randint(1, 9)) for e in count_vectors(12, 4)}
    pf = ProductCornerForm(form, (4,))
    lower = [(Fraction(0), Fraction(0), Fraction(1023, 1024), Fraction(0))]
    active = [(0, 1, 2, 3)]
    assert corner_substitute(pf.poly, pf.ctx, pf.offsets, pf.ms, pf.degrees, lower, active) == _compose(
        pf.poly, pf.ctx, (4,), lower, active)
