"""Tests of exactgames.experiments.report on a synthetic store with known counts.

Confidence intervals are checked against scipy's own implementations
(``binomtest(...).proportion_ci(method="wilson")`` and ``stats.t.interval``),
a different route from the module's formulas.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy import stats

from exactgames.experiments.report import (
    build_report,
    format_report,
    load_paper_tables,
    summarize,
    t_interval,
    wilson,
    write_plots,
)
from exactgames.experiments.store import GameRecord, ResultStore, RunRecord


def _runs(found_slsqp: int, found_rep: int, value: float, support: tuple[int, ...]):
    out = []
    for k in range(10):
        out.append(RunRecord("slsqp", k, value if k < found_slsqp else 0.1, (0.5, 0.5), support, k < found_slsqp,
                             k < found_slsqp))
    for k in range(10):
        out.append(RunRecord("replicator", 10 + k, value if k < found_rep else 0.1, (0.5, 0.5), support, k < found_rep,
                             k < found_rep))
    return tuple(out)


def _synthetic(path: str) -> list[GameRecord]:
    """Cell (2, 2): 10 games, 4 mixed; cell (3, 2): 5 games, none mixed, one error row."""
    recs = []
    for t in range(10):
        mixed = t < 4
        recs.append(GameRecord(
            "random", 2, 2, t, t, (), value="1/2", value_lo="1/2", value_hi="1/2", value_float=0.5,
            support=(0, 1) if mixed else (0,), mixed=mixed,
            decrease=str(0.5 + t / 10) if mixed else None, decrease_float=(0.5 + t / 10) if mixed else None,
            paper_best_value=0.5 if t != 9 else 0.4, paper_mixed=mixed if t != 0 else False,
            paper_best_support=(0, 1) if mixed else (0,), runs=_runs(t % 3, 10 if t else 0, 0.5, (0, 1) if mixed else (0,)),
            cpu_seconds=1.0))
    for t in range(5):
        recs.append(GameRecord("random", 3, 2, t, t, (), value="1", value_float=1.0, support=(1,), mixed=False,
                               paper_best_value=1.0, paper_mixed=t == 2, paper_best_support=(1,), runs=_runs(10, 10, 1.0, (1,))))
    recs.append(GameRecord("random", 3, 2, 5, 5, (), status="error", message="solver: boom"))
    with ResultStore.create(path, {"identity": {"seed": 0}, "sweeps": [{"wall_seconds": 12.5}]}) as s:
        for r in recs:
            s.write(r)
    return recs


def test_wilson_and_t_against_scipy():
    for k, n in [(0, 10), (4, 10), (45, 100), (100, 100), (1, 3)]:
        p, lo, hi = wilson(k, n)
        ci = stats.binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
        assert p == k / n and lo == pytest.approx(ci.low, abs=1e-12) and hi == pytest.approx(ci.high, abs=1e-12)
    assert wilson(0, 0) is None
    xs = [0.2, 0.9, 0.5, 0.65, 0.3]
    m, lo, hi = t_interval(xs)
    slo, shi = stats.t.interval(0.95, len(xs) - 1, loc=np.mean(xs), scale=stats.sem(xs))
    assert m == pytest.approx(np.mean(xs)) and lo == pytest.approx(slo) and hi == pytest.approx(shi)
    assert t_interval([0.3]) == (0.3, None, None) and t_interval([]) is None


def test_summary_counts(tmp_path):
    recs = _synthetic(str(tmp_path / "s.sqlite"))
    c22, c32 = summarize(recs)
    assert (c22.games, c22.errors, c32.games, c32.errors) == (10, 0, 5, 1)
    assert c22.mixed.value == 0.4 and c32.mixed.value == 0.0
    # slsqp: game t finds t % 3 of 10 runs
    assert c22.slsqp_single.value == pytest.approx(np.mean([(t % 3) / 10 for t in range(10)]))
    assert c22.slsqp_any.value == pytest.approx(sum(t % 3 > 0 for t in range(10)) / 10)
    assert c22.replicator_any.value == 0.9 and c22.replicator_single.value == pytest.approx(0.9)
    assert c22.decrease.value == pytest.approx(np.mean([0.5, 0.6, 0.7, 0.8])) and c22.decrease.n == 4
    # paper pipeline: t=0 mixed called pure, t=9 missed (value 0.4); (3,2): t=2 pure called mixed
    assert (c22.mixed_as_pure, c22.pure_as_mixed, c22.missed) == (1, 0, 1)
    assert (c32.mixed_as_pure, c32.pure_as_mixed, c32.missed) == (0, 1, 0)
    assert c22.closed_form == "1/3" and c32.closed_form is None


def test_tied_pure_optima_count_as_found():
    pay = (((2, 0), "1"), ((1, 1), "1/3"), ((0, 2), "1"))
    runs = (RunRecord("slsqp", 0, 1.0, (0.0, 1.0), (1,), False, True), RunRecord("slsqp", 1, 1 / 3, (0.5, 0.5), (0, 1), False, False))
    rec = GameRecord("collaboration", 2, 2, 0, 0, pay, value="1", value_float=1.0, support=(0,), mixed=False,
                     paper_best_value=1.0, paper_mixed=False, paper_best_support=(1,), runs=runs)
    (c,) = summarize([rec])
    assert c.slsqp_single.value == 0.5 and c.missed == 0  # action 2 ties with the reported action 1


def test_report_text_json_and_plots(tmp_path):
    path = str(tmp_path / "s.sqlite")
    _synthetic(path)
    rep = build_report(path)
    json.dumps(rep)  # JSON-ready
    assert rep["wall_seconds"] == 12.5 and rep["games"] == 16
    e = rep["paper_pipeline_errors"]["random"]
    assert e == {"games": 15, "missed_optimum": 1, "above_optimum": 0, "mixed_as_pure": 1, "pure_as_mixed": 1, "incomplete": 0, "errors": 1}
    t3 = {(x["players"], x["actions"]): x for x in rep["tables"]["3"]["classes"]["random"]}
    assert t3[(2, 2)]["paper"] == 0.36 and t3[(3, 2)]["paper"] == 0.38 and t3[(2, 2)]["closed_form"] == "1/3"
    text = format_report(rep)
    for title in ("Table 3", "Table 4", "Table 5", "Table 6", "Table 7", "Table 8"):
        assert title in text
    assert "0.40 [0.17,0.69] | p 0.36 cf=1/3" in text
    assert "N \\ A" in text and "missed optimum 1, mixed called pure 1, pure called mixed 1" in text
    assert "65.0% [" in text  # Table 8 mean of 0.5..0.8 as a percentage
    files = write_plots(rep, str(tmp_path / "plots"))
    assert len(files) == 2
    for f in files:
        with open(f, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_paper_tables_shape_and_notes():
    d = load_paper_tables()
    assert d["players"] == [2, 3, 4, 5] and d["actions"] == [2, 3, 4, 5]
    for name, t in d["tables"].items():
        for cls in ("random", "coordination", "collaboration"):
            grid = t[cls]
            if grid is not None:
                assert len(grid) == 4 and all(len(row) == 4 for row in grid)
                assert all(v is None or 0 <= v <= 1 for row in grid for v in row)
    assert d["tables"]["3"]["coordination"] == [[0] * 4] * 4
    assert d["tables"]["4"]["random"][0][1] is None  # the cell lost in the text copy
    assert d["tables"]["8"]["random"][3][3] == pytest.approx(0.875)
    assert len(d["notes"]) >= 5
