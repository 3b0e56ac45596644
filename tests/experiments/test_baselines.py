"""The paper's numeric pipeline: every run recorded, the best chosen among valid runs, float classification."""

from __future__ import annotations

import numpy as np
import pytest

from exactgames.experiments.baselines import float_mixed, numeric_eu, replicator_run, run_baselines, simplex_start
from exactgames.experiments.generators import generate, paper_stream
from exactgames.model.exact import ExactError
from exactgames.model.game import AnonymousGame
from exactgames.model.profile import symmetric_profile
from exactgames.model.utility import expected_utility


def test_every_run_recorded_and_best_is_best():
    g = generate("random", 3, 3, 2)
    r = run_baselines(g, seed=2, n_slsqp=4, n_replicator=3, iterations=2000)
    assert [x.method for x in r.runs] == ["slsqp"] * 4 + ["replicator"] * 3
    assert [x.index for x in r.runs] == [0, 1, 2, 3, 0, 1, 2]
    valid = [x for x in r.runs if not x.discarded]
    assert r.best_value == max(x.value for x in valid)
    assert r.runs[r.best_index].value == r.best_value
    for x in r.runs:
        assert abs(sum(x.start) - 1) < 1e-12 and min(x.start) > 0
        assert x.seconds >= 0
    js = r.to_json()
    assert len(js["runs"]) == 7


def test_numeric_eu_agrees_with_exact_eu():
    g = generate("random", 4, 3, 1)
    f = numeric_eu(g)
    for s in ([0.2, 0.3, 0.5], [1, 0, 0], [0.25, 0.25, 0.5]):
        exact = expected_utility(g, symmetric_profile(g, [str(v) for v in s]))
        assert abs(f.value(np.array(s, dtype=float)) - float(exact)) < 1e-12


def test_deterministic_given_seed_and_stream():
    g = generate("random", 2, 3, 5)
    a = run_baselines(g, seed=1, n_slsqp=2, n_replicator=2, iterations=500)
    b = run_baselines(g, seed=1, n_slsqp=2, n_replicator=2, iterations=500)
    assert [x.strategy for x in a.runs] == [x.strategy for x in b.runs]
    c = run_baselines(g, seed=1, n_slsqp=1, n_replicator=0, rng=paper_stream("random", 2, 3, 5))
    assert c.runs[0].start == tuple(simplex_start(paper_stream("random", 2, 3, 5), 3))


def test_replicator_rescales_wide_payoffs_and_stays_on_simplex():
    g = generate("random", 3, 3, 4, scale="appendix")  # payoffs in [-100, 100]
    r = run_baselines(g, seed=0, n_slsqp=1, n_replicator=2, iterations=3000)
    assert r.rescale != (1.0, 0.0)
    for x in r.runs:
        assert np.isfinite(x.value)
        assert abs(sum(x.strategy) - 1) < 1e-9 and min(x.strategy) >= 0


def test_replicator_converges_to_dominant_vertex():
    g = AnonymousGame.from_function(3, ["a", "b"], lambda c: "1" if c == (3, 0) else "1/10")
    s = replicator_run(numeric_eu(g), np.array([0.6, 0.4]), iterations=2000)
    assert s[0] > 1 - 1e-9


def test_float_mixed_classification():
    g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): 0, (1, 1): 1, (0, 2): 0})
    f = numeric_eu(g)
    assert float_mixed(f, np.array([0.5, 0.5]), 0.5)
    assert not float_mixed(f, np.array([1.0, 0.0]), 0.0)
    r = run_baselines(g, seed=0, n_slsqp=2, n_replicator=1, iterations=500)
    assert r.mixed and abs(r.best_value - 0.5) < 1e-6


def test_bad_input():
    g = AnonymousGame.from_function(2, ["a", "b"], {(2, 0): "x", (1, 1): 0, (0, 2): 0}, symbols=["x"])
    with pytest.raises(ExactError, match="rational"):
        run_baselines(g, seed=0)
    with pytest.raises(ExactError, match="n_slsqp"):
        run_baselines(generate("random", 2, 2, 0), seed=0, n_slsqp=0, n_replicator=0)
