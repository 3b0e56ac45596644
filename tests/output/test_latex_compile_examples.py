"""Every example game's LaTeX derivation compiles with pdflatex (issue 14, item 2); compiles skip without pdflatex.

One test per example game: the document is built in process and compiled once in ``-draftmode``
(errors are found, no PDF is written), so the whole module stays around half a minute.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from exactgames.cli import main
from exactgames.cli.common import load_game
from exactgames.output.latex import latex_derivation

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"
NORMAL_FORM = sorted(p.name for p in GAMES.iterdir() if p.suffix in (".nfg", ".toml"))
TREES = sorted(p.name for p in GAMES.iterdir() if p.suffix in (".efg", ".dpomdp"))
HAS_PDFLATEX = shutil.which("pdflatex") is not None


def _compile(tex: Path) -> None:
    proc = subprocess.run(["pdflatex", "-draftmode", "-interaction=nonstopmode", "-halt-on-error", tex.name],
                          cwd=tex.parent, capture_output=True, text=True, timeout=120)
    errors = [ln for ln in proc.stdout.splitlines() if ln.startswith("!")]
    assert proc.returncode == 0, f"{tex.name}: {errors[:3]}"


def test_every_example_game_is_covered():
    assert len(NORMAL_FORM) >= 12 and "fifty_players.toml" in NORMAL_FORM and "r55.toml" in NORMAL_FORM


@pytest.mark.skipif(not HAS_PDFLATEX, reason="pdflatex not installed")
@pytest.mark.parametrize("name", NORMAL_FORM)
def test_example_game_derivation_compiles(name, tmp_path):
    game = load_game(str(GAMES / name), None)
    doc = latex_derivation(game)
    tex = tmp_path / (Path(name).stem + ".tex")
    tex.write_text(doc)
    _compile(tex)


@pytest.mark.skipif(not HAS_PDFLATEX, reason="pdflatex not installed")
@pytest.mark.parametrize("name", TREES)
def test_game_tree_derivation_compiles(name, tmp_path, capsys):
    """Game trees are derived since issue 16 (they were refused before): .efg as is, .dpomdp at horizon 2."""
    tex = tmp_path / (Path(name).stem + ".tex")
    horizon = ["--horizon", "2"] if name.endswith(".dpomdp") else []
    assert main(["latex", str(GAMES / name), *horizon, "-o", str(tex)]) == 0, capsys.readouterr().err
    _compile(tex)


def test_game_trees_are_covered():
    assert TREES == ["dectiger.dpomdp", "veil_of_ignorance.efg"]


def test_anonymous_eu_in_count_form():
    """Fifty players: EU = x_a^50 + (98/25)(...), not the expanded homogeneous degree-50 polynomial."""
    from exactgames.output.latex import anonymous_eu_count_form, eu_for_display

    game = load_game(str(GAMES / "fifty_players.toml"), None)
    expr, _, note = eu_for_display(game, None)
    assert "count form" in note and len(expr.args) <= 6 and expr.as_poly().total_degree() == 50
    # the count form is the EU on the simplex: it agrees with the expanded polynomial at rational points
    import sympy

    from exactgames.model.utility import symmetric_eu_polynomial

    eu = symmetric_eu_polynomial(game)
    xa, xb, xc = eu.variables[0]
    for pt in ((sympy.Rational(1, 3),) * 3, (sympy.Rational(1, 2), sympy.Rational(1, 5), sympy.Rational(3, 10))):
        sub = dict(zip((xa, xb, xc), pt))
        assert expr.subs(sub) == eu.expr.subs(sub)
    assert anonymous_eu_count_form(load_game(str(GAMES / "ten_robots.toml"), None))[1] is None  # two paying vectors


def test_three_player_rows_are_in_math_mode():
    from fractions import Fraction

    from exactgames.model.game import Game
    from exactgames.output.latex import game_table_latex

    dense = Game.from_common([["a", "b"]] * 3, lambda p: Fraction(p.count("a"), 3))
    for game in (load_game(str(GAMES / "r55.toml"), None), dense):  # anonymous and dense, 3+ players
        rows = [ln for ln in game_table_latex(game).splitlines() if ln.startswith("(") and "&" in ln]
        assert rows and all("& $" in ln and ln.rstrip().endswith("$ \\\\") for ln in rows)
        assert any("\\frac" in ln for ln in rows)
