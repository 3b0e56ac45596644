"""The independent product checker accepts genuine "bnb-product-v1" certificates and refuses corrupted ones."""

from __future__ import annotations

import copy
import itertools
import json
import random
from fractions import Fraction

import pytest

from exactgames.cli import main
from exactgames.io import write_game
from exactgames.model.game import AnonymousGame, Game
from exactgames.optimize.bnb import certified_optimum_product
from exactgames.paper_games import robot_butlers
from proofs_check.checker import check_certificate
from proofs_check.checker_product import check_product_certificate


def orbit_game(orbits: list[list[int]], m: int, seed: int) -> Game:
    """Common payoff depending only on the action counts per orbit (random rationals)."""
    rnd = random.Random(seed)
    acts = "abcd"[:m]
    n = sum(len(o) for o in orbits)
    table: dict = {}

    def u(prof: tuple[str, ...]) -> Fraction:
        key = tuple(tuple(sum(1 for p in o if prof[p] == a) for a in acts) for o in orbits)
        return table.setdefault(key, Fraction(rnd.randint(0, 10**6), 10**6))

    return Game.from_common([list(acts)] * n, u)


CASES = {
    "mixed2": ([[0, 1], [2, 3]], 2, 11),  # both orbits mixed, 2 regions or more
    "face3": ([[0, 1], [2, 3]], 3, 4),  # one orbit on a 2-action face of 3
    "three": ([[0, 1], [2, 3], [4]], 3, 10),  # three orbits, sizes 2, 2, 1
    "pure": ([[0, 1], [2, 3]], 3, 0),  # pure optimum
}
GAMES = {k: orbit_game(o, m, s) for k, (o, m, s) in CASES.items()}
GAMES["butlers"] = robot_butlers()  # two tied pure optima
_U = [[0, Fraction(3, 4), Fraction(3, 4)], [Fraction(3, 4), 1, 1], [Fraction(3, 4), 1, 0]]
# maximum 1 on the L-shaped continuum {b} x [b, c] and [b, c] x {b}: an attained value and weakly pruned cells
GAMES["lshape"] = Game.from_common([list("abc")] * 2, lambda p: _U["abc".index(p[0])]["abc".index(p[1])])
# maximum 0 on {(1/2, 1/2)} x (all of orbit 2): faces of subdivision cells
_H = {("a", "a"): -1, ("b", "b"): -1, ("a", "b"): 1, ("b", "a"): 1}
GAMES["halfline"] = Game.from_common([["a", "b"]] * 3, lambda p: _H[(p[0], p[1])])
GAMES["coord"] = Game.from_common([["a", "b"]] * 4, lambda p: 1 if len(set(p)) == 1 else 0)  # two tied pure optima
_RND = random.Random(11)
_BASE: dict = {}


def _swap_sym(prof: tuple[str, ...]) -> Fraction:
    key = tuple(tuple(sum(1 for p in o if prof[p] == a) for a in "ab") for o in ([0, 1], [2, 3]))
    b1 = _BASE.setdefault(key, Fraction(_RND.randint(0, 99)))
    return b1 + _BASE.setdefault((key[1], key[0]), Fraction(_RND.randint(0, 99)))


# payoffs invariant under swapping the two orbits: two mixed maxima, mirror images
GAMES["symtie"] = Game.from_common([["a", "b"]] * 4, _swap_sym)
ORBITS = {k: v[0] for k, v in CASES.items()} | {"butlers": [[0, 2], [1, 3]], "lshape": [[0], [1]], "halfline": [[0, 1], [2]],
                                                "coord": [[0, 1], [2, 3]], "symtie": [[0, 1], [2, 3]]}
RESULTS = {k: certified_optimum_product(g, ORBITS[k]).to_json() for k, g in GAMES.items()}


def _data(key: str) -> dict:
    return json.loads(json.dumps(RESULTS[key]))  # a deep copy through JSON, as from a file


@pytest.mark.parametrize("key", sorted(GAMES))
def test_genuine_certificates_pass(key):
    d = _data(key)
    assert d["complete"] and d["certificate"]["kind"] == "bnb-product-v1"
    rep = check_certificate(GAMES[key], d)  # dispatched on the certificate kind
    assert rep.ok, rep.errors
    assert rep.checks and rep.value_interval is not None
    assert check_product_certificate(GAMES[key], d).ok


def _first(tree, pred):
    return next(i for i, t in enumerate(tree) if pred(t))


def test_lowered_bound_is_refused():
    d = _data("face3")
    tree = d["certificate"]["tree"]
    i = _first(tree, lambda t: t[0] == "p")
    tree[i][1] = str(Fraction(tree[i][1]) - Fraction(1, 10))
    rep = check_certificate(GAMES["face3"], d)
    assert not rep.ok and "recorded bound" in rep.errors[0]


def test_dropped_cell_is_refused():
    for key in ("face3", "three"):
        d = _data(key)
        tree = d["certificate"]["tree"]
        del tree[_first(tree, lambda t: t[0] in ("p", "w"))]
        assert not check_certificate(GAMES[key], d).ok


def test_appended_or_swapped_split_is_refused():
    d = _data("face3")
    d["certificate"]["tree"].append(["p"])
    assert "unused tokens" in check_certificate(GAMES["face3"], d).errors[0]
    d = _data("face3")
    tree = d["certificate"]["tree"]
    i = _first(tree, lambda t: isinstance(t[0], int))
    f, p, q = tree[i]
    tree[i] = [1 - f, p, q]  # split the other orbit's simplex instead
    assert not check_certificate(GAMES["face3"], d).ok


def test_changed_claimed_support_is_refused():
    d = _data("face3")
    d["support"] = [["a", "b"], ["a"]] if d["support"] != [["a", "b"], ["a"]] else [["c"], ["a"]]
    rep = check_certificate(GAMES["face3"], d)
    assert not rep.ok and "support" in rep.errors[0]


def test_changed_region_support_is_refused():
    d = _data("face3")
    reg = d["certificate"]["regions"][d["certificate"]["winner"]]
    i = next(i for i, S in enumerate(reg["supports"]) if len(S) < 3)
    extra = next(a for a in range(3) if a not in reg["supports"][i])
    reg["supports"][i] = sorted(reg["supports"][i] + [extra])
    reg["center"][i] = reg["center"][i] + ["0"]
    assert not check_certificate(GAMES["face3"], d).ok


def test_pure_support_changed_is_refused():
    d = _data("pure")
    reg = d["certificate"]["regions"][d["certificate"]["winner"]]
    other = (reg["refs"][0] + 1) % 3
    reg["refs"][0] = other
    reg["supports"][0] = [other]
    reg["lower"][0] = ["0"] * 3
    d["support"][0] = ["abc"[other]]
    assert not check_certificate(GAMES["pure"], d).ok


def test_raised_threshold_is_refused():
    d = _data("mixed2")
    win = d["certificate"]["regions"][d["certificate"]["winner"]]
    d["certificate"]["threshold"] = str(Fraction(win["value_interval"][0]) + Fraction(1, 1000))
    assert not check_certificate(GAMES["mixed2"], d).ok


def test_shifted_value_interval_is_refused():
    d = _data("mixed2")
    lo, hi = (Fraction(v) for v in d["value_interval"])
    d["value_interval"] = [str(lo + Fraction(1, 10**40)), str(hi + Fraction(1, 10**40))]
    assert not check_certificate(GAMES["mixed2"], d).ok


def test_moved_krawczyk_centre_is_refused():
    d = _data("mixed2")
    reg = d["certificate"]["regions"][d["certificate"]["winner"]]
    reg["center"][1][0] = str(Fraction(reg["center"][1][0]) + Fraction(1, 10**6))
    rep = check_certificate(GAMES["mixed2"], d)
    assert not rep.ok and "Krawczyk" in rep.errors[0]


def test_grown_region_is_refused():
    d = _data("face3")
    for reg in d["certificate"]["regions"]:
        reg["lower"] = [["0"] * 3, ["0"] * 3]
    assert not check_certificate(GAMES["face3"], d).ok


def test_certificate_for_another_game_or_orbits_is_refused():
    assert not check_certificate(orbit_game([[0, 1], [2, 3]], 3, 5), _data("face3")).ok
    d = _data("face3")
    d["certificate"]["orbits"] = [[0, 2], [1, 3]]  # different orbits: a different polynomial
    d["orbits"] = [[1, 3], [2, 4]]
    assert not check_certificate(GAMES["face3"], d).ok
    d = _data("face3")
    d["orbits"] = [[1, 3], [2, 4]]  # claimed orbits disagree with the certificate's
    assert "orbits" in check_certificate(GAMES["face3"], d).errors[0]


def test_tie_claim_needs_equal_values():
    d = _data("butlers")
    assert len(d["certificate"]["ties"]) == 1
    d2 = copy.deepcopy(d)
    d2["certificate"]["ties"] = []
    assert not check_certificate(GAMES["butlers"], d2).ok


def test_incomplete_or_foreign_results_are_refused():
    d = _data("pure")
    d["complete"] = False
    assert not check_certificate(GAMES["pure"], d).ok
    d = _data("pure")
    d["certificate"]["kind"] = "something-else"
    assert not check_certificate(GAMES["pure"], d).ok
    d = _data("pure")
    d["certificate"]["regions"][0]["refs"] = "x"
    assert "regions[0].refs" in check_certificate(GAMES["pure"], d).errors[0]


def test_anonymous_game_certificate():
    g = AnonymousGame.from_function(3, ["a", "b"], {(3, 0): 1, (2, 1): "7/4", (1, 2): 0, (0, 3): "1/2"})
    r = certified_optimum_product(g, [[0, 1], [2]])
    assert check_certificate(g, r).ok
    assert check_certificate(g.to_dense(), r).ok  # the same polynomial from the dense table


def test_verify_cli_accepts_nested_certificate_and_refuses_tampering(tmp_path, capsys):
    game_path = tmp_path / "g.toml"
    write_game(GAMES["mixed2"], game_path)
    data = _data("mixed2")
    # the form optimize() uses: the branch-and-bound certificate nested under "bnb"
    nested = dict(data, certificate={"route": "product branch and bound", "bnb": data["certificate"]})
    for payload in (data, nested):
        path = tmp_path / "r.json"
        path.write_text(json.dumps(payload))
        assert main(["verify", str(game_path), str(path), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["ok"] is True
    bad = copy.deepcopy(nested)
    tree = bad["certificate"]["bnb"]["tree"]
    del tree[_first(tree, lambda t: t[0] == "p")]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    assert main(["verify", str(game_path), str(path)]) == 1
    assert "REFUSED" in capsys.readouterr().out


def test_all_pure_profiles_never_beat_the_certified_upper_end():
    # an exact sanity check independent of both codes: every pure P-invariant profile is at most the maximum
    for key, g in GAMES.items():
        orbs = ORBITS[key]
        hi = Fraction(RESULTS[key]["value_interval"][1])
        m = len(g.actions[0])
        for choice in itertools.product(range(m), repeat=len(orbs)):
            prof = [None] * g.n_players
            for o, a in zip(orbs, choice):
                for p in o:
                    prof[p] = g.actions[p][a]
            v = g.payoff(0, tuple(prof))
            assert Fraction(int(v.p), int(v.q)) <= hi


def test_exact_rational_claim_narrower_than_the_enclosure():
    # optimize() may replace the enclosure by the exact KKT value; a rational claim is re-proved exactly
    from exactgames.optimize.kkt import kkt_optimum

    orbits = [[0, 1], [2, 3]]
    g = orbit_game(orbits, 2, 2)  # optimum: orbit 1 pure, orbit 2 mixed with rational probabilities
    r = certified_optimum_product(g, orbits)
    k = kkt_optimum(g, orbits)
    assert r.mixed and k.value.is_Rational
    d = json.loads(json.dumps(r.to_json()))
    d["value_interval"] = [str(k.value)] * 2
    d["strategies"] = [{a: str(p) for a, p in zip(acts, s)} for acts, s in zip(k.actions, k.strategies)]
    rep = check_certificate(g, d)
    assert rep.ok, rep.errors
    assert any("exact value" in c for c in rep.checks)
    d["value_interval"] = [str(k.value + Fraction(1, 10**50))] * 2  # a wrong exact value
    assert not check_certificate(g, d).ok
    d["value_interval"] = [str(k.value)] * 2
    d["strategies"][1]["a"] = str(Fraction(d["strategies"][1]["a"]) + Fraction(1, 10**70))  # not the critical point
    d["strategies"][1]["b"] = str(Fraction(d["strategies"][1]["b"]) - Fraction(1, 10**70))
    assert not check_certificate(g, d).ok


# ----------------------------------------------------------------------------- attained values, continua and ties
def test_continuum_certificate_uses_an_attained_value():
    d = _data("lshape")
    cert = d["certificate"]
    assert cert["winner"] is None and any(t[0] == "w" for t in cert["tree"]) and cert["maximiser_faces"]
    rep = check_certificate(GAMES["lshape"], d)
    assert rep.ok and any("maximiser set recomputed" in c for c in rep.checks)
    g = GAMES["lshape"]
    d2 = copy.deepcopy(d)
    d2["certificate"]["attained"][0] = "2"  # a value the point does not attain
    assert "differs from the EU" in check_certificate(g, d2).errors[0]
    d3 = copy.deepcopy(d)
    d3["certificate"]["attained"] = ["0", [["1", "0", "0"], ["1", "0", "0"]]]  # true but too low: the weak prunes fail
    d3["certificate"]["threshold"] = "0"
    d3["value_interval"] = ["0", "0"]
    assert not check_certificate(g, d3).ok
    d4 = copy.deepcopy(d)
    d4["certificate"]["attained"] = ["3/4", [["1", "0", "0"], ["0", "1", "0"]]]  # a true but smaller attained value
    assert not check_certificate(g, d4).ok
    d5 = copy.deepcopy(d)
    d5["strategies"] = [{"a": "1", "b": "0", "c": "0"}, {"a": "0", "b": "1", "c": "0"}]  # EU 3/4, not optimal
    assert not check_certificate(g, d5).ok
    d6 = copy.deepcopy(d)
    d6["ties"] = []  # the continuum removed from the answer
    assert "continuum" in check_certificate(g, d6).errors[0]
    d7 = copy.deepcopy(d)
    d7["certificate"]["maximiser_faces"] = d7["certificate"]["maximiser_faces"][:1]  # one face hidden
    assert "maximiser faces" in check_certificate(g, d7).errors[0]
    d8 = copy.deepcopy(d)
    d8["value_interval"] = ["1", "2"]
    d8["certificate"]["attained"][0] = "2"
    assert not check_certificate(g, d8).ok


def test_raised_attained_value_is_refused():
    for key in ("lshape", "halfline"):
        d = _data(key)
        att = Fraction(d["certificate"]["attained"][0])
        d["certificate"]["attained"][0] = str(att + Fraction(1, 10**9))
        d["value_interval"] = [str(att + Fraction(1, 10**9))] * 2
        assert not check_certificate(GAMES[key], d).ok


def test_cell_face_continuum_certificate():
    d = _data("halfline")
    assert d["certificate"]["winner"] is None
    assert check_certificate(GAMES["halfline"], d).ok
    d2 = copy.deepcopy(d)
    d2["strategies"] = [{"a": "1", "b": "0"}, {"a": "1", "b": "0"}]
    assert not check_certificate(GAMES["halfline"], d2).ok
    d3 = copy.deepcopy(d)
    d3["ties"] = []
    assert not check_certificate(GAMES["halfline"], d3).ok


def test_pure_ties_of_a_coordination_game_are_checked():
    d = _data("coord")
    assert check_certificate(GAMES["coord"], d).ok
    ties = d["certificate"]["ties"]
    assert len(ties) == 1
    d2 = copy.deepcopy(d)
    d2["certificate"]["ties"] = []
    assert not check_certificate(GAMES["coord"], d2).ok


def test_irrational_enclosure_tie_is_checked_by_an_orbit_symmetry():
    d = _data("symtie")
    cert = d["certificate"]
    assert cert["ties"] and cert["ties_resolved_exactly"] and isinstance(cert["winner"], int)
    rep = check_certificate(GAMES["symtie"], d)
    assert rep.ok and any("ties with the winner" in c for c in rep.checks)
    d2 = copy.deepcopy(d)
    d2["certificate"]["ties"] = []
    assert not check_certificate(GAMES["symtie"], d2).ok
    # the same claim about a game without the symmetry is refused
    table = {p: GAMES["symtie"].payoff(0, p) for p in GAMES["symtie"].profiles()}
    table[("a", "a", "b", "b")] += 1
    broken = Game.from_common([["a", "b"]] * 4, lambda p: table[tuple(p)])
    assert not check_certificate(broken, d).ok
    # the symmetry argument itself: found for the game, not for the broken one (whose regions would fail anyway)
    from proofs_check.checker.polynomial import Setup
    from proofs_check.checker.regions import Region, tie_by_symmetry

    def region(r):
        return Region([list(S) for S in r["supports"]], list(r["refs"]), [[Fraction(v) for v in lo] for lo in r["lower"]],
                      [[Fraction(v) for v in c] for c in r["center"]], Fraction(r["radius"]))

    regs, (k,), w = cert["regions"], cert["ties"], cert["winner"]
    assert tie_by_symmetry(region(regs[k]), region(regs[w]), Setup(GAMES["symtie"], [[0, 1], [2, 3]])) is not None
    assert tie_by_symmetry(region(regs[k]), region(regs[w]), Setup(broken, [[0, 1], [2, 3]])) is None
