"""The Python API a new user meets (issue 14, item 10): defaults as in the CLI, short reprs, notebook displays."""

from __future__ import annotations

from pathlib import Path

import exactgames as eg
from exactgames.paper_games import example_5_0_5, robot_butlers, ten_robots

ROOT = Path(__file__).resolve().parents[2]


def test_parametric_regimes_defaults_to_the_orbits_of_gamma():
    game = example_5_0_5()  # a dense two-player game: Γ(G) = S_2, one orbit
    default = eg.parametric_regimes(game)
    explicit = eg.parametric_regimes(game, [[0, 1]])
    assert default.orbits == explicit.orbits == ((0, 1),)
    assert [r.interval_str() for r in default.regimes] == [r.interval_str() for r in explicit.regimes] == [
        "(0, 11)", "[11, 11]", "(11, oo)"]


def test_short_reprs_and_notebook_displays():
    res = eg.parametric_regimes(ten_robots())
    text = repr(res)
    assert len(text) < 400 and "(10/9)^9 - 1 ~ 1.58117" in text and "certificate" not in text
    html = res._repr_html_()
    assert html.startswith("<table>") and html.count("<tr>") == 4 and "(9/10)^9*(eps + 1)" in html
    latex = res._repr_latex_()
    assert latex.startswith("$\\begin{array}") and "\\frac{1}{10}" in latex
    best = eg.analyze(robot_butlers())
    assert len(repr(best)) < 300 and "16*sqrt(2)" in repr(best) and "certificate" not in repr(best)
    assert len(best._repr_html_()) < 2000


def test_readme_shows_analyze():
    readme = (ROOT / "README.md").read_text()
    assert ">>> eg.analyze(" in readme and ">>> eg.parametric_regimes(" in readme


def test_verdicts_is_an_object_in_parametric_regimes_as_in_check():
    from exactgames.certify.conditions import parametric_regimes_with_verdicts

    js = parametric_regimes_with_verdicts(example_5_0_5()).to_json()
    for r in js["regimes"]:
        assert isinstance(r["verdicts"], dict) and "sample point" in r["verdicts"]["reason"]
        assert r["verdicts"]["sample"] == r["sample"]
