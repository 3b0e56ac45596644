"""verify on sequential results: the behaviour-strategy polynomial rebuilt from the tree, the same proof as normal form."""

from __future__ import annotations

import copy
import json
import pathlib

from exactgames.cli import main
from exactgames.io.trees import read_tree
from proofs_check.checker import check_certificate

GAMES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "games"


def _optimize(args, capsys):
    assert main(["optimize", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_veil_efg_result_verifies_and_forgeries_are_refused(tmp_path, capsys):
    path = str(GAMES / "veil_of_ignorance.efg")
    data = _optimize([path], capsys)
    assert data["value"] == "121/24"  # Appendix A, corrected (the ledger's erratum), found without the normal form
    tree = read_tree(path)
    rep = check_certificate(tree, data)
    assert rep.ok and any("rebuilt from the tree" in c for c in rep.checks), rep.errors
    bad = copy.deepcopy(data)
    bad["policy"][1]["probabilities"] = {"C": "4/5", "A": "1/5"}  # not the maximiser
    assert not check_certificate(tree, bad).ok
    bad = copy.deepcopy(data)
    bad["value"] = bad["value_interval"][0] = bad["value_interval"][1] = "77/18"  # the paper's number
    assert not check_certificate(tree, bad).ok
    bad = copy.deepcopy(data)
    bad["policy"][0]["free"] = True  # the Low type's plan does matter
    assert "marked free" in check_certificate(tree, bad).errors[0]
    bad = copy.deepcopy(data)
    bad["policy"][0]["infosets"] = [0]  # classes no longer partition the information sets
    assert "partition" in check_certificate(tree, bad).errors[0]
    f = tmp_path / "veil.json"
    f.write_text(json.dumps(data))
    assert main(["verify", path, str(f)]) == 0


def test_team_bound_certificates_recompute_the_team_optimum(tmp_path, capsys):
    path = str(GAMES / "dectiger.dpomdp")
    data = _optimize([path, "--horizon", "2"], capsys)
    assert data["value"] == "-4" and data["certificate"]["kind"] == "sequential-team-bound-v1"  # published: -4.000000
    tree = read_tree(path, 2)
    rep = check_certificate(tree, data)
    assert rep.ok and any("team optimum" in c for c in rep.checks), rep.errors
    f = tmp_path / "dt2.json"
    f.write_text(json.dumps(data))
    assert main(["verify", path, str(f), "--horizon", "2"]) == 0
    capsys.readouterr()
    bad = copy.deepcopy(data)
    first = bad["policy"][0]["probabilities"]
    names = list(first)
    first[names[0]], first[names[1]] = "0", "1"  # open a door at once: worse than listening
    rep = check_certificate(tree, bad)
    assert not rep.ok and "differs" in rep.errors[0]
    bad["value"] = bad["value_interval"][0] = bad["value_interval"][1] = str(rep.errors[0].split("exact value ")[1])
    assert "below the team optimum" in check_certificate(tree, bad).errors[0]
    bad = copy.deepcopy(data)
    k = next(k for k, e in enumerate(data["policy"]) if not e["free"] and k > 0)
    bad["policy"][k]["free"] = True
    assert not check_certificate(tree, bad).ok
