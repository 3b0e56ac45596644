"""LaTeX derivations: document content, the CLI, and one real pdflatex compile (skipped without pdflatex)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from exactgames.cli import main
from exactgames.output.latex import escape, game_table_latex, kkt_system_latex, latex_derivation
from exactgames.paper_games import robot_butlers, taxi_symmetric, veil_of_ignorance

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"


def test_sections_filled_from_results():
    doc = latex_derivation(veil_of_ignorance(), orbits=[[0, 1]])
    for head in ("The game", "Symmetries", "Symmetric expected utility", "KKT system", "Solution in closed form",
                 "Nash certificate", "Degeneracy and stability"):
        assert head in doc
    assert r"\frac{121}{24}" in doc  # the optimum value computed by the library (not the paper's 77/18)
    assert "not available" not in doc


def test_errors_propagate_instead_of_being_written_into_the_document(monkeypatch, tmp_path, capsys):
    """Issue 14, item 3: no section is replaced by "not available: <exception>"; the command fails non-zero."""
    import exactgames.output.latex as lx

    def broken(*a, **k):
        raise RuntimeError("no optimiser")

    monkeypatch.setattr(lx, "optimum_with_verdicts", broken)
    with pytest.raises(RuntimeError, match="no optimiser"):
        latex_derivation(taxi_symmetric(), orbits=[[0, 1]])
    out = tmp_path / "t.tex"
    assert main(["latex", str(GAMES / "taxi_symmetric.nfg"), "-o", str(out)]) == 70
    assert not out.exists() and "bug" in capsys.readouterr().err


def test_no_exception_is_swallowed_in_the_latex_writer():
    import ast

    import exactgames.output.latex as lx

    tree = ast.parse(Path(lx.__file__).read_text())
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)]


def test_free_parameter_without_set_gives_the_regimes(tmp_path, capsys):
    out = tmp_path / "robots.tex"
    assert main(["latex", str(GAMES / "ten_robots.toml"), "-o", str(out), "--json"]) == 0
    js = json.loads(capsys.readouterr().out)
    doc = out.read_text()
    assert js["complete"] is True and js["parameters"] == ["eps"] and js["tex"] == str(out)
    assert "Regimes of the optimum" in doc and "not available" not in doc
    assert "(10/9)^{9} - 1 \\approx 1.58117" in doc and "b=1/10, c=9/10" in doc
    doc505 = latex_derivation(__import__("exactgames.paper_games", fromlist=["x"]).example_5_0_5())
    assert "$(11, \\infty)$" in doc505 and "not available" not in doc505


def test_two_free_parameters_are_refused_with_exit_2(tmp_path, capsys):
    game = tmp_path / "two.toml"
    game.write_text('players = 2\nactions = ["a", "b"]\nform = "anonymous"\nparameters = { s = "real", t = "real" }\n'
                    'default = "0"\n[[payoff]]\ncounts = { a = 2 }\nvalue = "s"\n[[payoff]]\ncounts = { b = 2 }\nvalue = "t"\n')
    assert main(["latex", str(game), "-o", str(tmp_path / "two.tex")]) == 2
    err = capsys.readouterr().err
    assert "2 free parameters (s, t)" in err and "--set" in err and not (tmp_path / "two.tex").exists()


def test_latex_time_limit_reached_exits_3(tmp_path, monkeypatch, capsys):
    import dataclasses

    import exactgames.output.latex as lx

    real = lx.optimum_with_verdicts
    monkeypatch.setattr(lx, "optimum_with_verdicts", lambda *a, **k: dataclasses.replace(
        real(*a, **k), complete=False, reason="time limit reached"))
    out = tmp_path / "t.tex"
    assert main(["latex", str(GAMES / "taxi_symmetric.nfg"), "-o", str(out)]) == 3
    assert "Not derived" in out.read_text() and "incomplete" in capsys.readouterr().out


def test_table_and_kkt_pieces():
    assert r"\text{H} & 1 & 2" in game_table_latex(taxi_symmetric())
    kkt = kkt_system_latex(taxi_symmetric(), [[0, 1]])
    assert r"\lambda_{1}" in kkt and r"1 &= x_{H} + x_{W}" in kkt
    assert escape("50% & x_1") == r"50\% \& x\_1"


def test_cli_writes_tex(tmp_path):
    out = tmp_path / "t.tex"
    assert main(["latex", str(GAMES / "taxi_symmetric.nfg"), "-o", str(out)]) == 0
    assert out.read_text().startswith(r"\documentclass")
    assert main(["latex", str(GAMES / "taxi_symmetric.nfg"), "-o", str(tmp_path / "t.txt")]) == 2


def test_cli_pdf_without_pdflatex(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["latex", str(GAMES / "taxi_symmetric.nfg"), "-o", str(tmp_path / "t.tex"), "--pdf"]) == 2
    assert "pdflatex not found" in capsys.readouterr().err


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_compile_robot_butlers_with_subgroup(tmp_path):
    out = tmp_path / "rb.tex"
    assert main(["latex", str(GAMES / "robot_butlers.nfg"), "-o", str(out), "--pdf", "--subgroup", "(1 3)(2 4)"]) == 0
    pdf = out.with_suffix(".pdf")
    assert pdf.exists() and pdf.stat().st_size > 1000
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
        assert list(tmp_path.glob("page*.png"))
    assert "orbit" in out.read_text() and r"\begin{tikzpicture}" in out.read_text()


def test_document_for_robot_butlers_mentions_sqrt2():
    doc = latex_derivation(robot_butlers())
    assert r"\sqrt{2}" in doc
