"""Tests of the native TOML game file (exactgames/io/toml_game.py)."""

from __future__ import annotations

import math
import os

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactgames.io import GameFileError, read_game, write_game
from exactgames.io.parameters import parameter_symbol
from exactgames.io.toml_game import parse_toml, read_toml
from exactgames.io.toml_write import format_toml, write_toml
from exactgames.model.counts import count_vectors
from exactgames.model.game import AnonymousGame, Game
from exactgames.paper_games import EPS, example_5_0_5, ten_robots

SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ROBOTS = """
title = "ten robots"
players = 10
actions = ["a", "b", "c"]
form = "anonymous"
parameters = { eps = "positive" }   # assumptions
default = "0"
[[payoff]]
counts = { a = 10 }
value = "1"
[[payoff]]
counts = { b = 1, c = 9 }
value = "1 + eps"
"""


def test_issue_example_reads_as_the_ten_robot_game():
    g = parse_toml(ROBOTS)
    assert isinstance(g, AnonymousGame) and g.n_players == 10 and g.actions == ("a", "b", "c")
    eps = sympy.Symbol("eps", positive=True)
    assert g.parameters == (eps,) and g.domains == (("eps", "positive"),)
    assert g.value((10, 0, 0)) == 1 and g.value((0, 1, 9)) == 1 + eps
    nonzero = [c for c in count_vectors(10, 3) if g.value(c) != 0]
    assert nonzero == [(10, 0, 0), (0, 1, 9)]
    assert len(g.payoff) == math.comb(12, 2)


def test_parameter_assumptions():
    assert parameter_symbol("e", "positive") == sympy.Symbol("e", positive=True)
    assert parameter_symbol("e", "nonnegative") == sympy.Symbol("e", nonnegative=True)
    assert parameter_symbol("e", "real") == sympy.Symbol("e", real=True)
    for interval in ["[0, 1]", "(0, 1/2]", "(-oo, 0)", "[sqrt(2) - 1, 1)", "[1, 1]"]:
        assert parameter_symbol("e", interval) == sympy.Symbol("e", real=True)
    for bad, msg in [
        ("integer", "unknown assumption"),
        ("[1, 0]", "empty interval"),
        ("(1, 1]", "empty interval"),
        ("[0, oo]", "infinite end must be open"),
        ("[0, x]", "interval endpoint 'x'"),
    ]:
        with pytest.raises(GameFileError, match=msg):
            parameter_symbol("e", bad)
    with pytest.raises(GameFileError, match="not a usable parameter name"):
        parameter_symbol("sqrt", "real")


def test_dense_form_per_player_actions_and_default():
    g = parse_toml(
        """
players = ["Auto", "Mobile"]
actions = [["H", "W"], ["H", "W", "X"]]
form = "dense"
default = "0"
[[payoff]]
profile = ["W", "X"]
value = "-2/3"
"""
    )
    assert isinstance(g, Game) and g.is_common_payoff and g.players == ("Auto", "Mobile")
    assert g.shape == (2, 3)
    assert g.payoff(1, ("W", "X")) == sympy.Rational(-2, 3)
    assert sum(1 for p in g.profiles() if g.payoff(0, p) != 0) == 1


def test_general_form_with_parameters_in_interval():
    g = parse_toml(
        """
players = 2
actions = ["x", "y"]
form = "general"
parameters = { t = "[0, 1]" }
[[payoff]]
profile = ["x", "x"]
values = ["t", "1 - t"]
[[payoff]]
profile = ["x", "y"]
values = [0, 0]
[[payoff]]
profile = ["y", "x"]
values = ["t**2", 3]
[[payoff]]
profile = ["y", "y"]
values = ["0.5", "sqrt(2)"]
"""
    )
    t = sympy.Symbol("t", real=True)
    assert not g.is_common_payoff and g.domains == (("t", "[0, 1]"),)
    assert g.payoff(0, ("x", "x")) == t and g.payoff(1, ("x", "x")) == 1 - t
    assert g.payoff(0, ("y", "x")) == t**2 and g.payoff(1, ("y", "y")) == sympy.sqrt(2)
    assert g.payoff(0, ("y", "y")) == sympy.Rational(1, 2)


def test_exact_decimals_reads_the_literal_text():
    base = 'players = 1\nactions = ["a", "b"]\nform = "anonymous"\n'
    entries = "[[payoff]]\ncounts = { a = 1 }\nvalue = 0.1\n[[payoff]]\ncounts = { b = 1 }\nvalue = 0.30000000000000001\n"
    with pytest.raises(GameFileError, match=r'payoff entry 1 \(counts \{a=1\}\): value: bare TOML float 0.1 refused.*"0.1"'):
        parse_toml(base + entries, "d.toml")
    g = parse_toml("exact_decimals = true\n" + base + entries)
    assert g.value((1, 0)) == sympy.Rational(1, 10)
    assert g.value((0, 1)) == sympy.Rational(30000000000000001, 10**17)  # not the double nearest 0.3
    for bad in ["inf", "nan", "1e99999"]:
        with pytest.raises(GameFileError, match=f"default: float {bad} is not a finite decimal"):
            parse_toml("exact_decimals = true\n" + base + f"default = {bad}\n")


def test_non_utf8_file_is_a_clear_error(tmp_path):
    path = tmp_path / "latin.toml"
    path.write_bytes('title = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(GameFileError, match=r"latin\.toml: not UTF-8 text"):
        read_toml(path)


# ---------------------------------------------------------------------- errors naming the entry
ANON = 'players = 10\nactions = ["a", "b", "c"]\nform = "anonymous"\ndefault = "0"\n'


def entry(counts: str, value: str = '"1"') -> str:
    return f"[[payoff]]\ncounts = {{ {counts} }}\nvalue = {value}\n"


@pytest.mark.parametrize(
    "text, message",
    [
        (
            ANON + entry("a = 10") + entry("c = 10") + entry("b = 1, c = 8"),
            "game.toml: payoff entry 3 (counts {b=1, c=8}): counts sum to 9, expected players = 10",
        ),
        (ANON + entry("a = 10", '"1 + delta"'), "game.toml: payoff entry 1 (counts {a=10}): value: '1 + delta': unknown name 'delta'"),
        (ANON + entry("a = 10") + entry("a = 10"), "payoff entry 2 (counts {a=10}): duplicate count vector (already given by payoff entry 1)"),
        (ANON + entry("a = 9, d = 1"), "payoff entry 1 (counts {a=9, d=1}): unknown action 'd' (actions: a, b, c)"),
        (ANON + entry("a = 11, b = -1"), "count of 'b' is -1, expected a non-negative integer"),
        (ANON + entry("a = 10", "0.5"), "payoff entry 1 (counts {a=10}): value: bare TOML float 0.5 refused"),
        (ANON + entry("a = 10", "true"), "value: True is a boolean"),
        (ANON + "[[payoff]]\ncounts = { a = 10 }\nvalue = \"1\"\nweight = 2\n", "payoff entry 1 (counts {a=10}): unknown key 'weight'"),
        (ANON + "[[payoff]]\ncounts = { a = 10 }\n", "payoff entry 1 (counts {a=10}): missing 'value'"),
        (ANON.replace('default = "0"\n', "") + entry("a = 10"), "payoff: no entry for count vector {a=9, b=1} and 64 more and no 'default'"),
        (ANON + 'colour = "red"\n', "game.toml: unknown key 'colour'"),
        (ANON.replace('form = "anonymous"\n', ""), "game.toml: missing key 'form'"),
        (ANON.replace('"anonymous"', '"sparse"'), "form = 'sparse': expected one of 'anonymous', 'dense', 'general'"),
        (ANON.replace("players = 10", "players = 0"), "players = 0: expected at least 1 player"),
        (ANON.replace('["a", "b", "c"]', '["a", "b", "a"]'), "actions: duplicate action name 'a'"),
        (ANON + 'parameters = { eps = "tiny" }\n', "parameters: eps = 'tiny': unknown assumption"),
        (ANON + "players = 3\n", "game.toml: not valid TOML: Cannot overwrite a value (at line 5, column 12)"),
        ('title = "x"\nform = "dense"\nplayers = [1, 2]\n', "players: player name 1 is not a string"),
        (ANON + entry("a = 10", '["1"]'), "payoff entry 1 (counts {a=10}): value: ['1'] is an array, expected a number"),
        (ANON.replace('["a", "b", "c"]', '[["a"], ["b"]]'), "actions: the anonymous form takes one list of action names"),
    ],
)
def test_anonymous_errors_name_the_entry(text, message):
    with pytest.raises(GameFileError) as info:
        parse_toml(text, "game.toml")
    assert message in str(info.value), str(info.value)


DENSE = 'players = 2\nactions = ["a", "b"]\nform = "dense"\n'


def profile_entry(profile: str, value: str = '"1"', key: str = "value") -> str:
    return f"[[payoff]]\nprofile = [{profile}]\n{key} = {value}\n"


@pytest.mark.parametrize(
    "text, message",
    [
        (DENSE + profile_entry('"a", "c"'), "payoff entry 1 (profile [a, c]): player 2 has no action 'c' (actions: a, b)"),
        (DENSE + profile_entry('"a"'), "payoff entry 1 (profile [a]): profile has 1 actions, expected 2 (one per player)"),
        (DENSE + profile_entry('"a", "b"') * 2, "payoff entry 2 (profile [a, b]): duplicate profile (already given by payoff entry 1)"),
        (DENSE + profile_entry('"a", "b"'), "payoff: no entry for profile [a, a] and 2 more and no 'default'"),
        (DENSE + profile_entry('"a", "b"', '["1", "2"]', "values"), "payoff entry 1 (profile [a, b]): unknown key 'values'"),
        (
            DENSE.replace("dense", "general") + 'default = "0"\n' + profile_entry('"a", "b"', '["1"]', "values"),
            "payoff entry 1 (profile [a, b]): values: expected a list of 2 values (one per player)",
        ),
        (
            DENSE.replace("dense", "general") + 'default = "0"\n' + profile_entry('"a", "b"', '["1", "x"]', "values"),
            "payoff entry 1 (profile [a, b]): value of player 2: 'x': unknown name 'x'",
        ),
        ('players = 2\nactions = [["a"]]\nform = "dense"\n', "actions: 1 action lists, expected 2 (one per player)"),
        ('players = 30\nactions = ["a", "b"]\nform = "dense"\ndefault = "0"\n', 'use form = "anonymous"'),
    ],
)
def test_dense_errors_name_the_entry(text, message):
    with pytest.raises(GameFileError) as info:
        parse_toml(text, "game.toml")
    assert message in str(info.value), str(info.value)


# ---------------------------------------------------------------------- writing and round trips
_values = st.one_of(
    st.fractions(min_value=-20, max_value=20, max_denominator=12).map(sympy.Rational),
    st.sampled_from(["1 + eps", "eps**2/3 - 1", "2 - sqrt(2)", "-eps"]).map(lambda s: sympy.sympify(s, locals={"eps": EPS})),
)
_names = st.text(st.sampled_from(list('ab Z_"\\é.=')), min_size=1, max_size=4)


@st.composite
def toml_games(draw):
    kind = draw(st.sampled_from(["anonymous", "dense", "general"]))
    title = draw(st.text(st.sampled_from(list('xy "\\\n')), max_size=6))
    if kind == "anonymous":
        n = draw(st.integers(1, 6))
        actions = draw(st.lists(_names, min_size=1, max_size=3, unique=True))
        vectors = list(count_vectors(n, len(actions)))
        vals = draw(st.lists(st.one_of(st.just(sympy.Integer(0)), _values), min_size=len(vectors), max_size=len(vectors)))
        return AnonymousGame(n, tuple(actions), dict(zip(vectors, vals)), title=title)
    n = draw(st.integers(1, 3))
    actions = tuple(tuple(draw(st.lists(_names, min_size=1, max_size=2, unique=True))) for _ in range(n))
    players = tuple(draw(st.lists(_names, min_size=n, max_size=n, unique=True))) if draw(st.booleans()) else ()
    size = math.prod(len(a) for a in actions)
    if kind == "dense":
        row = tuple(draw(st.lists(_values, min_size=size, max_size=size)))
        return Game(actions, (row,) * n, players, title)
    rows = tuple(tuple(draw(st.lists(_values, min_size=size, max_size=size))) for _ in range(n))
    return Game(actions, rows, players, title)


@given(toml_games())
@SETTINGS
def test_toml_round_trip_is_identity(g):
    back = parse_toml(format_toml(g))
    assert type(back) is type(g)
    assert back.title == g.title and back.players == g.players
    if isinstance(g, AnonymousGame):
        assert back.actions == g.actions and dict(back.payoff) == dict(g.payoff)
    else:
        assert back.actions == g.actions and back.payoffs == g.payoffs
        assert back.is_common_payoff == g.is_common_payoff
    assert back.parameters == g.parameters  # eps comes back positive (inferred from the symbol)


def test_writer_forms_and_domains(tmp_path):
    text = format_toml(ten_robots())
    assert 'form = "anonymous"' in text and 'parameters = { eps = "positive" }' in text
    assert text.count("[[payoff]]") == 2 and 'default = "0"' in text
    assert 'form = "dense"' in format_toml(example_5_0_5())
    g = Game.from_payoff_function([["x", "y"]] * 2, lambda p: (1, 0) if p[0] == p[1] else (0, 1))
    assert 'form = "general"' in format_toml(g) and "values = [" in format_toml(g)
    t = sympy.Symbol("t", real=True)
    h = Game((("a",),), ((t,),), domains=(("t", "(0, 1/2]"),))
    path = tmp_path / "h.toml"
    write_game(h, path)
    back = read_game(path)
    assert back.domains == (("t", "(0, 1/2]"),) and back.payoffs == ((t,),)


def test_write_is_atomic_and_keys_are_quoted_when_needed(tmp_path):
    g = AnonymousGame.from_function(2, ["a b", 'q"'], lambda c: c[0])
    path = tmp_path / "q.toml"
    write_toml(g, path)
    assert '"a b" = 2' in path.read_text()
    assert dict(read_toml(path).payoff) == dict(g.payoff)
    bad = Game.from_common([["a"]], {("a",): sympy.exp(1) - 2 + 2})  # e: no exact text form parse_exact reads back
    with pytest.raises(GameFileError, match="no exact text form"):
        write_toml(bad, path)
    assert dict(read_toml(path).payoff) == dict(g.payoff)
    assert os.listdir(tmp_path) == ["q.toml"]


def test_fifty_players_reads_fast_enough():
    import time

    g = AnonymousGame.from_function(50, ["a", "b", "c"], lambda c: sympy.Rational(c[0] * c[1] + 1, c[2] + 1))
    text = format_toml(g)
    t0 = time.perf_counter()
    back = parse_toml(text)
    elapsed = time.perf_counter() - t0
    assert dict(back.payoff) == dict(g.payoff) and len(back.payoff) == 1326
    assert elapsed < 3.0, elapsed
