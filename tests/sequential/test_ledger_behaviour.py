"""The behaviour-space entries of the claims ledger (issue 16): the exact witness and the robust version."""

from __future__ import annotations

import random
from fractions import Fraction

import flint

from exactgames.model.decpomdp import unroll
from exactgames.sequential.nash import best_response
from exactgames.sequential.symmetry import tree_symmetries
from proofs_check.behaviour_space import (
    _bernstein_nonnegative,
    check_witness,
    random_symmetric_decpomdp,
    robust_local_maxima_are_nash,
    witness,
)
from proofs_check.ledger import run_ledger


def test_ledger_entries():
    entries = {e.claim.id: e.verdict for e in run_ledger(budget=2, only=["B4.0.2"])}
    assert entries["B4.0.2-behaviour"].verdict == "refuted" and "gains 1/2" in entries["B4.0.2-behaviour"].detail
    assert entries["B4.0.2-robust"].verdict == "not checkable" and "no counterexample" in entries["B4.0.2-robust"].detail


def test_witness_against_the_optimiser_side_best_response():
    r = check_witness()
    assert r["value"] == Fraction(1, 2) and r["gain"] == Fraction(1, 2) and r["local_max_box"] == Fraction(1, 10)
    tree = unroll(witness(), 2)
    beh = {i: (Fraction(0), Fraction(1)) if inf.label == "a/x" else (Fraction(1), Fraction(0))
           for i, inf in enumerate(tree.infosets)}
    assert best_response(tree, beh, 0).gain == Fraction(1, 2)  # the other route (backward induction over nodes)


def test_bernstein_test_can_fail():
    ctx = flint.fmpq_mpoly_ctx.get(("u", "v"), "lex")
    u, v = ctx.gens()
    assert _bernstein_nonnegative(u * v + u, 2, Fraction(1))
    assert not _bernstein_nonnegative(u - v, 2, Fraction(1, 10))  # negative at (0, 1/10)


def test_random_games_are_symmetric_and_robust_maxima_nash():
    rng = random.Random(4)
    for _ in range(3):
        m = random_symmetric_decpomdp(rng)
        sym = tree_symmetries(unroll(m, 2))
        assert sym.order == 2 and sym.agent_orbits == ((0, 1),)
        count, bad = robust_local_maxima_are_nash(m)
        assert bad is None and count >= 0
    # the witness's policy is a local maximum but not robust: it is not among them
    assert robust_local_maxima_are_nash(witness())[1] is None
