"""Orbit graph exports and the ``exactgames symmetries`` command."""

import json
import shutil
import subprocess

import networkx as nx
import pytest

from exactgames.cli import main
from exactgames.io import write_game
from exactgames.paper_games import robot_butlers, taxi_permits
from exactgames.symmetry import draw_orbit_graph, generated_group, orbit_graph, orbit_graph_dot, orbit_graph_tikz
from exactgames.symmetry.result import make_result


def test_orbit_graph_edges_and_colors():
    r = make_result(4, [[1, 0, 2, 3], [0, 1, 3, 2]], "x")
    G = orbit_graph(r)
    assert isinstance(G, nx.MultiDiGraph)
    assert sorted(G.nodes) == [1, 2, 3, 4] and G.nodes[1]["label"] == "1"
    edges = sorted((u, v, d["generator"]) for u, v, d in G.edges(data=True))
    assert edges == [(1, 2, "(1 2)"), (2, 1, "(1 2)"), (3, 4, "(3 4)"), (4, 3, "(3 4)")]
    colors = {d["generator"]: d["color"] for _, _, d in G.edges(data=True)}
    assert colors["(1 2)"] != colors["(3 4)"]
    assert sorted(map(sorted, nx.weakly_connected_components(G))) == [[1, 2], [3, 4]]


def test_exports(tmp_path):
    r = generated_group(robot_butlers(), "(1 2 3 4)")
    png = draw_orbit_graph(r, tmp_path / "g.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    svg = draw_orbit_graph(r, tmp_path / "g.svg")
    assert "<svg" in svg.read_text()
    with pytest.raises(Exception, match="expected .png or .svg"):
        draw_orbit_graph(r, tmp_path / "g.pdf")
    tikz = orbit_graph_tikz(r)
    assert tikz.startswith("\\begin{tikzpicture}") and tikz.rstrip().endswith("\\end{tikzpicture}")
    assert tikz.count("to[bend") == 4
    dot = orbit_graph_dot(r)
    assert dot.count("->") == 4 and "(1 2 3 4)" in dot


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex not installed")
def test_tikz_compiles(tmp_path):  # pragma: no cover - depends on a TeX installation
    r = generated_group(robot_butlers(), "(1 3)(2 4); (1 2 3 4)")
    doc = "\\documentclass{article}\\usepackage{tikz}\\begin{document}" + orbit_graph_tikz(r) + "\\end{document}"
    (tmp_path / "g.tex").write_text(doc)
    out = subprocess.run(["pdflatex", "-interaction=nonstopmode", "g.tex"], cwd=tmp_path, capture_output=True, timeout=60)
    assert out.returncode == 0, out.stdout[-2000:]


def test_cli_json(tmp_path, capsys):
    path = tmp_path / "rb.nfg"
    write_game(robot_butlers(), path)
    assert main(["symmetries", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["order"] == 24 and out["totally_symmetric"] is True
    assert out["orbits"] == [[1, 2, 3, 4]]
    assert all(isinstance(s, str) and s.startswith("(") for s in out["generators"])
    assert main(["symmetries", str(path), "--subgroup", "(1 3)(2 4)", "--json", "--draw", str(tmp_path / "o.png"),
                 "--tikz", str(tmp_path / "o.tex"), "--dot", str(tmp_path / "o.dot")]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["order"] == 2 and out["generators"] == ["(1 3)(2 4)"] and out["orbits"] == [[1, 3], [2, 4]]
    assert out["totally_symmetric"] is False
    assert (tmp_path / "o.png").exists() and (tmp_path / "o.tex").exists() and (tmp_path / "o.dot").exists()


def test_cli_text_and_errors(tmp_path, capsys):
    path = tmp_path / "taxi.nfg"
    write_game(taxi_permits(), path)
    assert main(["symmetries", str(path)]) == 0
    text = capsys.readouterr().out
    assert "order 1" in text and "totally unsymmetric" in text
    assert main(["symmetries", str(path), "--subgroup", "(1 2)"]) == 2
    err = capsys.readouterr().err
    assert "(1 2) is not a symmetry" in err and "profile (" in err
    assert main(["symmetries", str(path), "--subgroup", "(1 3)"]) == 2
    assert "out of range" in capsys.readouterr().err
