"""Pictures (issue 14, item 11): Figure 1's payoff landscape and the baselines' success plot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy

from exactgames.cli import main
from exactgames.output.landscape import draw_landscape, payoff_landscape
from exactgames.paper_games import robot_butlers, taxi_symmetric

BUTLERS = str(Path(__file__).resolve().parents[2] / "examples" / "games" / "robot_butlers.nfg")


def _png_size(path):
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def test_figure_1_taxi_landscape(tmp_path):
    """Table 1b: EU = p(1-q) + q(1-p) + 1 with p, q the taxis' work probabilities (read off the table by hand)."""
    land = payoff_landscape(taxi_symmetric())
    p, q = sympy.symbols("p q")
    assert sympy.expand(land.eu - (p * (1 - q) + q * (1 - p) + 1)) == 0
    assert land.symmetric.point == (sympy.Rational(1, 2),) * 2 and land.symmetric.value == sympy.Rational(3, 2)
    assert sorted(m.point for m in land.optima) == [(0, 1), (1, 0)] and all(m.value == 2 for m in land.optima)
    w, h = _png_size(draw_landscape(land, str(tmp_path / "taxi.png")))
    assert 0.8 < w / h < 1.6


def test_landscape_of_two_butler_orbits_and_cli(tmp_path, capsys):
    land = payoff_landscape(robot_butlers(), [[0, 2], [1, 3]])
    assert land.symmetric.value == 16 * sympy.sqrt(2) - 16 and land.symmetric.point[0] == 2 - sympy.sqrt(2)
    assert {m.point for m in land.optima} == {(0, 1), (1, 0)} and land.optima[0].value == 8
    out = tmp_path / "butlers.png"
    assert main(["plot", BUTLERS, "-o", str(out), "--subgroup", "(1 3)(2 4)", "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    assert js["orbits"] == [[1, 3], [2, 4]] and js["symmetric_optimum"]["value"] == "-16 + 16*sqrt(2)" and out.exists()
    assert main(["plot", BUTLERS, "-o", str(tmp_path / "x.png")]) == 2  # one orbit: refused
    assert "two orbits of two actions" in capsys.readouterr().err


def _report():
    entries = lambda off: [{"players": n, "actions": m, "value": 0.5 + off, "ci": [0.3 + off, 0.7 + off], "n": 20,
                            "paper": 0.45 + off} for n in (2, 3) for m in (2, 3)]  # noqa: E731
    tables = {name: {"title": name, "classes": {"random": entries(0.1 * k)}} for k, name in enumerate(("3", "4", "5", "6", "7"))}
    return {"tables": tables}


def test_baseline_plot_is_drawn_like_the_mixed_fraction_plot(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from exactgames.experiments.report import baseline_figure, write_plots

    fig = baseline_figure(_report())
    axes = fig.get_axes()
    assert len(axes) == 4
    for ax in axes:
        assert "95% CI" in ax.get_ylabel() and ax.get_xlabel() == "actions"
        assert len(ax.containers) == 2  # error bars (confidence intervals) for each player count
        assert any(line.get_linestyle() == "--" for line in ax.get_lines())  # the paper's values
    files = write_plots(_report(), str(tmp_path))
    w, h = _png_size(files[1])
    assert w / h < 2.5, (w, h)  # not an 1800 x 360 strip
