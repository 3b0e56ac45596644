"""Game automorphisms (issue 15): agreement with the pruned search on Γ(G), brute-force cross-check, BoS team game."""

import glob
import itertools
import json
import random
import subprocess
import sys

import pytest
import sympy

from exactgames import paper_games
from exactgames.io import read_game
from exactgames.model.game import AnonymousGame, Game
from exactgames.symmetry import symmetry_group
from exactgames.symmetry.automorphism_search import automorphism_group
from exactgames.symmetry.automorphisms import GameAutomorphism, parse_automorphisms

EXAMPLES = sorted(glob.glob("examples/games/*.nfg") + glob.glob("examples/games/*.toml"))
PAPER = [paper_games.robot_butlers, paper_games.taxi_symmetric, paper_games.taxi_permits, paper_games.ten_robots,
         paper_games.veil_of_ignorance]


def _games():
    for f in EXAMPLES:
        g = read_game(f)
        if not g.parameters:
            yield f, g
    for fn in PAPER:
        yield fn.__name__, fn()


@pytest.mark.parametrize("name,game", list(_games()))
def test_player_only_subgroup_agrees_with_pruned_search(name, game):
    res = automorphism_group(game)
    old = symmetry_group(game)
    assert res.player_only.order == old.order
    assert all(res.player_only.group.contains(g) for g in old.generators)
    assert all(old.group.contains(g) for g in res.player_only.generators)
    assert res.order >= res.player_only.order and res.order % res.player_only.order == 0
    # Γ(G) lies in the automorphism group: each generator of the pruned search, with name-following action maps
    names = [tuple(a) for a in (game.actions if not isinstance(game, AnonymousGame) else [game.actions] * game.n_players)]
    for p in old.generators:
        pl = list(p.array_form)
        g = GameAutomorphism(tuple(pl), tuple(tuple(names[pl[i]].index(a) for a in names[i]) for i in range(len(pl))))
        assert res.contains(g)


def _brute_order(game: Game) -> int:
    """Every (pi, sigma) checked directly on the payoffs (no graph, no codes)."""
    n = game.n_players
    m = len(game.actions[0])
    count = 0
    for pi in itertools.permutations(range(n)):
        for maps in itertools.product(list(itertools.permutations(range(m))), repeat=n):
            ok = True
            for a in game.index_profiles():
                b = [0] * n
                for i in range(n):
                    b[pi[i]] = maps[i][a[i]]
                if sympy.simplify(game.payoffs[0][game.index([game.actions[j][b[j]] for j in range(n)])]
                                  - game.payoffs[0][game.index([game.actions[j][a[j]] for j in range(n)])]) != 0:
                    ok = False
                    break
            count += ok
    return count


@pytest.mark.parametrize("seed", range(6))
def test_order_matches_brute_force(seed):
    from proofs_check.automorphism_conjecture import KINDS, planted_game

    game, _ = planted_game(random.Random(seed), KINDS[seed % len(KINDS)])
    if game.n_players ** game.n_players * 6 ** game.n_players > 3000:
        game, _ = planted_game(random.Random(seed), "swap-players-and-actions")
    assert automorphism_group(game).order == _brute_order(game)


def test_general_payoffs_bos():
    # the standard Battle of the Sexes: general payoffs, symmetric only by swapping players and actions
    g = Game(actions=(("O", "F"), ("O", "F")),
             payoffs=((2, 0, 0, 1), (1, 0, 0, 2)))
    g = Game(g.actions, tuple(tuple(sympy.Integer(x) for x in r) for r in g.payoffs))
    res = automorphism_group(g)
    assert res.order == 2 and res.player_only.order == 1
    assert res.generator_strings() == ["(1 2)(1:O 2:F)(1:F 2:O)"]


def test_bos_team_example_invariant_optimum():
    from exactgames.invariant_optimum import invariant_optimum

    g = read_game("examples/games/battle_of_the_sexes_team.toml")
    res = automorphism_group(g)
    assert res.player_only.order == 1 and res.order == 2
    assert not res.generators[0].follows_names(g.actions)
    opt = invariant_optimum(g, "all")
    # by hand: s_1 = (p, 1-p), s_2 = (1-p, p); EU = 6p(1-p) + (1-p)^2, maximal at p = 2/5 with EU = 9/5
    p = sympy.Symbol("p")
    eu = 6 * p * (1 - p) + (1 - p) ** 2
    pstar = sympy.solve(sympy.diff(eu, p), p)[0]
    assert pstar == sympy.Rational(2, 5) and opt.value == eu.subs(p, pstar) == sympy.Rational(9, 5)
    assert opt.profile == ((sympy.Rational(2, 5), sympy.Rational(3, 5)), (sympy.Rational(3, 5), sympy.Rational(2, 5)))
    assert opt.verdicts["nash"] is True
    js = opt.to_json()
    assert "reduced_game" in js and "form = \"dense\"" in js["reduced_game"]


def test_anonymous_without_expansion():
    g = AnonymousGame.from_function(6, ["a", "b", "c"], lambda c: 1 if c[1] == c[2] else 0)
    res = automorphism_group(g)
    assert res.player_only.order == 720 and res.order == 720 * 2
    assert "(1:b 1:c)" in res.generator_strings()[-1]


def test_parse_roundtrip_and_errors():
    names = [("H", "W"), ("H", "W")]
    g = GameAutomorphism((1, 0), ((1, 0), (1, 0)))
    assert parse_automorphisms(g.to_string(names), names) == [g]
    with pytest.raises(ValueError):
        parse_automorphisms("(1 2)(1:H 2:X)", names)
    with pytest.raises(ValueError):
        parse_automorphisms("(1:H 2:W)", names)


def test_cli_actions_json_and_optimize():
    out = subprocess.run([sys.executable, "-m", "exactgames.cli", "symmetries", "examples/games/battle_of_the_sexes_team.toml",
                          "--actions", "--json"], capture_output=True, text=True, check=True).stdout
    js = json.loads(out)
    assert js["order"] == 2 and js["totally_symmetric"] is False and js["action_orbits"] == [["1:O", "2:F"], ["1:F", "2:O"]]
    out = subprocess.run([sys.executable, "-m", "exactgames.cli", "optimize", "examples/games/battle_of_the_sexes_team.toml",
                          "--automorphisms", "(1 2)(1:O 2:F)(1:F 2:O)", "--json"], capture_output=True, text=True, check=True).stdout
    js = json.loads(out)
    assert js["value"] == "9/5" and js["nash"] is True
    bad = subprocess.run([sys.executable, "-m", "exactgames.cli", "optimize", "examples/games/battle_of_the_sexes_team.toml",
                          "--automorphisms", "(1 2)"], capture_output=True, text=True)
    assert bad.returncode == 2 and "not an automorphism" in bad.stderr


def test_bos_worked_example_writes_its_latex_derivation(tmp_path, capsys):
    import importlib.util
    from pathlib import Path

    ex = Path("examples").resolve()
    sys.path.insert(0, str(ex))
    try:
        spec = importlib.util.spec_from_file_location("example_bos_team", ex / "battle_of_the_sexes_team.py")
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(ex))
    mod.main(["--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert "optimum over invariant profiles: 9/5" in out and "verified independently: True" in out
    tex = (tmp_path / "battle_of_the_sexes_team.tex").read_text()
    # the EU on the invariant line, its derivative and critical point, computed from the game (not typed in)
    assert r"EU = - 5 y_{1}^{2} + 4 y_{1} + 1" in tex and r"4 - 10 y_{1}" in tex
    assert r"y_{1} = \frac{2}{5}" in tex and r"EU^* = \frac{9}{5}" in tex and "is a Nash equilibrium" in tex
