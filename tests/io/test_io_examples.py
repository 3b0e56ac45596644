"""The checked-in example game files (examples/games/) are current and hold the paper's games."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest
import sympy

from exactgames.io import read_game
from exactgames.io.nfg_write import format_nfg
from exactgames.io.toml_write import format_toml
from exactgames.model.counts import count_vectors
from exactgames.model.game import AnonymousGame

GAMES = Path(__file__).resolve().parents[2] / "examples" / "games"


def _make_games():
    spec = importlib.util.spec_from_file_location("exactgames_example_make_games", GAMES / "make_games.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


EXAMPLES = _make_games().example_games()


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_checked_in_file_equals_what_make_games_writes(name):
    game = EXAMPLES[name]
    expected = format_nfg(game) if name.endswith(".nfg") else format_toml(game)
    assert (GAMES / name).read_text(encoding="utf-8") == expected, f"run python examples/games/make_games.py ({name} is stale)"


def _table(path: str) -> dict:
    g = read_game(GAMES / path)
    return {p: g.payoff(0, p) for p in g.profiles()}


def test_taxi_tables_by_hand():
    # Section 2 / Table 1, payoff = number of groups driven (see exactgames.paper_games).
    assert _table("taxi_symmetric.nfg") == {("H", "H"): 1, ("H", "W"): 2, ("W", "H"): 2, ("W", "W"): 1}
    assert _table("taxi_permits.nfg") == {("H", "H"): 1, ("H", "W"): 0, ("W", "H"): 2, ("W", "W"): 1}
    assert _table("taxi_large_groups.nfg") == {("H", "H"): 1, ("H", "W"): 0, ("W", "H"): 0, ("W", "W"): 1}
    g = read_game(GAMES / "taxi_symmetric.nfg")
    assert g.players == ("Auto", "Mobile") and g.is_common_payoff


def test_robot_butlers_by_hand():
    g = read_game(GAMES / "robot_butlers.nfg")
    assert g.n_players == 4 and g.actions == (("F", "D"),) * 4
    # alternating F, D, F, D: every group sees food and drink -> 4 groups x 2
    assert g.payoff(3, ("F", "D", "F", "D")) == 8
    # all drink: every group has drink only -> 4 x 1; all food: no drink anywhere -> 0
    assert g.payoff(0, ("D",) * 4) == 4 and g.payoff(0, ("F",) * 4) == 0
    # one food at vertex 0: groups 3, 0, 1 reach it (2 each), group 2 has drink only (1)
    assert g.payoff(0, ("F", "D", "D", "D")) == 7


def test_example_5_0_5_files():
    eps = sympy.Symbol("eps", positive=True)
    g = read_game(GAMES / "example_5_0_5.toml")
    assert g.domains == (("eps", "positive"),) and g.parameters == (eps,)
    half = read_game(GAMES / "example_5_0_5_eps_half.nfg")
    for p in g.profiles():
        assert half.payoff(0, p) == g.payoff(0, p).subs(eps, sympy.Rational(1, 2))
    assert half.payoff(1, ("b", "c")) == sympy.Rational(3, 2) and half.payoff(0, ("c", "c")) == -10


def test_ten_robots_file():
    g = read_game(GAMES / "ten_robots.toml")
    eps = sympy.Symbol("eps", positive=True)
    assert isinstance(g, AnonymousGame) and g.n_players == 10 and g.domains == (("eps", "positive"),)
    for c in count_vectors(10, 3):
        assert g.value(c) == (1 if c == (10, 0, 0) else (1 + eps if c == (0, 1, 9) else 0))


def test_fifty_players_file_matches_its_title():
    g = read_game(GAMES / "fifty_players.toml")
    assert isinstance(g, AnonymousGame) and g.n_players == 50 and g.actions == ("a", "b", "c")
    assert "(n_a*n_b + n_b*n_c + n_c*n_a)/625, plus 1 if all 50 play a" in g.title
    assert len(g.payoff) == 1326 and g.is_rational
    for na, nb in itertools.product(range(51), repeat=2):
        if na + nb <= 50:
            nc = 50 - na - nb
            assert g.value((na, nb, nc)) == sympy.Rational(na * nb + nb * nc + nc * na, 625) + (1 if na == 50 else 0)
