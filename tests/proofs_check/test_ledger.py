"""The claims ledger: registry, verdicts, CLI, and one mutation per claim family showing the checks can fail."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import sympy

from exactgames.model.game import AnonymousGame, Game
from proofs_check import appendix_a, appendix_c, appendix_d, appendix_f, section2, section3, section4, section5
from proofs_check.ledger import VERDICTS, Verdict, all_claims, entries_json, format_table, run_claim, run_ledger

EXPECTED_IDS = {
    "S2.T1a", "S2.T1b", "S2.T1c", "S2.1a", "S2.1b", "S2.1c", "P3.2.6", "P3.3.2", "T4.0.2", "T4.0.2-binom",
    "T4.0.2-group", "E4.1.1", "S4.3", "E5.0.2", "T5.0.4", "T5.0.4-expand", "E5.0.5", "A.strategy", "A.indiff-H",
    "A.indiff-L", "A.EU-sym", "A.EU-asym", "A.EU-public", "C.gamma", "C.not-total", "C.opt-full", "C.value", "C.indiff",
    "C.opt-P2", "D.0.2", "D.0.3", "D.0.4", "F.2.1", "F.3",
}


def _claim(cid):
    return next(c for c in all_claims() if c.id == cid)


def _verdict(cid, budget=2):
    return run_claim(_claim(cid), budget).verdict


def test_registry_lists_every_claim_of_issue_7():
    ids = {c.id for c in all_claims()}
    assert EXPECTED_IDS <= ids
    assert len(ids) == len(all_claims())


def test_verdict_rejects_unknown_label():
    with pytest.raises(ValueError, match="verdict"):
        Verdict("probably", "m", "d")


def test_known_refutations_and_values():
    v = _verdict("A.EU-sym")
    assert v.verdict == "refuted" and v.paper_value == "77/18" and v.computed_value == "121/24"
    assert _verdict("A.indiff-L").computed_value == "4 - 2*p"
    assert _verdict("A.EU-asym").computed_value == "21/4"
    assert _verdict("C.not-total").verdict == "refuted"
    assert "612579511/387420489" in _verdict("S2.1a").computed_value


def test_crashing_check_is_reported_not_raised(monkeypatch):
    monkeypatch.setattr(section2, "taxi_permits", lambda: 1 / 0)
    v = _verdict("S2.T1a")
    assert v.verdict == "error" and "ZeroDivisionError" in v.detail


def test_table_and_json_shapes():
    entries = run_ledger(budget=1, only=["A.", "C.value"])
    table = format_table(entries)
    assert "A.EU-sym" in table and "refuted" in table
    js = entries_json(entries)
    assert {"id", "location", "claim", "verdict", "method", "detail", "paper_value", "computed_value"} <= set(js[0])
    assert all(e["verdict"] in VERDICTS for e in js)


def test_module_cli_json_exit_code():
    out = subprocess.run([sys.executable, "-m", "proofs_check", "--json", "--budget", "1", "--only", "A.", "--only", "E5"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {d["id"] for d in data} >= {"A.EU-sym", "E5.0.5"}


def test_exactgames_paper_cli_bad_budget():
    from exactgames.cli import main

    assert main(["paper", "--budget", "0"]) == 2


# ------------------------------------------------------------------ one mutation per claim family
def test_mutation_taxi(monkeypatch):
    from exactgames.paper_games import taxi_large_groups

    monkeypatch.setattr(section2, "taxi_symmetric", taxi_large_groups)
    assert _verdict("S2.T1b").verdict == "refuted"


def test_mutation_robots(monkeypatch):
    from exactgames.paper_games import EPS

    def wrong(n=10, eps=None):
        return AnonymousGame.from_function(n, ["a", "b", "c"], lambda c: "1/2" if c == (n, 0, 0) else (
            "1 + eps" if c == (0, 1, n - 1) else 0), symbols={"eps": EPS})

    monkeypatch.setattr(section2, "ten_robots", wrong)
    assert _verdict("S2.1a").verdict == "refuted"


def test_mutation_symmetry(monkeypatch):
    monkeypatch.setattr(section3, "group_closure", lambda gens, n: {tuple(range(n))} | {tuple(g) for g in gens})
    # with two generators the raw set is usually not closed: orders differ from sympy's
    assert _verdict("P3.2.6", budget=6).verdict == "refuted"


def test_mutation_theorem_402(monkeypatch):
    real = section4.random_invariant_game
    # payoffs no longer invariant under the group that P is drawn from: P is not in Γ(G)
    monkeypatch.setattr(section4, "random_invariant_game", lambda rng, n, m, group: real(rng, n, m, {tuple(range(n))}))
    assert _verdict("T4.0.2", budget=8).verdict == "refuted"


def test_mutation_proof_steps(monkeypatch):
    lopsided = Game.from_common([["F", "D"]] * 4, lambda p: 3 if p[0] == "D" else (1 if p[1] == "D" else 0))
    monkeypatch.setattr(section4, "robot_butlers", lambda: lopsided)
    assert _verdict("T4.0.2-group", budget=1).verdict == "refuted"


def test_mutation_theorem_504(monkeypatch):
    monkeypatch.setattr(section5, "mixed_witness_sign", lambda values, x: (-1, "mutated"))
    assert _verdict("T5.0.4", budget=4).verdict == "refuted"


def test_mutation_example_505(monkeypatch):
    from exactgames.paper_games import EPS

    def wrong(eps=EPS):
        e = sympy.sympify(eps)
        t = {(a, b): 1 for a in "abc" for b in "abc"}
        t.update({("b", "b"): -10, ("c", "c"): -10, ("b", "c"): 1 - e, ("c", "b"): 1 - e})
        syms = sorted(e.free_symbols, key=str)
        return Game.from_common([["a", "b", "c"]] * 2, t, symbols={str(s): s for s in syms})

    monkeypatch.setattr(section5, "example_5_0_5", wrong)
    with pytest.raises(AssertionError):
        section5.example_505_threshold()


def test_mutation_veil(monkeypatch):
    def wrong(a1, a2, t1, t2):  # the resource goes to the Low robot when both are cautious
        if a1 == a2 == "C":
            return sympy.Integer(min(appendix_a.VALUE[t1], appendix_a.VALUE[t2]))
        return real(a1, a2, t1, t2)

    real = appendix_a.story_outcome
    monkeypatch.setattr(appendix_a, "story_outcome", wrong)
    assert _verdict("A.strategy").verdict == "refuted"


def test_mutation_butlers(monkeypatch):
    def one_sided():  # each group reaches its own butler and the clockwise one only
        def u(p):
            return sum(0 if "D" not in {p[g], p[(g + 1) % 4]} else (2 if "F" in {p[g], p[(g + 1) % 4]} else 1) for g in range(4))
        return Game.from_common([["F", "D"]] * 4, u)

    monkeypatch.setattr(appendix_c, "robot_butlers", one_sided)
    assert _verdict("C.not-total").verdict == "verified"  # now the rotations are not all of S_4
    assert _verdict("C.opt-full").verdict == "refuted"


def test_mutation_robustness(monkeypatch):
    real = appendix_d._perturbed
    monkeypatch.setattr(appendix_d, "_perturbed", lambda game, rng, eps: real(game, rng, 3 * eps))
    assert _verdict("D.0.2", budget=8).verdict == "refuted"


def test_mutation_gamut(monkeypatch):
    def tied(cls, n, m, seed):
        return AnonymousGame.from_function(n, [f"a{k}" for k in range(m)], lambda c: 1 if c[0] % 2 else 0)

    monkeypatch.setattr(appendix_f, "try_library", lambda mod, name: tied if name == "generate" else None)
    assert _verdict("F.2.1", budget=1).verdict == "refuted"
