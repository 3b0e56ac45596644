"""Sec. 3.2's conjecture (Theorem 4.0.2 for automorphism groups), tested on planted groups; Nash checked on G exactly."""

import random

from hypothesis import example, given, settings
from hypothesis import strategies as st

from proofs_check.automorphism_conjecture import KINDS, check_game, planted_game


@settings(derandomize=True, max_examples=12, deadline=None)
@given(kind=st.sampled_from(KINDS), seed=st.integers(0, 10**6))
@example(kind="swap-players-and-actions", seed=1)
@example(kind="own-actions", seed=2)
@example(kind="cycle-with-renaming", seed=3)
@example(kind="player-only", seed=4)
@example(kind="swap-and-own-actions", seed=5)
def test_invariant_local_optima_are_nash(kind: str, seed: int) -> None:
    game, gens = planted_game(random.Random(seed), kind)
    r = check_game(game, gens)
    assert r["complete"]
    assert r["profiles_checked"] >= 1
    assert r["counterexample"] is None, r["counterexample"]


def test_planted_group_is_found() -> None:
    from exactgames.symmetry.automorphism_search import automorphism_group

    for k, kind in enumerate(KINDS):
        game, gens = planted_game(random.Random(k), kind)
        res = automorphism_group(game)
        assert all(res.contains(g) for g in gens)
