"""The independent certificate checker accepts genuine certificates and refuses corrupted ones."""

from __future__ import annotations

import ast
import copy
import json
import pathlib
import random
from fractions import Fraction

import pytest

from exactgames.experiments.generators import generate
from exactgames.model.counts import count_vectors
from exactgames.model.game import AnonymousGame
from exactgames.optimize.bnb import certified_optimum
from proofs_check.checker import check_certificate

_RND = random.Random(6)
_BASE = {c: Fraction(_RND.randint(0, 99)) for c in count_vectors(4, 3)}
GAMES = {
    "mixed3": generate("random", 3, 3, 0),  # full-support mixed optimum
    "face": generate("random", 4, 4, 1),  # optimum on a 2-action face
    "pure": generate("random", 3, 3, 1),  # pure optimum
    "ties": AnonymousGame.from_function(3, ["a", "b"], lambda c: 1 if max(c) == 3 else 0),
    # every strategy on the face {a, b} is optimal: settled by the attained value and weakly pruned cells
    "continuum": AnonymousGame.from_function(3, ["a", "b", "c"], lambda c: 1 if c[2] == 0 else 0),
    # payoffs invariant under swapping a and b: two mixed maximisers with the same irrational value
    "symtie": AnonymousGame.from_function(4, ["a", "b", "c"], lambda c: _BASE[c] + _BASE[(c[1], c[0], c[2])]),
}
RESULTS = {k: certified_optimum(g).to_json() for k, g in GAMES.items()}


def _data(key: str) -> dict:
    return json.loads(json.dumps(RESULTS[key]))  # a deep copy through JSON, as from a file


@pytest.mark.parametrize("key", sorted(GAMES))
def test_genuine_certificates_pass(key):
    rep = check_certificate(GAMES[key], _data(key))
    assert rep.ok, rep.errors
    assert rep.checks and rep.value_interval is not None


def test_checker_imports_only_model_and_flint():
    folder = pathlib.Path(__file__).resolve().parents[2] / "proofs_check"
    files = sorted((folder / "checker").glob("*.py")) + [folder / "checker_product.py"]
    mods = set()
    for f in files:
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.Import):
                mods |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                mods.add(node.module)
    for mod in mods:
        assert not mod.startswith("exactgames.") or mod.startswith("exactgames.model"), mod
        assert not mod.startswith("proofs_check") or mod.startswith("proofs_check.checker"), mod
        # numpy only as a container: object arrays of Python ints (exact integer arithmetic, vectorised bisection)
        assert mod.split(".")[0] in {"exactgames", "proofs_check", "flint", "sympy", "__future__", "itertools", "math",
                                     "dataclasses", "fractions", "typing", "re", "sys", "time", "ast", "numpy"}, mod


def _first(tree, pred):
    return next(i for i, t in enumerate(tree) if pred(t))


def test_lowered_bound_is_refused():
    d = _data("mixed3")
    tree = d["certificate"]["tree"]
    i = _first(tree, lambda t: t[0] == "p")
    tree[i][1] = str(Fraction(tree[i][1]) - Fraction(1, 10))
    rep = check_certificate(GAMES["mixed3"], d)
    assert not rep.ok and "recorded bound" in rep.errors[0]


def test_dropped_cell_is_refused():
    d = _data("mixed3")
    tree = d["certificate"]["tree"]
    del tree[_first(tree, lambda t: t[0] == "p")]
    rep = check_certificate(GAMES["mixed3"], d)
    assert not rep.ok


def test_changed_claimed_support_is_refused():
    d = _data("face")
    d["support"] = [["a1", "a2"]]
    rep = check_certificate(GAMES["face"], d)
    assert not rep.ok and "support" in rep.errors[0]


def test_changed_region_support_is_refused():
    d = _data("face")
    reg = d["certificate"]["regions"][d["certificate"]["winner"]]
    extra = next(a for a in range(4) if a not in reg["support"])
    reg["support"] = sorted(reg["support"] + [extra])
    reg["center"] = reg["center"] + ["0"]
    rep = check_certificate(GAMES["face"], d)
    assert not rep.ok


def test_pure_support_changed_is_refused():
    d = _data("pure")
    reg = d["certificate"]["regions"][0]
    other = (reg["ref"] + 1) % 3
    reg["ref"] = other
    reg["support"] = [other]
    d["support"] = [[f"a{other + 1}"]]
    rep = check_certificate(GAMES["pure"], d)
    assert not rep.ok


def test_raised_threshold_is_refused():
    d = _data("mixed3")
    lo = Fraction(d["certificate"]["regions"][0]["value_interval"][0])
    d["certificate"]["threshold"] = str(lo + Fraction(1, 1000))
    assert not check_certificate(GAMES["mixed3"], d).ok


def test_shifted_value_interval_is_refused():
    d = _data("mixed3")
    lo, hi = (Fraction(v) for v in d["value_interval"])
    d["value_interval"] = [str(lo + Fraction(1, 10**40)), str(hi + Fraction(1, 10**40))]
    assert not check_certificate(GAMES["mixed3"], d).ok


def test_moved_krawczyk_centre_is_refused():
    d = _data("mixed3")
    reg = d["certificate"]["regions"][0]
    reg["center"][0] = str(Fraction(reg["center"][0]) + Fraction(1, 10**6))
    rep = check_certificate(GAMES["mixed3"], d)
    assert not rep.ok and "Krawczyk" in rep.errors[0]


def test_grown_region_is_refused():
    d = _data("face")
    tree = d["certificate"]["tree"]
    # claim the whole simplex as a region: its off-support gradients cannot all be negative there
    for reg in d["certificate"]["regions"]:
        reg["lower"] = ["0"] * 4
    rep = check_certificate(GAMES["face"], d)
    assert not rep.ok and tree


def test_certificate_for_another_game_is_refused():
    other = generate("random", 3, 3, 5)
    assert not check_certificate(other, _data("mixed3")).ok


def test_tie_claim_needs_equal_values():
    d = _data("ties")
    assert check_certificate(GAMES["ties"], d).ok
    d2 = copy.deepcopy(d)
    d2["certificate"]["ties"] = []
    assert not check_certificate(GAMES["ties"], d2).ok


def test_incomplete_or_foreign_results_are_refused():
    d = _data("pure")
    d["complete"] = False
    assert not check_certificate(GAMES["pure"], d).ok
    d = _data("pure")
    d["certificate"]["kind"] = "something-else"
    assert not check_certificate(GAMES["pure"], d).ok
    assert not check_certificate(GAMES["pure"], {"no": "certificate"}).ok


def test_accepts_result_objects():
    g = generate("random", 2, 3, 2)
    assert check_certificate(g, certified_optimum(g)).ok


def test_continuum_certificate_uses_an_attained_value():
    d = _data("continuum")
    cert = d["certificate"]
    assert cert["winner"] is None and any(t[0] == "w" for t in cert["tree"])
    d2 = copy.deepcopy(d)
    d2["certificate"]["attained"][0] = "2"  # a value the point does not attain
    assert "differs from the EU" in check_certificate(GAMES["continuum"], d2).errors[0]
    d3 = copy.deepcopy(d)
    d3["certificate"]["attained"] = ["1/2", ["0", "0", "1"]]  # true but too low: the weak prunes fail
    d3["certificate"]["threshold"] = "1/2"
    assert not check_certificate(GAMES["continuum"], d3).ok
    d4 = copy.deepcopy(d)
    d4["strategies"] = [{"a": "0", "b": "0", "c": "1"}]  # a strategy that is not optimal
    assert not check_certificate(GAMES["continuum"], d4).ok


def test_irrational_tie_is_checked_by_a_payoff_symmetry():
    d = _data("symtie")
    cert = d["certificate"]
    assert cert["ties"] and cert["ties_resolved_exactly"]
    rep = check_certificate(GAMES["symtie"], d)
    assert rep.ok and any("ties with the winner" in c for c in rep.checks)
    d2 = copy.deepcopy(d)
    d2["certificate"]["ties"] = []
    assert not check_certificate(GAMES["symtie"], d2).ok
    # the same claim about a game without the symmetry is refused
    broken = AnonymousGame.from_function(4, ["a", "b", "c"], lambda c: GAMES["symtie"].payoff[c] + (1 if c == (4, 0, 0) else 0))
    assert not check_certificate(broken, d).ok
