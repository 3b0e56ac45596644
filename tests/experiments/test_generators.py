"""GAMUT generators: reproducible, faithful to the paper code's random stream, exact payoffs on the grid."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.experiments.generators import (
    GRID,
    GeneratorError,
    collaboration_game,
    coordination_game,
    draws_of,
    generate,
    paper_order,
    paper_stream,
    random_game,
)
from exactgames.model.counts import count_vectors


def _paper_draws(cls: str, n: int, m: int, t: int) -> list[float]:
    """The paper code's draws, replayed here on numpy's global legacy stream (np.random.seed)."""
    from sympy.ntheory.multinomial import multinomial_coefficients

    np.random.seed(t)
    coeffs = list(multinomial_coefficients(m, n).items())
    draws = np.random.uniform(0.0, 1.0, len(coeffs))
    if cls == "coordination":
        draws = np.array([np.random.uniform(0.5, 1.0) if count == 1 else np.random.uniform(0.0, 0.5) for _, count in coeffs])
    elif cls == "collaboration":
        draws = np.array([1.0 if count == 1 else np.random.uniform(0.0, 199.0 / 200.0) for _, count in coeffs])
    return list(draws)


@pytest.mark.parametrize("cls", ["random", "coordination", "collaboration"])
@pytest.mark.parametrize("n,m,t", [(2, 2, 0), (3, 4, 7), (5, 5, 42)])
def test_same_stream_as_paper_code(cls, n, m, t):
    g = generate(cls, n, m, t)
    ours = draws_of(g)
    theirs = _paper_draws(cls, n, m, t)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert abs(float(a) - b) <= 1.0 / GRID  # equal up to the 6-decimal grid


def test_continuation_stream_matches_paper_starting_points():
    rng = paper_stream("random", 3, 3, 5)
    _paper_draws("random", 3, 3, 5)
    assert rng.random_sample(3).tolist() == np.random.random(3).tolist()


@settings(max_examples=15, deadline=None)
@given(st.sampled_from(["random", "coordination", "collaboration"]), st.integers(2, 4), st.integers(2, 4), st.integers(0, 10**6))
def test_reproducible_and_exact(cls, n, m, seed):
    a, b = generate(cls, n, m, seed), generate(cls, n, m, seed)
    assert a.payoff == b.payoff
    assert set(a.payoff) == set(count_vectors(n, m))
    for v in a.payoff.values():
        assert v.is_Rational
        assert (2 * 10**8) % int(v.q) == 0  # on the documented decimal grid


def test_class_structure_code_scale():
    for seed in range(5):
        co = coordination_game(3, 3, seed)
        cb = collaboration_game(3, 3, seed)
        rg = random_game(3, 3, seed)
        for c in count_vectors(3, 3):
            same = max(c) == 3
            v = co.payoff[c]
            assert (Fraction(1, 2) <= v <= 1) if same else (0 <= v <= Fraction(1, 2))
            w = cb.payoff[c]
            assert w == 1 if same else 0 <= w <= Fraction(199, 200)
            assert 0 <= rg.payoff[c] <= 1


def test_appendix_scale_is_affine_image_of_code_scale():
    for cls, (a, b) in {"random": (200, -100), "collaboration": (100, 0)}.items():
        code = generate(cls, 3, 3, 9)
        app = generate(cls, 3, 3, 9, scale="appendix")
        for c in count_vectors(3, 3):
            if cls == "random":
                assert app.payoff[c] == a * code.payoff[c] + b
            elif max(c) == 3:
                assert app.payoff[c] == 100 and code.payoff[c] == 1
            else:
                assert -100 <= app.payoff[c] <= 99


def test_titles_and_order():
    assert generate("collaboration", 4, 2, 3, scale="appendix").title == "CollaborationGame 4 players x 2 actions, seed 3, scale appendix"
    assert sorted(paper_order(4, 3)) == sorted(count_vectors(4, 3))


@pytest.mark.parametrize(
    "args,match",
    [(("poker", 2, 2, 0), "game class"), (("random", 0, 2, 0), "n_players"), (("random", 2, 2, 0, "huge"), "scale")],
)
def test_bad_arguments(args, match):
    with pytest.raises(GeneratorError, match=match):
        generate(*args)
