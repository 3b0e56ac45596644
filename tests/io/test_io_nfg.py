"""Tests of the Gambit .nfg reader and writer (exactgames/io/nfg.py), with pygambit cross-checks."""

from __future__ import annotations

import itertools
import math
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactgames.io import GameFileError, read_game, write_game
from exactgames.io.nfg import parse_nfg, read_nfg
from exactgames.io.nfg_write import format_nfg, write_nfg
from exactgames.model.game import AnonymousGame, Game
from exactgames.paper_games import example_5_0_5, ten_robots

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------- strategies
_NAME_CHARS = st.sampled_from(list('abcXYZ019 _-"\\é'))
_names = st.text(_NAME_CHARS, min_size=0, max_size=5)
# Gambit itself renames empty and duplicate labels, accepts only printable ASCII labels without
# leading, trailing or double spaces, and does not undo its own escaping of backslashes (it writes
# a\\b for a\b and reads that back as a\\b), so the cross-checks use labels it keeps intact.
_gambit_names = st.from_regex(r'[a-cXYZ019_"-]{1,3}( [a-cXYZ019_"-]{1,3})?', fullmatch=True)


@st.composite
def exact_numbers(draw) -> sympy.Rational:
    """Small rationals, and decimals such as 0.125 or -12.5 (read exactly)."""
    if draw(st.booleans()):
        return sympy.Rational(draw(st.integers(-50, 50)), draw(st.integers(1, 12)))
    digits = draw(st.integers(-99999, 99999))
    return sympy.Rational(Fraction(Decimal(digits).scaleb(-draw(st.integers(0, 4)))))


@st.composite
def games(draw, max_players: int = 4, common: bool | None = None, names=_names, unique_players: bool = False) -> Game:
    n = draw(st.integers(1, max_players))
    shape = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n).filter(lambda s: math.prod(s) <= 24))
    actions = tuple(tuple(draw(st.lists(names, min_size=m, max_size=m, unique=True))) for m in shape)
    players = tuple(draw(st.lists(names, min_size=n, max_size=n, unique=unique_players)))
    size = math.prod(shape)
    is_common = draw(st.booleans()) if common is None else common
    if is_common:
        row = tuple(draw(st.lists(exact_numbers(), min_size=size, max_size=size)))
        payoffs = (row,) * n
    else:
        payoffs = tuple(tuple(draw(st.lists(exact_numbers(), min_size=size, max_size=size))) for _ in range(n))
    return Game(actions, payoffs, players, draw(names))


def assert_same_game(a: Game, b: Game) -> None:
    assert a.actions == b.actions
    assert a.players == b.players
    assert a.title == b.title
    assert a.payoffs == b.payoffs
    for row in b.payoffs:
        assert all(isinstance(v, sympy.Rational) for v in row)


# ---------------------------------------------------------------------- the format, checked by hand
PD_PAYOFF = """NFG 1 R "Prisoner's dilemma" { "Row" "Col" } { { "C" "D" } { "c" "d" } }
""
3 3  5 0  0 5  1 1
"""


def test_file_order_first_player_fastest():
    # Profiles in the file: (C,c) (D,c) (C,d) (D,d); payoffs Row, Col for each.
    g = parse_nfg(PD_PAYOFF)
    assert g.players == ("Row", "Col") and g.actions == (("C", "D"), ("c", "d"))
    assert g.title == "Prisoner's dilemma"
    assert (g.payoff(0, ("D", "c")), g.payoff(1, ("D", "c"))) == (5, 0)
    assert (g.payoff(0, ("C", "d")), g.payoff(1, ("C", "d"))) == (0, 5)
    assert (g.payoff(0, ("D", "d")), g.payoff(1, ("D", "d"))) == (1, 1)
    assert not g.is_common_payoff


def test_three_player_file_order():
    # 2 x 2 x 2 with payoff of player 1 = the position of the profile in the file (1..8).
    numbers = " ".join(f"{k} 0 0" for k in range(1, 9))
    g = parse_nfg(f'NFG 1 R "" {{ "1" "2" "3" }} {{ 2 2 2 }} {numbers}')
    for a1, a2, a3 in itertools.product(range(2), repeat=3):
        assert g.payoff(0, (a1, a2, a3)) == 1 + a1 + 2 * a2 + 4 * a3


def test_counts_only_gives_numbered_actions_and_exact_numbers():
    g = parse_nfg('NFG 1 D "x" { "A" } { 4 }\n 0.1 -3/4 1e-3 7')
    assert g.actions == (("1", "2", "3", "4"),)
    assert g.payoffs[0] == (sympy.Rational(1, 10), sympy.Rational(-3, 4), sympy.Rational(1, 1000), 7)


def test_outcome_version_with_null_outcome_and_commas():
    text = """NFG 1 R "o" { "P1" "P2" }
{ { "a" "b" } { "x" "y" } }
"comment"
{
{ "first" 1, 2 }
{ "second" 0.5 -1/3 }
}
1 0 2 1
"""
    g = parse_nfg(text)
    assert g.payoff(0, ("a", "x")) == 1 and g.payoff(1, ("a", "x")) == 2
    assert g.payoff(0, ("b", "x")) == 0 and g.payoff(1, ("b", "x")) == 0  # null outcome
    assert g.payoff(0, ("a", "y")) == sympy.Rational(1, 2) and g.payoff(1, ("a", "y")) == sympy.Rational(-1, 3)
    assert g.payoff(1, ("b", "y")) == 2


def test_escaped_names_round_trip():
    g = Game.from_common([['say "hi"', "back\\slash"], ["é"]], lambda p: 1, players=['P "1"', "Q"], title='a "b" \\ c')
    text = format_nfg(g)
    assert r'"say \"hi\""' in text and r'"back\\slash"' in text
    assert_same_game(g, parse_nfg(text))


def test_writes_integers_as_integers_and_rationals_as_fractions():
    g = Game.from_common([["a", "b", "c"]], {("a",): "0.1", ("b",): 3, ("c",): "-6/4"})
    text = format_nfg(g)
    assert text.strip().splitlines()[-1] == "1/10 3 -3/2"
    assert "0.1" not in text


@given(games())
@SETTINGS
def test_round_trip_is_identity(g):
    for version in ("payoff", "outcome"):
        assert_same_game(g, parse_nfg(format_nfg(g, version=version)))


def test_write_read_file_round_trip_and_atomic(tmp_path):
    g = example_5_0_5("1/2")
    path = tmp_path / "ex.nfg"
    write_nfg(g, path, version="outcome")
    assert_same_game(g, read_nfg(path))
    assert_same_game(g, read_game(path))
    # a failed write leaves the old file untouched and no temporary file behind
    with pytest.raises(GameFileError, match="symbolic"):
        write_game(example_5_0_5(), path)
    assert_same_game(g, read_nfg(path))
    assert os.listdir(tmp_path) == ["ex.nfg"]


def test_symbolic_and_irrational_payoffs_refused(tmp_path):
    with pytest.raises(GameFileError, match=r"profile \('b', 'c'\) is symbolic \(eps \+ 1\).*--set eps=1/2"):
        write_nfg(example_5_0_5(), tmp_path / "x.nfg")
    g = Game.from_common([["a"]], {("a",): "sqrt(2)"})
    with pytest.raises(GameFileError, match="irrational"):
        format_nfg(g)
    assert not (tmp_path / "x.nfg").exists()


def test_anonymous_game_written_densely_and_size_limit():
    g = ten_robots(n=4, eps="1/2")
    back = parse_nfg(format_nfg(g))
    assert back.shape == (3, 3, 3, 3)
    for prof in itertools.product(range(3), repeat=4):
        counts = tuple(prof.count(k) for k in range(3))
        expected = 1 if counts == (4, 0, 0) else (sympy.Rational(3, 2) if counts == (0, 1, 3) else 0)
        assert back.payoff(2, prof) == expected
    with pytest.raises(GameFileError, match="81 pure profiles, more than max_profiles=80"):
        format_nfg(g, max_profiles=80)
    big = AnonymousGame.from_function(50, ["a", "b", "c"], lambda c: c[0])
    with pytest.raises(GameFileError, match=r"more than max_profiles.*\.toml"):
        format_nfg(big)


def test_unknown_version_refused():
    with pytest.raises(GameFileError, match="unknown .nfg version 'binary'"):
        format_nfg(example_5_0_5("1"), version="binary")


# ---------------------------------------------------------------------- malformed files
HEADER = 'NFG 1 R "t" { "P1" "P2" } { 2 2 }\n'


@pytest.mark.parametrize(
    "text, line, problem",
    [
        (HEADER + "1 2 3\n4 5\n", 3, "file ends early: expected 8 payoff numbers (2 players x 4 profiles), found 5"),
        (HEADER + "1 2 3 4 5 6 7 8\n9\n", 3, "expected the end of the file after the payoffs, found '9'"),
        (HEADER + "1 2 3 4\n5 x 7 8\n", 3, "bad number 'x' in payoff of player 2 at profile 3 of 4"),
        (HEADER + "1 2 3 4\n5 1/0 7 8\n", 3, "bad number '1/0'"),
        (HEADER + "1 2 3 4\n5 1.2.3 7 8\n", 3, "bad number '1.2.3'"),
        (HEADER + "1 2 3 4 5 6 7 8 }\n", 2, "expected the end of the file after the payoffs, found '}'"),
        (HEADER + "1 2 3 4 { 5 6 7 8\n", 2, "expected payoff of player 1 at profile 3 of 4, found '{'"),
        ('NFG 1 R "t" { "P1" "P2" } { 2 2 2 }\n1 2', 1, "strategies given for 3 players, expected 2"),
        ('NFG 1 R "t" { "P1" "P2" \n{ 2 2 }\n1 2', 2, "expected a quoted name in the list of player names or '}', found '{'"),
        ('NFG 1 R "t" { "P1" "P2" } { 2 0 }\n', 1, "player 2: 0 strategies (expected a positive count)"),
        ('NFG 1 R "t" { "P1" "P2" } { 2 two }\n', 1, "expected the number of strategies of player 2 or '}' (an integer), found 'two'"),
        ('NFG 1 R "t" { "P1" "P2" } { 2 2 }\n"unclosed\n1 2', 2, "unterminated string"),
        ('EFG 2 R "t" { "P1" } { 1 }\n1', 1, "expected the header 'NFG 1 R'"),
        ('NFG 2 R "t" { "P1" } { 1 }\n1', 1, "expected format version 1 after 'NFG', found '2'"),
        ('NFG 1 X "t" { "P1" } { 1 }\n1', 1, "expected 'R' or 'D' after 'NFG 1', found 'X'"),
        ("", 1, "expected the header 'NFG 1 R' (a Gambit strategic-form file), found end of file"),
        (HEADER + '{ { "" 1 2 }\n{ "" 1 }\n}\n1 2 1 1', 3, "outcome 2 has 1 payoffs, expected 2 (one per player)"),
        (HEADER + '{ { "" 1 2 }\n}\n1 2 1 1', 4, "outcome index 2 out of range (expected 0..1; 0 is the null outcome)"),
        (HEADER + '{ { "" 1 2 }\n}\n1 1\n1', 5, "file ends early: expected 4 outcome indices (one per profile), found 3"),
        (HEADER + '{ { "" 1 2 }\n}\n1 1 a 1', 4, "expected the outcome index of profile 3 of 4 (an integer), found 'a'"),
        (HEADER + '{ { "" 1 2 \n', 2, "file ends early: outcome 1 (line 2) is not closed by '}'"),
        (HEADER + '{ { 1 2 } }\n1 1 1 1', 2, "expected the quoted name of outcome 1, found '1'"),
        (HEADER + "1 2 3 4\n5 1e99999 7 8\n", 3, "bad number '1e99999'"),
        ('NFG 1 R "t" { "1" "2" }\n{ { "a" "b" } { "c" "d" }\n""\n1 2 3 4 5 6 7 8', 3,
         "expected '}' closing the list of strategy names, found string \"\""),
        ('NFG 1 R "t" { "1" "2" }\n{ { "a" "b" }\n{ { "c" } }\n1 2 3 4', 3,
         "expected a quoted name in the list of strategy names of player 2 or '}', found '{'"),
    ],
)
def test_malformed_files_name_line_and_problem(text, line, problem):
    with pytest.raises(GameFileError) as info:
        parse_nfg(text, source="bad.nfg")
    msg = str(info.value)
    assert msg.startswith(f"bad.nfg, line {line}, column "), msg
    assert problem in msg, msg


def test_read_error_names_the_file(tmp_path):
    path = tmp_path / "trunc.nfg"
    path.write_text(HEADER + "1 2 3\n")
    with pytest.raises(GameFileError, match=r"trunc\.nfg, line 2, column 6: file ends early"):
        read_nfg(path)


# ---------------------------------------------------------------------- pygambit cross-checks
def _gambit():
    return pytest.importorskip("pygambit")


def _gambit_payoffs(gg) -> dict:
    """{(action labels...): (payoffs as Fractions)} read from a pygambit (17) game, by strategy labels."""
    players = list(gg.players)
    out = {}
    for strategies in itertools.product(*(gg.get_strategies(p) for p in players)):
        pay = gg.get_payoffs(dict(zip(players, strategies)))
        out[tuple(strategies)] = tuple(Fraction(str(pay[p])) for p in players)
    return out


def _gambit_labels(gg) -> tuple[list[str], list[tuple[str, ...]]]:
    """Player labels and each player's strategy labels (pygambit 17 names everything by label)."""
    players = list(gg.players)
    return players, [tuple(gg.get_strategies(p)) for p in players]


@given(games(max_players=4, names=_gambit_names, unique_players=True))
@SETTINGS
def test_pygambit_reads_our_files_identically(tmp_path_factory, g):
    gbt = _gambit()
    folder = tmp_path_factory.mktemp("ours")
    for version in ("payoff", "outcome"):
        path = folder / f"g_{version}.nfg"
        write_nfg(g, path, version=version)
        gg = gbt.read_nfg(str(path))
        assert gg.title == g.title
        players, strategies = _gambit_labels(gg)
        assert players == list(g.players) and strategies == list(g.actions)
        theirs = _gambit_payoffs(gg)
        assert len(theirs) == g.n_profiles
        for prof in g.profiles():
            assert theirs[prof] == tuple(Fraction(int(g.payoff(i, prof).p), int(g.payoff(i, prof).q)) for i in range(g.n_players))


@st.composite
def gambit_values(draw):
    """A payoff as pygambit holds it: Rational or Decimal."""
    if draw(st.booleans()):
        return "rational", (draw(st.integers(-40, 40)), draw(st.integers(1, 9)))
    return "decimal", str(Decimal(draw(st.integers(-99999, 99999))).scaleb(-draw(st.integers(0, 3))))


@given(
    st.lists(st.integers(1, 3), min_size=2, max_size=4).filter(lambda s: math.prod(s) <= 18),
    st.data(),
)
@SETTINGS
def test_we_read_pygambit_files_identically(shape, data):
    gbt = _gambit()
    gg = gbt.StrategicGame(shape, title=data.draw(_gambit_names))  # pygambit 17: relabel_*, make_outcome
    player_labels = data.draw(st.lists(_gambit_names, min_size=len(shape), max_size=len(shape), unique=True))
    gg.relabel_players(dict(zip(list(gg.players), player_labels)))
    for p in gg.players:
        old = gg.get_strategies(p)
        labels = data.draw(st.lists(_gambit_names, min_size=len(old), max_size=len(old), unique=True))
        gg.relabel_strategies(p, dict(zip(old, labels)))
    players = list(gg.players)
    for k, strategies in enumerate(itertools.product(*(gg.get_strategies(p) for p in players))):
        pay = {}
        for p in players:
            kind, v = data.draw(gambit_values())
            pay[p] = gbt.Rational(*v) if kind == "rational" else Decimal(v)
        gg.make_outcome(dict(zip(players, strategies)), pay, label=f"o{k + 1}")
    ours = parse_nfg(gg.to_nfg())
    assert ours.title == gg.title
    theirs_players, theirs_strategies = _gambit_labels(gg)
    assert ours.players == tuple(theirs_players)
    assert ours.actions == tuple(theirs_strategies)
    theirs = _gambit_payoffs(gg)
    for prof in ours.profiles():
        got = tuple(Fraction(int(ours.payoff(i, prof).p), int(ours.payoff(i, prof).q)) for i in range(ours.n_players))
        assert got == theirs[prof]


def test_pygambit_reads_anonymous_game_written_densely(tmp_path):
    gbt = _gambit()
    path = tmp_path / "robots.nfg"
    write_nfg(ten_robots(n=3, eps="1/4"), path, version="outcome")
    gg = gbt.read_nfg(str(path))
    pays = _gambit_payoffs(gg)
    assert pays[("b", "c", "c")] == pays[("c", "c", "b")] == (Fraction(5, 4),) * 3
    assert pays[("a", "a", "a")] == (1, 1, 1)
    assert sum(1 for v in pays.values() if v != (0, 0, 0)) == 4


def test_pygambit_agrees_on_a_hand_written_payoff_version_file(tmp_path):
    gbt = _gambit()
    path = tmp_path / "pd.nfg"
    path.write_text(PD_PAYOFF)
    ours = read_nfg(path)
    theirs = _gambit_payoffs(gbt.read_nfg(str(path)))
    assert theirs[("D", "c")] == (5, 0) and theirs[("C", "d")] == (0, 5)  # Gambit's own reading of the order
    for prof in ours.profiles():
        assert theirs[prof] == (ours.payoff(0, prof), ours.payoff(1, prof))


def test_gambit_catalog_files_read_identically():
    gbt = _gambit()
    folder = Path(gbt.__file__).parent / "catalog_data"
    files = sorted(folder.rglob("*.nfg"))
    if not files:
        pytest.skip("this pygambit ships no catalog .nfg files")
    for f in files:
        ours = read_nfg(f)
        gg = gbt.read_nfg(str(f))
        assert ours.title == gg.title and ours.players == tuple(gg.players)
        theirs = _gambit_payoffs(gg)
        for prof in ours.profiles():
            assert theirs[prof] == tuple(Fraction(int(v.p), int(v.q)) for v in (ours.payoff(i, prof) for i in range(ours.n_players)))
    bos = folder / "journals" / "ijgt" / "nau2004" / "sec3.nfg"
    if bos.exists():  # Battle of the Sexes, outcome version, checked by hand against the file text
        g = read_nfg(bos)
        assert g.actions == (("Top", "Bottom"), ("Left", "Right"))
        assert [(g.payoff(0, p), g.payoff(1, p)) for p in g.profiles()] == [(3, 2), (0, 0), (0, 0), (2, 3)]
