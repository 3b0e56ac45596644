"""Tests of exactgames.experiments.store: round trips, refusals, one transaction per game."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactgames.experiments.store import GameRecord, ResultStore, RunRecord, StoreError, records_equal
from exactgames.model.exact import ExactError


def _rec(t: int, **kw) -> GameRecord:
    base = dict(cls="random", n_players=2, n_actions=2, index=t, seed=100 + t,
                payoffs=(((2, 0), "1/2"), ((1, 1), "1"), ((0, 2), "1/4")),
                value="7/10", value_lo="7/10", value_hi="7/10", value_float=0.7, strategy=("3/5", "2/5"),
                support=(0, 1), mixed=True, method="test", decrease="9/14", decrease_lo="9/14", decrease_hi="9/14",
                decrease_float=9 / 14, paper_best_value=0.7, paper_mixed=True, paper_best_support=(0, 1),
                runs=(RunRecord("slsqp", 0, 0.7, (0.6, 0.4), (0, 1), True, True),
                      RunRecord("replicator", 1, None, (1.0, 0.0), (0,), False, False)),
                t_certify=0.5, cpu_seconds=1.0)
    base.update(kw)
    return GameRecord(**base)


def test_round_trip_and_keys(tmp_path):
    path = str(tmp_path / "s.sqlite")
    with ResultStore.create(path, {"identity": {"seed": 3}}) as s:
        for t in range(3):
            s.write(_rec(t))
        assert s.count() == 3
        assert s.done_keys() == {("random", 2, 2, t) for t in range(3)}
    with ResultStore.open(path) as s:
        got = s.read()
        assert got == [_rec(t) for t in range(3)]
        assert s.meta()["identity"] == {"seed": 3} and s.meta()["format"].startswith("exactgames-sweep")
        assert s.read(cls="coordination") == []


def test_rewrite_replaces_row_and_runs(tmp_path):
    with ResultStore.create(str(tmp_path / "s.sqlite"), {}) as s:
        s.write(_rec(0))
        s.write(_rec(0, status="error", message="boom", runs=()))
        (r,) = s.read()
        assert r.status == "error" and r.runs == ()


def test_failed_write_is_rolled_back(tmp_path):
    with ResultStore.create(str(tmp_path / "s.sqlite"), {}) as s:
        s.write(_rec(0))
        bad = _rec(1, runs=(RunRecord("slsqp", 0, 0.5, (object(),), (0,), False, False),))
        with pytest.raises(TypeError):
            s.write(bad)  # fails after the game row was inserted in the same transaction
        assert s.done_keys() == {("random", 2, 2, 0)}


def test_refusals_name_the_file(tmp_path):
    path = str(tmp_path / "s.sqlite")
    ResultStore.create(path, {}).close()
    with pytest.raises(StoreError, match="already exists"):
        ResultStore.create(path, {})
    with pytest.raises(StoreError, match="no such results store"):
        ResultStore.open(str(tmp_path / "missing.sqlite"))
    other = str(tmp_path / "other.sqlite")
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(StoreError, match="other.sqlite"):
        ResultStore.open(other)
    junk = tmp_path / "junk.sqlite"
    junk.write_text("not a database at all" * 100)
    with pytest.raises(ExactError, match="junk.sqlite"):
        ResultStore.open(str(junk))


def test_records_equal_ignores_timings():
    assert records_equal([_rec(0)], [_rec(0, t_certify=9.0, cpu_seconds=3.0)])
    assert not records_equal([_rec(0)], [_rec(0, value="1")])


@settings(max_examples=25, deadline=None)
@given(value=st.fractions(min_value=-5, max_value=5).map(str), mixed=st.booleans(),
       strat=st.lists(st.floats(0, 1, allow_nan=False), min_size=2, max_size=4),
       dec=st.one_of(st.none(), st.floats(0, 1, allow_nan=False)))
def test_round_trip_property(tmp_path_factory, value, mixed, strat, dec):
    path = str(tmp_path_factory.mktemp("h") / "s.sqlite")
    rec = _rec(0, value=value, mixed=mixed, decrease_float=dec,
               runs=(RunRecord("replicator", 0, 0.25, tuple(strat), tuple(range(len(strat))), mixed, not mixed),))
    with ResultStore.create(path, {}) as s:
        s.write(rec)
        assert s.read() == [rec]
