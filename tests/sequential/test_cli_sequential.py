"""The command line on game trees: info, symmetries, optimize for .efg and .dpomdp --horizon H."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "exactgames.cli", *args], capture_output=True, text=True, timeout=120)


def test_optimize_veil_efg_json():
    r = run("optimize", str(GAMES / "veil_of_ignorance.efg"), "--json")
    assert r.returncode == 0, r.stderr
    js = json.loads(r.stdout)
    assert js["complete"] and js["value"] == "121/24" and js["nash"] is True and js["deterministic"] is False
    pol = {p["history"]: p["probabilities"] for p in js["policy"]}
    assert pol["type H"] == {"C": "5/6", "A": "1/6"} and pol["type L"] == {"C": "1", "A": "0"}
    assert js["certificate"]["kind"] == "bnb-product-v1"


def test_optimize_dectiger_h2_text():
    r = run("optimize", str(GAMES / "dectiger.dpomdp"), "--horizon", "2")
    assert r.returncode == 0, r.stderr
    assert "value:      -4" in r.stdout and "start  ->  listen=1" in r.stdout and "Nash:       yes" in r.stdout


def test_info_and_symmetries():
    r = run("info", str(GAMES / "dectiger.dpomdp"), "--horizon", "2", "--json")
    js = json.loads(r.stdout)
    assert js["information_sets"] == {"1": 7, "2": 7} and js["perfect_recall"] and js["common_payoff"]
    r = run("symmetries", str(GAMES / "veil_of_ignorance.efg"), "--json")
    js = json.loads(r.stdout)
    assert js["order"] == 2 and js["generators"] == ["(1 2)"] and js["agent_orbits"] == [[1, 2]]
    assert len(js["information_set_classes"]) == 2


@pytest.mark.parametrize("args, message", [
    (("optimize", "dectiger.dpomdp"), "needs a finite horizon"),
    (("optimize", "veil_of_ignorance.efg", "--subgroup", "(1 2)"), "--subgroup does not apply to a game tree"),
    (("info", "veil_of_ignorance.efg", "--horizon", "3"), "applies to .dpomdp files only"),
])
def test_usage_errors_exit_2(args, message):
    cmd, name, *rest = args
    r = run(cmd, str(GAMES / name), *rest)
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_malformed_efg_exit_2(tmp_path):
    bad = tmp_path / "bad.efg"
    bad.write_text('EFG 2 R "" { "1" }\n"" p "" 1 1 "" { "a" } 0\n')
    r = run("info", str(bad))
    assert r.returncode == 2 and "bad.efg, line 2" in r.stderr and "file ends early" in r.stderr
