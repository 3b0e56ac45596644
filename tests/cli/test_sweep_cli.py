"""Tests of ``exactgames sweep`` and ``exactgames report`` (in-process, real solver and baselines)."""

from __future__ import annotations

import json

from exactgames.cli import main
from exactgames.experiments.store import ResultStore

ARGS = ["sweep", "--class", "random", "--players", "2", "--actions", "2-3", "--games", "1", "--seed", "4",
        "--slsqp", "1", "--replicator", "1", "--workers", "1", "--quiet"]


def test_sweep_then_report(tmp_path, capsys):
    out = str(tmp_path / "r.sqlite")
    assert main(ARGS + ["--out", out, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["written"] == 2 and summary["config"]["games"] == 1 and not summary["interrupted"]
    with ResultStore.open(out) as s:
        recs = s.read()
    assert [r.status for r in recs] == ["ok"] * 2 and all(len(r.runs) == 2 for r in recs)
    # resuming a finished store writes nothing new
    assert main(ARGS + ["--out", out, "--resume"]) == 0
    assert "0 games written" in capsys.readouterr().out
    plots = tmp_path / "plots"
    assert main(["report", out, "--plots", str(plots)]) == 0
    text = capsys.readouterr().out
    assert "Table 3" in text and "Table 8" in text and "RandomGame" in text
    assert sorted(p.name for p in plots.iterdir()) == ["baseline_success.png", "mixed_fraction.png"]
    assert main(["report", out, "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["games"] == 2 and set(rep["tables"]) == {"3", "4", "4p", "5", "6", "6p", "7", "8"}


def test_refusals_exit_2(tmp_path, capsys):
    out = str(tmp_path / "r.sqlite")
    ResultStore.create(out, {"identity": {}}).close()
    assert main(ARGS + ["--out", out]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(ARGS[:4] + ["5-2", "--out", str(tmp_path / "x.sqlite")]) == 2
    assert "--players '5-2'" in capsys.readouterr().err
    assert main(["sweep", "--actions", "1-3", "--out", str(tmp_path / "y.sqlite")]) == 2
    assert "integers >= 2" in capsys.readouterr().err
    assert main(["sweep", "--class", "chess", "--out", str(tmp_path / "z.sqlite")]) == 2
    assert "'chess'" in capsys.readouterr().err
    assert main(["sweep", "--games", "0", "--out", str(tmp_path / "z.sqlite")]) == 2
    assert main(["report", str(tmp_path / "missing.sqlite")]) == 2
    assert "no such results store" in capsys.readouterr().err
    # resuming with another seed is refused, naming the store
    assert main(ARGS + ["--out", out, "--resume"]) == 2
    assert "r.sqlite" in capsys.readouterr().err


def test_help_texts_render(capsys):
    import pytest

    for argv in (["--help"], ["sweep", "--help"], ["report", "--help"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 0
    assert "--found-tol" in capsys.readouterr().out
