"""Forged certificates the checker must refuse, and true results it must accept (the soundness issue, hole by hole).

Each forgery is built here from a genuine certificate or from scratch; none uses the optimiser to decide what
the right answer is: the true optima are derived by hand in the comments (and re-checked exactly in the tests).
"""

from __future__ import annotations

import copy
import json
import pathlib
import subprocess
import sys
from fractions import Fraction as F

import pytest

import exactgames as eg
from exactgames.cli import main
from exactgames.io import read_game
from exactgames.model.game import AnonymousGame, Game
from proofs_check.checker import check_certificate
from proofs_check.checker.polynomial import Setup
from proofs_check.checker.regions import Region, prove_region
from proofs_check.checker.subdivision import search

ROOT = pathlib.Path(__file__).resolve().parents[2]
GAMES = ROOT / "examples" / "games"
ARCHIVE = pathlib.Path(__file__).resolve().parent / "archive"

# 3 players, EU = 1 - (39/200) x + (101/200) x^2 - x^3/3 in x = P(b) (payoffs = its Bernstein coefficients):
# f'(x) = -(x - 13/50)(x - 3/4): the maximum 1 is at pure a (x = 0), a lower local maximum f(3/4) = 3191/3200.
TRAP = AnonymousGame.from_function(3, ["a", "b"], {(3, 0): 1, (2, 1): F(187, 200), (1, 2): F(623, 600), (0, 3): F(293, 300)})


def _json(x):
    return json.loads(json.dumps(x))


def _trap_forgery(threshold: F, weak_at: F) -> dict:
    """The lower local maximum at x = 3/4 certified as the winner, with a Krawczyk box wide enough to reach 1."""
    st = Setup(TRAP, [[0, 1, 2]])
    reg = Region([[0, 1]], [0], [[F(1, 10), F(6, 10)]], [[F(3, 4)]], F(1, 12))
    proof = prove_region(0, reg, st, 320, [])
    assert proof.lo < 1 <= proof.hi  # the forged region is a valid region proof whose enclosure reaches the true maximum
    tree = search(st, threshold, weak_at, [reg])  # closes the corner at the true maximiser a weakly
    assert any(t == ["w"] for t in tree)
    tree = [t[1:] if isinstance(t[0], int) else t for t in tree]  # one-simplex tokens
    return {
        "value": "3191/3200", "value_interval": [str(proof.lo), str(proof.hi)], "orbits": [[1, 2, 3]],
        "strategies": [{"a": "1/4", "b": "3/4"}], "support": [["a", "b"]], "mixed": True, "value_exact": True,
        "complete": True, "ties": [],
        "certificate": {"kind": "bnb-simplex-v1", "n": 3, "m": 2, "threshold": str(threshold),
                        "regions": [{"support": [0, 1], "ref": 0, "center": ["3/4"], "radius": "1/12",
                                     "lower": ["1/10", "3/5"]}],
                        "winner": 0, "ties": [], "attained": ["1", ["1", "0"]], "tree": tree},
    }


def test_hole1_lower_local_maximum_passed_off_as_the_optimum():
    forged = _trap_forgery(F(1), F(1))  # threshold = attained = 1: cells pruned against a value the winner may not reach
    rep = check_certificate(TRAP, forged)
    assert not rep.ok and "threshold" in rep.errors[0]
    st = Setup(TRAP, [[0, 1, 2]])
    lo = prove_region(0, Region([[0, 1]], [0], [[F(1, 10), F(6, 10)]], [[F(3, 4)]], F(1, 12)), st, 320, []).lo
    forged = _trap_forgery(lo, F(1))  # threshold lowered to the winner's bound: the weak corner still hides the true maximum
    rep = check_certificate(TRAP, forged)
    assert not rep.ok and "weakly pruned" in rep.errors[0]
    # with the exact (false) value claimed and a zero-width interval
    forged["value_interval"] = ["3191/3200", "3191/3200"]
    forged["certificate"]["threshold"] = "3191/3200"
    assert not check_certificate(TRAP, forged).ok
    # the true answer is accepted
    assert check_certificate(TRAP, eg.optimize(TRAP)).ok


def _r55() -> tuple:
    return read_game(GAMES / "r55.toml"), _json(json.loads((ARCHIVE / "optimize_r55.json").read_text()))


def test_hole2_value_strategies_polynomial_and_support_of_a_region_winner():
    g, d = _r55()
    assert check_certificate(g, d).ok
    for mutate, where in (
        (lambda x: x.update(value="1"), "value"),
        (lambda x: x["strategies"][0].update(a3="1/2", a5="1/2"), "strateg"),
        (lambda x: x["strategies"][0].update(a1="1/2", a3="1/2", a5="0"), "support"),
        (lambda x: x["certificate"].update(optimal_value_polynomial="v - 1"), "polynomial"),
        (lambda x: x["certificate"].update(optimal_value_root_index=0), "root"),
        (lambda x: x["certificate"].update(optimal_value_isolating_interval=["0", "1/2"]), "isolating"),
        (lambda x: x.pop("support"), "support"),
        (lambda x: x.update(support=[["a3"]]), "support"),
        (lambda x: x.update(mixed=False), "mixed"),
    ):
        bad = copy.deepcopy(d)
        mutate(bad)
        rep = check_certificate(g, bad)
        assert not rep.ok and where in rep.errors[0], (where, rep.errors)


def test_hole3_orbits_are_checked():
    g = read_game(GAMES / "robot_butlers.nfg")
    d = _json(json.loads((ARCHIVE / "optimize_robot_butlers.json").read_text()))
    bad = copy.deepcopy(d)
    bad["orbits"] = [[1, 2], [3, 4]]
    bad["strategies"] = bad["strategies"] * 2
    bad["support"] = bad["support"] * 2
    rep = check_certificate(g, bad)
    assert not rep.ok and "orbits" in rep.errors[0]
    # a generator that is not a symmetry, or generators whose orbits are not the claimed ones
    taxi = read_game(GAMES / "taxi_permits.nfg")  # the permits break the symmetry: Γ(G) is trivial
    t = _json(eg.optimize(taxi).to_json())
    t2 = copy.deepcopy(t)
    t2["certificate"]["generators"] = [[1, 0]]
    assert "not a symmetry" in check_certificate(taxi, t2).errors[0]
    butlers = _json(eg.optimize(g).to_json())
    b2 = copy.deepcopy(butlers)
    b2["certificate"]["generators"] = [[1, 0, 2, 3]]  # a symmetry, but its orbits are {1,2},{3},{4}
    assert "orbits" in check_certificate(g, b2).errors[0]


def test_hole4_one_action_per_orbit_reads_the_claims():
    g = Game.from_common([["x"]] * 2, {("x", "x"): 5})
    d = _json(eg.optimize(g).to_json())
    assert check_certificate(g, d).ok
    d["value_interval"] = ["-1", "-1"]
    assert "value_interval" in check_certificate(g, d).errors[0]
    d = _json(eg.optimize(g).to_json())
    d["value"] = "-1"
    assert "value" in check_certificate(g, d).errors[0]


def test_hole5_ties_and_continua_are_checked_by_content():
    g = read_game(GAMES / "face_continuum.toml")
    d = _json(json.loads((ARCHIVE / "optimize_face_continuum.json").read_text()))
    assert check_certificate(g, d).ok
    bad = copy.deepcopy(d)
    bad["ties"] = []
    assert not check_certificate(g, bad).ok
    bad = copy.deepcopy(d)
    bad["ties"] = [t.replace("{a,b}", "{a,c}") for t in d["ties"]]
    assert not check_certificate(g, bad).ok
    p = read_game(GAMES / "pure_coordination.toml")
    d = _json(json.loads((ARCHIVE / "optimize_pure_coordination.json").read_text()))
    assert check_certificate(p, d).ok
    for ties in ([d["ties"][0]], ["((1/2, 1/2, 0),)"] + d["ties"], ["((0, 0, 1),)", "((0, 0, 1),)"]):
        bad = copy.deepcopy(d)
        bad["ties"] = ties
        assert not check_certificate(p, bad).ok, ties


def test_hole6_strategy_outside_the_simplex(monkeypatch):
    monkeypatch.setattr("exactgames.optimize.api.quadratic_optimum", lambda *a, **k: None)  # the branch and bound's proof
    g = Game.from_common([["a", "b"]] * 2, {("a", "a"): 1, ("b", "b"): 1})
    d = _json(eg.optimize(g).to_json())
    assert d["certificate"]["bnb"]["winner"] is None and check_certificate(g, d).ok
    for strat in ({"a": "3/2", "b": "-1/2"}, {"a": "1", "b": "1"}, {"a": "1"}, {"a": "1", "b": "0", "c": "0"}):
        bad = copy.deepcopy(d)
        bad["strategies"] = [strat]
        rep = check_certificate(g, bad)
        assert not rep.ok and "strategies" in rep.errors[0], (strat, rep.errors)


@pytest.mark.parametrize("mutate", [
    lambda d: d.update(certificate=[1, 2]),
    lambda d: d["certificate"]["bnb"].update(prec=10**30),
    lambda d: d["certificate"]["bnb"]["regions"][0].update(radius="1e3000000000"),
    lambda d: d["certificate"]["bnb"]["regions"][0].update(center=["1" * 30000]),
    lambda d: d.update(value="10**10**10"),
    lambda d: d.update(value="9**9**9"),
    lambda d: d["certificate"]["bnb"].update(tree="x"),
    lambda d: d["certificate"]["bnb"].update(tree=[[0, 1]] * 1000),
    lambda d: d["certificate"]["bnb"].update(regions=None),
    lambda d: d.update(orbits=[[1, 2, 3]]),
    lambda d: d.update(orbits="x"),
    lambda d: d.update(strategies={"H": "1"}),
    lambda d: d.update(ties=[{"x": 1}]),
    lambda d: d.update(ties=["((" * 5000]),
    lambda d: d.clear(),
])
def test_hole7_malformed_certificates_get_a_clean_quick_refusal(mutate):
    import time

    g = read_game(GAMES / "taxi_symmetric.nfg")
    d = _json(json.loads((ARCHIVE / "optimize_taxi_symmetric.json").read_text()))
    mutate(d)
    t0 = time.monotonic()
    rep = check_certificate(g, d)
    assert not rep.ok and rep.errors and len(rep.errors[0]) < 400
    assert time.monotonic() - t0 < 5


def test_hole7_unreadable_result_files_are_input_errors(tmp_path, capsys):
    game = str(GAMES / "taxi_symmetric.nfg")
    cases = {"empty.json": b"", "nul.json": b"\xff\xfe\x00", "deep.json": b"[" * 100_000 + b"]" * 100_000,
             "bigint.json": b"{\"value\": " + b"7" * 30000 + b"}", "list.json": b"[1, 2]", "text.json": b"not json"}
    for name, raw in cases.items():
        path = tmp_path / name
        path.write_bytes(raw)
        assert main(["verify", game, str(path)]) == 2, name
        err = capsys.readouterr().err
        assert name in err and "Traceback" not in err
    assert main(["verify", game, str(tmp_path)]) == 2  # a directory


def test_hole8_the_checker_process_never_imports_the_optimiser(tmp_path):
    code = ("import sys, json; from exactgames.cli import main; "
            f"rc = main(['verify', {str(GAMES / 'taxi_symmetric.nfg')!r}, {str(ARCHIVE / 'optimize_taxi_symmetric.json')!r}, '--json']); "
            "bad = sorted(m for m in sys.modules if m.split('.')[:2] in (['exactgames', 'optimize'], ['exactgames', 'certify'], "
            "['exactgames', 'symmetry'])); print('MODULES', json.dumps(bad)); sys.exit(rc)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert out.returncode == 0, out.stderr
    line = next(x for x in out.stdout.splitlines() if x.startswith("MODULES"))
    assert json.loads(line.split(" ", 1)[1]) == []


def test_hole9_rational_mixed_optima_verify():
    for name in ("taxi_symmetric.nfg", "veil_of_ignorance.nfg"):
        g = read_game(GAMES / name)
        d = _json(eg.optimize(g).to_json())
        assert d["value_interval"][0] == d["value_interval"][1] and d["mixed"]
        rep = check_certificate(g, d)
        assert rep.ok, (name, rep.errors)
    veil = read_game(GAMES / "veil_of_ignorance.nfg")
    assert eg.optimize(veil).value == eg.parse_exact("121/24")


def test_hole10_kkt_and_parametric_results_verify():
    from exactgames.optimize.api import _stamp, default_generators, default_orbits
    from exactgames.optimize.kkt import kkt_optimum

    g = read_game(GAMES / "example_5_0_5_eps_half.nfg")
    # the exact KKT enumeration's result (optimize itself now certifies this game by the branch and bound)
    d = _json(_stamp(kkt_optimum(g, default_orbits(g)), default_generators(g)).to_json())
    assert d["method"] == "exact KKT enumeration"
    rep = check_certificate(g, d)
    assert rep.ok and any("own subdivision" in c for c in rep.checks), rep.errors
    bad = copy.deepcopy(d)
    bad["strategies"] = [{"a": "0", "b": "1/2", "c": "1/2"}]  # EU -17/4 (eps = 1/2), not the optimum
    bad["support"] = [["b", "c"]]
    bad["value"] = bad["value_interval"][0] = bad["value_interval"][1] = "-17/4"
    assert not check_certificate(g, bad).ok
    for name in ("ten_robots", "example_5_0_5"):
        game = read_game(next(GAMES.glob(name + ".*")))
        data = _json(json.loads((ARCHIVE / f"optimize_{name}_parametric.json").read_text()))
        assert check_certificate(game, data).ok
        bad = copy.deepcopy(data)
        bad["regimes"][0]["value"] = "2"
        assert "regimes[0]" in check_certificate(game, bad).errors[0]
        bad = copy.deepcopy(data)
        bad["regimes"][-1]["strategies"] = data["regimes"][0]["strategies"]  # the small-eps optimum claimed for large eps
        bad["regimes"][-1]["value"] = data["regimes"][0]["value"]
        assert not check_certificate(game, bad).ok


@pytest.mark.parametrize("path", sorted(ARCHIVE.glob("*.json")), ids=lambda p: p.stem)
def test_archived_certificates_of_every_kind_still_verify(path):
    stem = path.stem.removeprefix("optimize_")
    name = {"robot_butlers_half_turn": "robot_butlers", "ten_robots_parametric": "ten_robots",
            "example_5_0_5_parametric": "example_5_0_5"}.get(stem, stem)
    game = read_game(next(GAMES.glob(name + ".*")))
    rep = check_certificate(game, json.loads(path.read_text()))
    assert rep.ok, rep.errors


def test_genuine_certificate_against_a_perturbed_game_is_refused():
    from exactgames.experiments.generators import generate

    refused = 0
    for seed in range(6):
        g = generate("random", 3, 3, seed)
        d = _json(eg.optimize(g).to_json())
        assert check_certificate(g, d).ok
        # raise the payoff of a pure profile off the optimum's support well above the optimum: the optimum moves
        off = next((a for a in range(3) if g.actions[a] not in d["support"][0]), 0)
        table = dict(g.payoff)
        table[tuple(3 if a == off else 0 for a in range(3))] = max(table.values()) + 10
        moved = AnonymousGame.from_function(3, list(g.actions), table)
        refused += not check_certificate(moved, d).ok
    assert refused == 6


def _mutations(d, rng):
    """Structural mutations of a result: each returns (mutated copy, whether a printed claim changed)."""
    claims = ("value", "value_interval", "strategies", "support", "ties", "orbits", "mixed")
    paths = []

    def walk(x, path):
        paths.append(path)
        if isinstance(x, dict):
            for k, v in x.items():
                walk(v, path + [k])
        elif isinstance(x, list):
            for k, v in enumerate(x):
                walk(v, path + [k])

    walk(d, [])
    for _ in range(700):
        path = rng.choice(paths[1:])
        e = copy.deepcopy(d)
        parent = e
        for k in path[:-1]:
            parent = parent[k]
        old = parent[path[-1]]
        kind = rng.randrange(6)
        if kind == 0:
            new = rng.choice([None, True, 0, -1, 10**40, "x", [], {}, [[]], "1/0", "1e99999"])
        elif kind == 1 and isinstance(old, str):
            try:
                new = str(F(old) + F(rng.choice([1, -1]), rng.choice([3, 7, 10**6])))
            except (ValueError, ZeroDivisionError):
                new = old + "x"
        elif kind == 2 and isinstance(old, list) and old:
            new = old[:-1]
        elif kind == 3 and isinstance(old, list):
            new = old + old[:1]
        elif kind == 4 and isinstance(old, int) and not isinstance(old, bool):
            new = old + rng.choice([1, -1])
        else:
            if isinstance(parent, dict):
                del parent[path[-1]]
                yield e, path[0] in claims
                continue
            new = None
        if new == old:
            continue
        parent[path[-1]] = new
        yield e, path[0] in claims


def _same_claim(d, e) -> bool:
    """The mutated result claims nothing new: equal numbers written differently, a wider interval, a repeated tie."""
    for k in set(d) | set(e):
        a, b = d.get(k), e.get(k)
        if a == b:
            continue
        if k == "value_interval" and isinstance(b, list) and len(b) == 2 and all(isinstance(x, str) for x in b):
            if F(b[0]) <= F(a[0]) and F(a[1]) <= F(b[1]):
                continue
        if k == "ties" and isinstance(b, list) and all(isinstance(x, str) for x in b) and set(b) == set(a):
            continue
        if k == "strategies" and json.dumps(b).replace('"', "") == json.dumps(a).replace('"', ""):
            continue
        return False
    return True


def test_structural_fuzz_of_genuine_certificates():
    import random

    rng = random.Random(20261203)
    cases = [(read_game(GAMES / "taxi_symmetric.nfg"), ARCHIVE / "optimize_taxi_symmetric.json"),
             (read_game(GAMES / "pure_coordination.toml"), ARCHIVE / "optimize_pure_coordination.json"),
             (read_game(GAMES / "robot_butlers.nfg"), ARCHIVE / "optimize_robot_butlers_half_turn.json")]
    total = accepted_changed = 0
    for g, path in cases:
        d = json.loads(path.read_text())
        assert check_certificate(g, d).ok
        for e, claim_changed in _mutations(d, rng):
            rep = check_certificate(g, e)  # never raises
            total += 1
            if rep.ok and claim_changed and not _same_claim(d, e):
                accepted_changed += 1
                print("ACCEPTED", json.dumps(e)[:300])
    assert total > 1500 and accepted_changed == 0


def test_closed_forms_longer_than_the_expression_limit_are_read():
    """RandomGame 4x4 seed 0: strategies are 336k-character polynomials in one degree-high CRootOf (archived answer)."""
    import gzip

    from exactgames.experiments.generators import generate

    g = generate("random", 4, 4, 0)
    d = json.loads(gzip.decompress((ARCHIVE / "random_4x4_seed0_long_closed_form.json.gz").read_bytes()))
    assert max(len(v) for v in d["strategies"][0].values()) > 300_000
    assert check_certificate(g, d).ok
    bad = copy.deepcopy(d)
    a1 = bad["strategies"][0]["a1"]
    bad["strategies"][0]["a1"] = a1.replace("1", "2", 1)  # one digit of one coefficient changed
    assert not check_certificate(g, bad).ok


def _small_integer_game(n: int, m: int, seed: int) -> AnonymousGame:
    import random

    from proofs_check.checker.polynomial import count_keys

    rnd = random.Random(seed * 100 + n * 10 + m)
    return AnonymousGame.from_function(n, list("abcd"[:m]), {c: F(rnd.randint(0, 2)) for c in count_keys(n, m)})


def test_degenerate_kkt_optimum_and_an_affine_root_value_verify():
    # 3 players x 4 actions: optimum (0, 4/5, 0, 1/5), value 32/25, with the reduced gradient toward c exactly zero there
    # (found by the exact KKT enumeration; neither a strict region nor a weak prune at a dyadic vertex covers it)
    g = _small_integer_game(3, 4, 3)
    d = _json(eg.optimize(g).to_json())
    assert d["value"] == "32/25" and d["method"] == "exact KKT enumeration"
    rep = check_certificate(g, d)
    assert rep.ok and any("degenerate first-order" in c for c in rep.checks), rep.errors
    bad = copy.deepcopy(d)
    bad["strategies"] = [{"a": "0", "b": "3/4", "c": "0", "d": "1/4"}]
    assert not check_certificate(g, bad).ok
    # 6 players x 2 actions: the value is printed as 10*CRootOf(p(v), 2), a multiple of a root of its own polynomial
    g = _small_integer_game(6, 2, 1)
    d = _json(eg.optimize(g).to_json())
    assert d["value"].startswith("10*CRootOf(")
    assert check_certificate(g, d).ok
    bad = copy.deepcopy(d)
    bad["value"] = d["value"].replace("10*", "11*", 1)
    assert not check_certificate(g, bad).ok
