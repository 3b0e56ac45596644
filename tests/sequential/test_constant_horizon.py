"""A game constant at its horizon (MADP's Grid3x3corners at horizon 1): every policy optimal, value exact, verify accepts.

Grid3x3corners starts both agents in the grid's centre (state 24) and rewards them only when they meet in a corner,
which takes at least two steps: at horizon 1 every behaviour profile is worth exactly 0.  The constancy is checked
independently of the optimiser by exact evaluation of the tree at asymmetric mixed profiles.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GZ = ROOT / "tests" / "io" / "dpomdp_madp" / "Grid3x3corners.dpomdp.gz"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exactgames.cli", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def grid(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("grid")
    out = d / "Grid3x3corners.dpomdp"
    with gzip.open(GZ, "rb") as src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst)
    return out


def test_grid_h1_is_constant_by_exact_evaluation(grid):
    from exactgames.io.trees import read_tree
    from exactgames.model.tree_eu import evaluate

    tree = read_tree(grid, 1)
    assert tree.n_players == 2 and [len(i.actions) for i in tree.infosets] == [5, 5]
    for k in range(4):
        beh = {}
        for i, inf in enumerate(tree.infosets):
            w = [Fraction(1 + (3 * i + k * a) % 7) for a in range(len(inf.actions))]
            beh[i] = tuple(x / sum(w) for x in w)
        assert evaluate(tree, beh) == 0
    from exactgames.io import GameFileError

    with pytest.raises(GameFileError, match="horizon 2 unrolls to about 4102650 nodes"):  # refused before unrolling
        read_tree(grid, 2)


def test_grid_h1_optimize_says_every_policy_is_optimal_and_verify_accepts(grid):
    r = run("optimize", str(grid), "--horizon", "1", "--json", cwd=grid.parent)
    assert r.returncode == 0, r.stderr
    js = json.loads(r.stdout)
    assert js["complete"] and js["value"] == "0" and js["value_exact"] and js["value_interval"] == ["0", "0"]
    assert "every policy is optimal" in js["reason"] and "constant" in js["method"]
    assert js["certificate"]["kind"] == "sequential-team-bound-v1" and js["certificate"]["team_optimum"] == "0"
    assert js["nash"] is True and js["deterministic"] is True
    res = grid.parent / "g1.json"
    res.write_text(r.stdout)
    v = run("verify", str(grid), str(res), "--horizon", "1", cwd=grid.parent)
    assert v.returncode == 0 and "certificate ACCEPTED" in v.stdout, v.stdout + v.stderr
    t = run("optimize", str(grid), "--horizon", "1", cwd=grid.parent)
    assert t.returncode == 0 and "every policy is optimal" in t.stdout and "value:      0" in t.stdout


def test_constant_three_agent_tree_refused_by_verify_with_a_clear_message(tmp_path):
    """Three agents, all payoffs 0: optimize proves it (constant), but the checker has no kind for it: a named refusal."""
    efg = tmp_path / "zero3.efg"
    efg.write_text('EFG 2 R "zero" { "1" "2" "3" }\n""\n\n'
                   'p "" 1 1 "x" { "a" "b" } 0\n'
                   'p "" 2 1 "x" { "a" "b" } 0\np "" 3 1 "x" { "a" "b" } 0\nt "" 1 "z" { 0, 0, 0 }\nt "" 1\n'
                   'p "" 3 1 "x" { "a" "b" } 0\nt "" 1\nt "" 1\n'
                   'p "" 2 1 "x" { "a" "b" } 0\np "" 3 1 "x" { "a" "b" } 0\nt "" 1\nt "" 1\n'
                   'p "" 3 1 "x" { "a" "b" } 0\nt "" 1\nt "" 1\n')
    r = run("optimize", str(efg), "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    js = json.loads(r.stdout)
    assert js["complete"] and js["value"] == "0" and "every policy is optimal" in js["reason"]
    assert "no certificate for verify" in js["reason"] and js["certificate"] == {}
    (tmp_path / "r.json").write_text(r.stdout)
    v = run("verify", str(efg), str(tmp_path / "r.json"), cwd=tmp_path)
    assert v.returncode == 1 and "certificate REFUSED" in v.stdout and "certificate.kind" in v.stdout, v.stdout + v.stderr
    assert "Traceback" not in v.stderr
